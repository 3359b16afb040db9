package dev.botfleet.runtime.web;

import dev.botfleet.api.LLMBot;
import dev.botfleet.api.SecretKeyRef;
import dev.botfleet.handler.poe.PoeRequestException;
import dev.botfleet.runtime.FleetContext;
import dev.botfleet.runtime.config.Fleet;
import dev.botfleet.runtime.secrets.SecretResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks that a request carries the bot's Poe access key as {@code Authorization: Bearer <key>}. The scheme is
 * compared ignoring case, the key in constant time. A bot without {@code accessKeySecretRef} accepts everyone;
 * a bot whose key cannot be found refuses everyone (fail closed).
 */
public final class AccessKeyCheck implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private static final Logger log = LoggerFactory.getLogger(AccessKeyCheck.class);
    private static final String SCHEME = "bearer ";

    private final SecretResolver secrets;

    public AccessKeyCheck(SecretResolver secrets) {
        this.secrets = secrets;
    }

    /** Lets through a request to the bot {@link RequestedBot#find} found only with that bot's key. */
    @Override
    public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
        FleetContext context = RequestedBot.of(request);
        verify(context.bot(), context.fleet(), request.headers().firstHeader(HttpHeaders.AUTHORIZATION));
        return next.handle(request);
    }

    public void verify(LLMBot bot, Fleet fleet, String authorization) {
        SecretKeyRef ref = bot.getSpec().getAccessKeySecretRef();
        if (ref == null) {
            return;
        }
        Optional<String> expected = secrets.resolve(ref, fleet);
        if (expected.isEmpty()) {
            log.warn("bot {} refuses requests: its access key {} is not available; {}",
                    bot.getMetadata().getName(), ref, secrets.whereToPut(ref));
            throw new PoeRequestException(503, "the bot's access key is not configured; see the runtime log");
        }
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new PoeRequestException(401, "Missing or malformed Authorization header; expected Bearer");
        }
        byte[] presented = authorization.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, expected.get().getBytes(StandardCharsets.UTF_8))) {
            throw new PoeRequestException(401, "Invalid access key");
        }
    }
}
