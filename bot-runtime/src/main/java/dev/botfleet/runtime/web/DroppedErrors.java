package dev.botfleet.runtime.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;
import reactor.netty.channel.AbortedException;

/**
 * What Reactor does with an error that arrives after its subscriber has gone: a caller that resets its connection
 * while its request is read or answered is routine, not an error worth a stack trace; anything else is logged.
 */
public final class DroppedErrors {

    private static final Logger log = LoggerFactory.getLogger(DroppedErrors.class);

    private DroppedErrors() {
    }

    public static void install() {
        Hooks.onErrorDropped(error -> {
            if (AbortedException.isConnectionReset(error)) {
                log.debug("a caller hung up: {}", error.toString());
            } else {
                log.warn("an error arrived after its request had ended: {}", error.toString());
            }
        });
    }
}
