package dev.botfleet.runtime.redis;

import dev.botfleet.runtime.budgets.Budget;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Names the keys of the shared counts. Every key of a bot carries the bot in braces, Redis Cluster's hash tag, so
 * that one script may touch all of them; a user id that is long or holds unusual characters is hashed, so that no
 * id can make a key long or collide with another key.
 */
final class RedisKeys {

    private static final Pattern PLAIN_USER = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final String prefix;

    RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    String botAnswers(String bot) {
        return bot(bot) + ":answers";
    }

    String userAnswers(String bot, String user) {
        return bot(bot) + ":answers:" + user(user);
    }

    /** The rate is part of the key: a changed limit starts with a full bucket instead of the old one. */
    String userRate(String bot, String user, int perMinute) {
        return bot(bot) + ":rate:" + perMinute + ":" + user(user);
    }

    /** A budget's count in the period starting at {@code periodStart}, the bot's own when {@code user} is null. */
    String budget(String bot, String user, Budget budget, Instant periodStart) {
        String count = bot(bot) + ":budget:" + budget.tag() + ":" + periodStart.getEpochSecond();
        return user == null ? count : count + ":" + user(user);
    }

    private String bot(String bot) {
        return prefix + ":{" + bot + "}";
    }

    private static String user(String user) {
        if (PLAIN_USER.matcher(user).matches()) {
            return user;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
            return "#" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
