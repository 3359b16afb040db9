package dev.botfleet.runtime.llm;

import dev.botfleet.api.ImageInput;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.runtime.poe.UserError;
import dev.botfleet.runtime.poe.UserTexts;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientResponse;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;

/**
 * For bots with {@code spec.images.delivery: inline}: fetches each image of the conversation and puts it in as a
 * base64 {@code data:} URL, for providers that cannot fetch Poe's URLs themselves. Each fetch is bounded in size and
 * time, and reaches only public addresses ({@link PublicAddresses}) unless the runtime is told otherwise; a failed one
 * fails the answer with {@link Failure}, which names the image and the reason.
 */
public final class ImageInliner {

    /** An image that could not be fetched: {@code getMessage()} says why, for the log; {@link #toUser} for the user. */
    public static final class Failure extends RuntimeException {

        private final UserError userError;
        private final int maxBytes;

        private Failure(String message, UserError userError, int maxBytes) {
            super(message, null, false, false);
            this.userError = userError;
            this.maxBytes = maxBytes;
        }

        Failure(String message, UserError userError) {
            this(message, userError, 0);
        }

        static Failure tooLarge(int maxBytes) {
            return new Failure("the attached image is larger than this bot takes (" + maxBytes + " bytes)",
                    UserError.IMAGE_TOO_LARGE, maxBytes);
        }

        public UserError userError() {
            return userError;
        }

        /** The error the Poe user reads, in their language. */
        public PoeEvent.Error toUser(String languageCode) {
            return userError == UserError.IMAGE_TOO_LARGE
                    ? userError.in(languageCode, UserTexts.size(maxBytes, languageCode)) : userError.in(languageCode);
        }
    }

    private final HttpClient http;
    private final boolean privateAddresses;

    /** Fetches over {@code http}, from public addresses only unless {@code privateAddresses}. */
    public ImageInliner(HttpClient http, boolean privateAddresses) {
        this.privateAddresses = privateAddresses;
        HttpClient redirecting = http.followRedirect(true);
        // The redirects Reactor Netty follows (301, 302, 303, 307, 308), none to a private address written as an IP.
        BiPredicate<HttpClientRequest, HttpClientResponse> followed =
                redirecting.configuration().followRedirectPredicate();
        this.http = privateAddresses ? redirecting : http.resolver(new PublicAddresses())
                .followRedirect((request, response) -> followed.test(request, response)
                        && !privateLiteral(response.responseHeaders().get(HttpHeaderNames.LOCATION)));
    }

    /** Whether {@code url} names its host as an IP address that is not public; names are left to the resolver. */
    private static boolean privateLiteral(String url) {
        try {
            return url != null && PublicAddresses.refusedLiteral(URI.create(url).getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public Mono<List<ChatMessage>> inline(List<ChatMessage> messages, ImageInput settings) {
        if (settings == null || settings.getDelivery() != ImageInput.Delivery.INLINE) {
            return Mono.just(messages);
        }
        return Flux.fromIterable(messages)
                .concatMap(message -> message.images().isEmpty() ? Mono.just(message)
                        : Flux.fromIterable(message.images()).concatMap(url -> fetch(url, settings)).collectList()
                        .map(message::withImages))
                .collectList();
    }

    private Mono<String> fetch(String url, ImageInput settings) {
        int max = settings.effectiveMaxBytes();
        if (!privateAddresses && privateLiteral(url)) {
            return Mono.error(new Failure("could not fetch the attached image: " + URI.create(url).getHost()
                    + " is not a public address", UserError.IMAGE_UNAVAILABLE));
        }
        return http.get().uri(url)
                .response((response, body) -> {
                    int status = response.status().code();
                    if (status != 200) {
                        return Mono.error(new Failure("could not fetch the attached image: HTTP " + status,
                                status >= 500 || status == 429 ? UserError.IMAGE_NOT_FETCHED
                                        : UserError.IMAGE_UNAVAILABLE));
                    }
                    String length = response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
                    if (length != null && Long.parseLong(length) > max) {
                        return Mono.error(Failure.tooLarge(max));
                    }
                    String declared = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
                    return body.asByteArray()
                            .reduce(new ByteArrayOutputStream(), (bytes, chunk) -> {
                                if (bytes.size() + chunk.length > max) {
                                    throw Failure.tooLarge(max);
                                }
                                bytes.writeBytes(chunk);
                                return bytes;
                            })
                            .map(bytes -> dataUrl(bytes.toByteArray(), declared));
                })
                .single()
                .timeout(settings.effectiveFetchTimeout())
                .onErrorMap(TimeoutException.class, timeout -> new Failure("could not fetch the attached image "
                        + "within " + settings.effectiveFetchTimeout().toSeconds() + " s", UserError.IMAGE_NOT_FETCHED))
                .onErrorMap(error -> !(error instanceof Failure), ImageInliner::fetchFailure);
    }

    /** A refused address is not worth a retry; any other failure to fetch may be. */
    private static Failure fetchFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof PublicAddresses.Refused refused) {
                return new Failure("could not fetch the attached image: " + refused.getMessage(),
                        UserError.IMAGE_UNAVAILABLE);
            }
        }
        return new Failure("could not fetch the attached image: " + error.getMessage(), UserError.IMAGE_NOT_FETCHED);
    }

    private static String dataUrl(byte[] image, String declared) {
        return "data:" + contentType(image, declared) + ";base64," + Base64.getEncoder().encodeToString(image);
    }

    /** The type the server declared if it is an image type a model takes, else what the image's first bytes say. */
    static String contentType(byte[] image, String declared) {
        String type = declared == null ? "" : declared.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (ImageInput.CONTENT_TYPES.contains(type)) {
            return type;
        }
        if (startsWith(image, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(image, 0x89, 'P', 'N', 'G')) {
            return "image/png";
        }
        if (startsWith(image, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (startsWith(image, 'R', 'I', 'F', 'F') && image.length >= 12 && image[8] == 'W' && image[9] == 'E'
                && image[10] == 'B' && image[11] == 'P') {
            return "image/webp";
        }
        throw new Failure("the attached file is not a JPEG, PNG, GIF or WebP image", UserError.NOT_AN_IMAGE);
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
