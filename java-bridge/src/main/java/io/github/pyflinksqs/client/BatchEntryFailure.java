package io.github.pyflinksqs.client;

/** One entry SQS reported under "Failed": its Id as answered, code, message and fault. */
public final class BatchEntryFailure {
    private final String id;
    private final String code;
    private final String message;
    private final boolean senderFault;

    public BatchEntryFailure(String id, String code, String message, boolean senderFault) {
        this.id = id;
        this.code = code;
        this.message = message;
        this.senderFault = senderFault;
    }

    public String id() {
        return id;
    }

    public String code() {
        return code;
    }

    public String message() {
        return message;
    }

    public boolean senderFault() {
        return senderFault;
    }

    @Override
    public String toString() {
        return "entry " + id + ": " + code + " (" + message + ")";
    }
}
