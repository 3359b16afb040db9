package dev.botfleet.runtime.llm;

import com.openai.credential.BearerTokenCredential;
import com.openai.credential.Credential;
import okhttp3.Interceptor;
import okhttp3.Request;

/**
 * Lets each request carry its own API key. openai-java insists on a client-wide credential; clients here get a
 * placeholder instead, every request that has a key sets its header itself (which replaces the placeholder), and
 * an interceptor drops the placeholder from requests that carry no key, such as those to a local Ollama.
 */
final class PerRequestCredentials {

    private static final String PLACEHOLDER = "botfleet-per-request-key";
    private static final String AUTHORIZATION = "Authorization";

    private PerRequestCredentials() {
    }

    static Credential placeholder() {
        return BearerTokenCredential.create(PLACEHOLDER);
    }

    static Interceptor dropPlaceholder() {
        return chain -> {
            Request request = chain.request();
            if (("Bearer " + PLACEHOLDER).equals(request.header(AUTHORIZATION))) {
                request = request.newBuilder().removeHeader(AUTHORIZATION).build();
            }
            return chain.proceed(request);
        };
    }
}
