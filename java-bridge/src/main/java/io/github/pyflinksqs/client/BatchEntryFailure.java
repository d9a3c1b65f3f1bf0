package io.github.pyflinksqs.client;

/** One entry SQS reported under "Failed": its position in the batch, code and message. */
public final class BatchEntryFailure {
    private final int index;
    private final String code;
    private final String message;
    private final boolean senderFault;

    BatchEntryFailure(int index, String code, String message, boolean senderFault) {
        this.index = index;
        this.code = code;
        this.message = message;
        this.senderFault = senderFault;
    }

    public int index() {
        return index;
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
        return "entry " + index + ": " + code + " (" + message + ")";
    }
}
