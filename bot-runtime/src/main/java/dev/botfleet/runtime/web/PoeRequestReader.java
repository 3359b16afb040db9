package dev.botfleet.runtime.web;

import dev.botfleet.handler.poe.PoeRequestException;
import dev.botfleet.runtime.poe.PoeRequest;
import dev.botfleet.runtime.poe.PoeRequests;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a Poe request's body within the size limit and the body budget, and parses it: refused with 413 past the
 * size limit, with 503 while the bodies being received together pass the budget, and with 400 when it is not a
 * Poe request. A caller that hangs up mid-body gets nothing: there is no one to answer.
 */
final class PoeRequestReader implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private static final String ATTRIBUTE = PoeRequestReader.class.getName();

    private final PoeRequests requests;
    private final int maxBodyBytes;
    private final BodyBudget budget;

    PoeRequestReader(PoeRequests requests, int maxBodyBytes, BodyBudget budget) {
        this.requests = requests;
        this.maxBodyBytes = maxBodyBytes;
        this.budget = budget;
    }

    /** The request {@link PoeRequestReader} read. */
    static PoeRequest of(ServerRequest request) {
        return (PoeRequest) request.attribute(ATTRIBUTE)
                .orElseThrow(() -> new IllegalStateException("no Poe request read for " + request.path()));
    }

    @Override
    public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
        return body(request).flatMap(bytes -> {
            request.attributes().put(ATTRIBUTE, requests.read(bytes));
            return next.handle(request);
        });
    }

    private Mono<byte[]> body(ServerRequest request) {
        AtomicLong taken = new AtomicLong();
        Flux<DataBuffer> budgeted = request.bodyToFlux(DataBuffer.class).handle((buffer, sink) -> {
            if (budget.take(buffer.readableByteCount())) {
                taken.addAndGet(buffer.readableByteCount());
                sink.next(buffer);
            } else {
                DataBufferUtils.release(buffer);
                sink.error(new PoeRequestException(503, "too many request bodies are being received at once; "
                        + "retry shortly"));
            }
        });
        return DataBufferUtils.join(budgeted, maxBodyBytes)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> new PoeRequestException(413,
                        "request body exceeds " + maxBodyBytes + " bytes"))
                .onErrorResume(AbortedException::isConnectionReset, gone -> Mono.empty())
                .doFinally(signal -> budget.give(taken.getAndSet(0)));
    }
}
