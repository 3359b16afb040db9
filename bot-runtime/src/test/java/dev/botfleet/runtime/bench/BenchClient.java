package dev.botfleet.runtime.bench;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.time.Duration;

/**
 * A non-blocking streaming client for benchmarks. It times each stream to its first token and counts the tokens,
 * so the same client measures the upstream directly and the runtime relaying it.
 */
final class BenchClient implements AutoCloseable {

    private final ConnectionProvider pool = ConnectionProvider.builder("bench-client")
            .maxConnections(20_000)
            .pendingAcquireMaxCount(-1)
            .pendingAcquireTimeout(Duration.ofMinutes(5))
            .build();
    private final HttpClient http = HttpClient.create(pool)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 60_000)
            // fastapi_poe wants a bearer token even from a bot without an access key; the runtime ignores it there.
            .headers(headers -> headers.set("Content-Type", "application/json").set("Accept", "text/event-stream")
                    .set("Authorization", "Bearer bench"));

    /**
     * What one stream delivered.
     *
     * @param meanTokenMillis when its tokens arrived, on average, from the request
     * @param textEvents      how many Poe {@code text} events carried them (0 from the upstream directly)
     */
    record Stream(double firstTokenMillis, double totalMillis, long tokens, double meanTokenMillis, long textEvents) {
    }

    /** Streams from {@code url}, completing when the answer has ended. */
    Mono<Stream> stream(String url, String body) {
        return Mono.defer(() -> {
            Tally tally = new Tally(System.nanoTime());
            return post(url, body)
                    .doOnNext(tally::add)
                    .then(Mono.fromSupplier(tally::result));
        });
    }

    /**
     * Opens a stream from {@code url} and completes as soon as its first token arrives, leaving the stream open
     * until the returned subscription is disposed.
     */
    Mono<Double> firstToken(String url, String body, reactor.core.Disposable.Composite holder) {
        return Mono.create(sink -> {
            Tally tally = new Tally(System.nanoTime());
            holder.add(post(url, body)
                    .subscribe(text -> {
                        tally.add(text);
                        if (tally.tokens > 0) {
                            sink.success(tally.firstTokenMillis());
                        }
                    }, sink::error, () -> sink.error(new IllegalStateException("ended before the first token"))));
        });
    }

    /** The response body as it arrives; an error unless the status is 200. */
    private Flux<String> post(String url, String body) {
        return http.post().uri(url).send(ByteBufFlux.fromString(Mono.just(body)))
                .response((response, content) -> response.status().code() == 200
                        ? content.asString()
                        : Mono.error(new IllegalStateException("HTTP " + response.status().code())));
    }

    @Override
    public void close() {
        pool.disposeLater().block(Duration.ofSeconds(30));
    }

    /** Tokens and text events counted across fragment boundaries. */
    private static final class Tally {
        private final long start;
        private final Occurrences tokenMarks = new Occurrences(BenchUpstream.TOKEN);
        private final Occurrences textEvents = new Occurrences("event: text");
        private long firstToken = -1;
        private long tokens;
        private double tokenMillis;

        Tally(long start) {
            this.start = start;
        }

        void add(String fragment) {
            long now = System.nanoTime();
            long arrived = tokenMarks.count(fragment);
            tokens += arrived;
            tokenMillis += arrived * (now - start) / 1e6;
            textEvents.count(fragment);
            if (tokens > 0 && firstToken < 0) {
                firstToken = now;
            }
        }

        double firstTokenMillis() {
            return (firstToken - start) / 1e6;
        }

        Stream result() {
            if (tokens == 0) {
                throw new IllegalStateException("no token in the answer");
            }
            return new Stream(firstTokenMillis(), (System.nanoTime() - start) / 1e6, tokens, tokenMillis / tokens,
                    textEvents.total);
        }
    }

    /** Occurrences of a marker in text that arrives in fragments, one split anywhere counted once. */
    private static final class Occurrences {
        private final String marker;
        private String tail = "";
        private long total;

        Occurrences(String marker) {
            this.marker = marker;
        }

        /** The occurrences that {@code fragment} completes. */
        long count(String fragment) {
            String text = tail + fragment;
            long found = 0;
            for (int at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
                found++;
            }
            tail = text.substring(text.length() - Math.min(text.length(), marker.length() - 1));
            total += found;
            return found;
        }
    }
}
