package dev.botfleet.runtime.web;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that is too slow to deliver a request: its headers must arrive within the header timeout
 * of the connection opening (or of the previous answer ending, on a kept-alive connection), its body within the
 * body timeout of the headers. A client trickling bytes cannot hold a connection; no deadline runs while an
 * answer streams. Sits right after the HTTP codec, where requests are parsed.
 */
final class RequestDeadlines extends ChannelDuplexHandler {

    private final long headerMillis;
    private final long bodyMillis;
    private ScheduledFuture<?> deadline;

    RequestDeadlines(Duration headerTimeout, Duration bodyTimeout) {
        this.headerMillis = headerTimeout.toMillis();
        this.bodyMillis = bodyTimeout.toMillis();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        arm(ctx, headerMillis);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof HttpRequest) {
            if (message instanceof LastHttpContent) {
                disarm();
            } else {
                arm(ctx, bodyMillis);
            }
        } else if (message instanceof LastHttpContent) {
            disarm();
        }
        ctx.fireChannelRead(message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        if (message instanceof LastHttpContent) {
            // The answer is complete: a kept-alive connection now waits for the next request's headers.
            promise.addListener(written -> arm(ctx, headerMillis));
        }
        ctx.write(message, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    private void arm(ChannelHandlerContext ctx, long millis) {
        disarm();
        deadline = ctx.executor().schedule(() -> {
            ctx.close();
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
