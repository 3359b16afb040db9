package dev.botfleet.operator.reconcile;

/**
 * Why a resource is or is not Ready, as its Ready condition names it, and what that means for the operator: a
 * failure a person must fix (recorded as an Event), one that also needs looking at again because nothing will
 * announce its end (an unlabelled Secret), or progress that resolves by itself.
 */
enum Reason {
    READY("Ready", Kind.READY),
    HANDLER_NOT_AVAILABLE("HandlerNotAvailable", Kind.FAILURE),
    PROVIDER_NOT_FOUND("ProviderNotFound", Kind.FAILURE),
    PROVIDER_NOT_READY("ProviderNotReady", Kind.FAILURE),
    MODEL_NOT_ALLOWED("ModelNotAllowed", Kind.FAILURE),
    ACCESS_KEY_REQUIRED("AccessKeyRequired", Kind.FAILURE),
    ACCESS_KEY_NOT_FOUND("AccessKeyNotFound", Kind.RECHECK),
    RUNTIME_CONFIG_TOO_LARGE("RuntimeConfigTooLarge", Kind.FAILURE),
    RUNTIME_NOT_AVAILABLE("RuntimeNotAvailable", Kind.PROGRESS),
    WRITE_REFUSED("WriteRefused", Kind.FAILURE),
    RECONCILE_FAILED("ReconcileFailed", Kind.FAILURE),
    SECRET_NOT_FOUND("SecretNotFound", Kind.RECHECK),
    SECRET_KEY_MISSING("SecretKeyMissing", Kind.RECHECK);

    enum Kind { READY, PROGRESS, FAILURE, RECHECK }

    private final String value;
    private final Kind kind;

    Reason(String value, Kind kind) {
        this.value = value;
        this.kind = kind;
    }

    /** The reason as the condition carries it. */
    String value() {
        return value;
    }

    boolean ready() {
        return kind == Kind.READY;
    }

    /** Whether turning to this reason deserves a Warning Event: something for a person to fix. */
    boolean recordsEvent() {
        return kind == Kind.FAILURE || kind == Kind.RECHECK;
    }

    /** Whether the resource must be looked at again on a timer, since no watch reports the fix. */
    boolean recheck() {
        return kind == Kind.RECHECK;
    }
}
