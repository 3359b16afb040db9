package dev.botfleet.api;

/** Patterns shared by the resources' schemas; the runtime and operator rely on them too. */
public final class Validation {

    /** A Kubernetes object name (DNS-1123 subdomain), as used for Secrets and providers. */
    public static final String DNS_SUBDOMAIN =
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /**
     * A runtime group name. It becomes part of {@code botfleet-<group>}, which must be a valid
     * Service name (DNS-1035 label, at most 63 characters), hence the letter first and 54 at most.
     */
    public static final String RUNTIME_GROUP = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

    public static final int RUNTIME_GROUP_MAX_LENGTH = 54;

    /** A key inside a Secret's data. */
    public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

    /** An HTTP header name (an RFC 9110 token, restricted to the characters headers use in practice). */
    public static final String HTTP_HEADER_NAME = "^[A-Za-z0-9][-A-Za-z0-9_]*$";

    /** An http or https URL. */
    public static final String HTTP_URL = "^https?://[^\\s/?#]+[^\\s]*$";

    /** A Redis URL without a password: {@code redis://[user@]host[:port][/db]}, {@code rediss://} for TLS. */
    public static final String REDIS_URL = "^rediss?://([-._A-Za-z0-9]+@)?[-.A-Za-z0-9]+(:[0-9]{1,5})?(/[0-9]{1,2})?$";

    /** A duration such as {@code 30s}, {@code 1m30s} or {@code 500ms}. */
    public static final String DURATION = "^([0-9]+(ms|s|m|h))+$";

    private Validation() {
    }
}
