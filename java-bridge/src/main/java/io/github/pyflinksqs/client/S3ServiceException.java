package io.github.pyflinksqs.client;

/** S3 answered a PutObject with an error status: the HTTP status, the error code and message. */
public class S3ServiceException extends RuntimeException {
    private final int statusCode;
    private final String code;

    public S3ServiceException(int statusCode, String code, String message, String requestId) {
        super(
                "S3 answered HTTP "
                        + statusCode
                        + (code.isEmpty() ? "" : " " + code)
                        + (message == null || message.isEmpty() ? "" : ": " + message)
                        + (requestId == null || requestId.isEmpty()
                                ? ""
                                : " [request id " + requestId + "]"));
        this.statusCode = statusCode;
        this.code = code;
    }

    public int statusCode() {
        return statusCode;
    }

    /** E.g. NoSuchBucket; empty when the answer had none (a HEAD-like or proxy answer). */
    public String code() {
        return code;
    }
}
