package dev.botfleet.runtime.llm;

import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Request;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes an upstream request cancellable at any moment. Closing openai-java's stream only takes effect when the
 * next chunk arrives, so a provider that has gone silent would keep its connection (and tokens flowing) after
 * Poe hung up. Each request is tagged with an id; an interceptor strips the tag and remembers the OkHttp call,
 * which {@link #cancel} then aborts, closing the socket at once.
 */
final class CancellableCalls {

    static final String TAG_HEADER = "X-Botfleet-Call";

    private final Map<String, Call> calls = new ConcurrentHashMap<>();

    static String newTag() {
        return UUID.randomUUID().toString();
    }

    Interceptor interceptor() {
        return chain -> {
            Request request = chain.request();
            String tag = request.header(TAG_HEADER);
            if (tag == null) {
                return chain.proceed(request);
            }
            calls.put(tag, chain.call());
            return chain.proceed(request.newBuilder().removeHeader(TAG_HEADER).build());
        };
    }

    void cancel(String tag) {
        Call call = calls.remove(tag);
        if (call != null) {
            call.cancel();
        }
    }

    void forget(String tag) {
        calls.remove(tag);
    }
}
