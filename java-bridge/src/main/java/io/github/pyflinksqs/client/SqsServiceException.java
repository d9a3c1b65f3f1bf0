package io.github.pyflinksqs.client;

/** SQS answered a call with an error status: the HTTP status, the error code and message. */
public class SqsServiceException extends RuntimeException {
    private final int statusCode;
    private final String code;
    private final String queryCode;
    private final String requestId;

    public SqsServiceException(
            int statusCode, String code, String queryCode, String message, String requestId) {
        super(describe(statusCode, code, queryCode, message, requestId));
        this.statusCode = statusCode;
        this.code = code;
        this.queryCode = queryCode;
        this.requestId = requestId;
    }

    private static String describe(
            int statusCode, String code, String queryCode, String message, String requestId) {
        StringBuilder text = new StringBuilder("SQS answered HTTP ").append(statusCode);
        if (!code.isEmpty()) {
            text.append(' ').append(code);
        }
        if (!queryCode.isEmpty() && !queryCode.equals(code)) {
            text.append(" (").append(queryCode).append(')');
        }
        if (message != null && !message.isEmpty()) {
            text.append(": ").append(message);
        }
        if (requestId != null && !requestId.isEmpty()) {
            text.append(" [request id ").append(requestId).append(']');
        }
        return text.toString();
    }

    public int statusCode() {
        return statusCode;
    }

    /** The JSON protocol code, e.g. QueueDoesNotExist. */
    public String code() {
        return code;
    }

    /** The query protocol code, e.g. AWS.SimpleQueueService.NonExistentQueue; may be empty. */
    public String queryCode() {
        return queryCode;
    }

    public String requestId() {
        return requestId;
    }
}
