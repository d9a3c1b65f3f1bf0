package io.github.pyflinksqs.sink;

/** Why a record cannot be sent: a reason code and a message that never quotes the body. */
public final class Rejection {
    public static final String EMPTY_BODY = "EMPTY_BODY";
    public static final String INVALID_CHARACTER = "INVALID_CHARACTER";
    public static final String TOO_LARGE = "TOO_LARGE";
    public static final String NOT_UTF8 = "NOT_UTF8";
    // Large-payload offload: a message over the threshold whose attributes leave no room for the
    // Extended Client's size attribute.
    public static final String TOO_MANY_ATTRIBUTES = "TOO_MANY_ATTRIBUTES";

    private final String reason;
    private final String detail;

    public Rejection(String reason, String detail) {
        this.reason = reason;
        this.detail = detail;
    }

    /** EMPTY_BODY, INVALID_CHARACTER, TOO_LARGE, NOT_UTF8, or the code SQS answered. */
    public String reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return reason + ": " + detail;
    }
}
