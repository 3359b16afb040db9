package dev.botfleet.runtime.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A Lua script of this package's resources, with the SHA-1 that Redis knows it by once it has run it. */
record RedisScript(String name, String text, String sha1) {

    static final RedisScript ADMIT = load("admit");
    static final RedisScript RELEASE = load("release");
    static final RedisScript RESERVE = load("reserve");
    static final RedisScript SETTLE = load("settle");
    static final List<RedisScript> ALL = List.of(ADMIT, RELEASE, RESERVE, SETTLE);

    private static RedisScript load(String name) {
        try (InputStream in = RedisScript.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("no script " + name + ".lua beside " + RedisScript.class.getName());
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return new RedisScript(name, text, HexFormat.of().formatHex(digest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
