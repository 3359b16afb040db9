package dev.botfleet.operator.reconcile;

import dev.botfleet.api.LLMBot;
import dev.botfleet.operator.desired.RuntimeGroup;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the last reconcile of each runtime group made of its bots, handed from the group reconciler, which alone
 * writes a group's objects, to the LLMBot reconciler, which judges each bot's readiness by it. Publishing an outcome
 * wakes exactly the bots it changes the verdict of.
 */
public final class GroupOutcomes {

    /**
     * A group after its reconcile.
     *
     * @param judged     the generation of each member bot the reconcile rendered (or found no room for)
     * @param tooLarge   the members left out of the ConfigMap for want of room
     * @param handlers   the handlers the group's image has
     * @param available  whether the group's Deployment has an available replica
     * @param failure    why the group's objects could not be written, when they could not
     */
    record Outcome(Map<String, Long> judged, Set<String> tooLarge, List<String> handlers, boolean available,
                   Failure failure) {

        Outcome {
            judged = Map.copyOf(judged);
            tooLarge = Set.copyOf(tooLarge);
            handlers = List.copyOf(handlers);
        }

        /** Whether this outcome was reached with {@code bot}'s current spec, so its verdict may be given. */
        boolean judges(LLMBot bot) {
            return failure != null || Objects.equals(judged.get(bot.getMetadata().getName()),
                    bot.getMetadata().getGeneration());
        }

        BotReadiness.GroupView view() {
            return new BotReadiness.GroupView(handlers, tooLarge, available);
        }

        Outcome failed(Failure why) {
            return new Outcome(judged, tooLarge, handlers, available, why);
        }

        private boolean sameForAll(Outcome other) {
            return handlers.equals(other.handlers) && available == other.available
                    && Objects.equals(failure, other.failure);
        }

        private boolean sameFor(String bot, Outcome other) {
            return Objects.equals(judged.get(bot), other.judged.get(bot))
                    && tooLarge.contains(bot) == other.tooLarge.contains(bot);
        }
    }

    /** A reconcile of the group that failed: its reason and a message for the bots' status. */
    record Failure(Reason reason, String message) {
    }

    private static final Outcome NONE = new Outcome(Map.of(), Set.of(), List.of(), false, null);

    private final SimpleInboundEventSource<LLMBot> changes = new SimpleInboundEventSource<>("group-outcomes");
    private final Map<RuntimeGroup, Outcome> byGroup = new ConcurrentHashMap<>();
    /** The group whose outcome last judged each bot, by "namespace/name": a bot that moves leaves it behind. */
    private final Map<String, RuntimeGroup> groupOfBot = new ConcurrentHashMap<>();

    /** The events that wake the bots an outcome changed; an event source of the LLMBot controller. */
    SimpleInboundEventSource<LLMBot> changes() {
        return changes;
    }

    Optional<Outcome> of(RuntimeGroup group) {
        return Optional.ofNullable(byGroup.get(group));
    }

    /** The group that last judged the bot, if any: where a bot that changed group must be taken out. */
    Optional<RuntimeGroup> lastGroupOf(String namespace, String bot) {
        return Optional.ofNullable(groupOfBot.get(namespace + "/" + bot));
    }

    /** Records the group's outcome and wakes the bots whose verdict it may change. */
    void publish(RuntimeGroup group, Outcome outcome) {
        Outcome previous = byGroup.getOrDefault(group, NONE);
        byGroup.put(group, outcome);
        boolean changedForAll = !previous.sameForAll(outcome);
        Set<String> bots = new HashSet<>(previous.judged().keySet());
        bots.addAll(outcome.judged().keySet());
        for (String bot : bots) {
            String key = group.namespace() + "/" + bot;
            if (outcome.judged().containsKey(bot)) {
                groupOfBot.put(key, group);
            } else {
                groupOfBot.remove(key, group);
            }
            if (changedForAll || !previous.sameFor(bot, outcome)) {
                changes.propagateEvent(new ResourceID(bot, group.namespace()));
            }
        }
    }

    /** Marks the group's last outcome failed, and wakes its {@code members} so that they show why. */
    void fail(RuntimeGroup group, List<String> members, Failure failure) {
        Outcome previous = byGroup.getOrDefault(group, NONE);
        publish(group, previous.failed(failure));
        members.stream().filter(bot -> !previous.judged().containsKey(bot))
                .forEach(bot -> changes.propagateEvent(new ResourceID(bot, group.namespace())));
    }

    /** Forgets a group that has no bots left. */
    void forget(RuntimeGroup group) {
        publish(group, NONE);
        byGroup.remove(group);
    }
}
