package dev.botfleet.operator.desired;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A hash of an object's desired spec, carried in an annotation: a change of what the operator wants is seen
 * without comparing against the fields the API server defaults.
 */
public final class DesiredHash {

    public static final String ANNOTATION = "botfleet.dev/desired-hash";

    private static final ObjectMapper CANONICAL = Serialization.jsonMapper().copy()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private DesiredHash() {
    }

    /** The hash {@code resource} carries, or null. */
    public static String of(HasMetadata resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ANNOTATION);
    }

    /** {@code resource}, annotated with the hash of {@code spec}. */
    static <T extends HasMetadata> T stamp(T resource, Object spec) {
        resource.getMetadata().setAnnotations(Map.of(ANNOTATION, sha256(canonicalJson(spec))));
        return resource;
    }

    /**
     * The spec as JSON with every map's keys sorted: label and resource maps built with {@code Map.of} iterate in
     * an order that changes from one JVM to the next, and a hash over that order made a restarted operator
     * rewrite every Deployment and Service.
     */
    static String canonicalJson(Object spec) {
        try {
            return CANONICAL.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
