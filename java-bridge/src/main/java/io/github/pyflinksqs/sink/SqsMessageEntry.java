package io.github.pyflinksqs.sink;

import java.io.Serializable;

/**
 * One message waiting to be sent: what AsyncSinkWriter buffers, batches, retries and snapshots.
 * The batch entry Id is not stored; it is the entry's position in the batch being sent.
 */
public final class SqsMessageEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String body;
    // SQS counts a message's size in UTF-8 bytes; computed once, read at every buffer change.
    private final int sizeInBytes;

    public SqsMessageEntry(String body, int sizeInBytes) {
        this.body = body;
        this.sizeInBytes = sizeInBytes;
    }

    public String body() {
        return body;
    }

    public int sizeInBytes() {
        return sizeInBytes;
    }

    /** Deliberately without the body: entries appear in logs and it may hold user data. */
    @Override
    public String toString() {
        return "SqsMessageEntry{" + sizeInBytes + " bytes}";
    }
}
