package io.github.pyflinksqs.sink;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message waiting to be sent: what AsyncSinkWriter buffers, batches, retries and snapshots.
 * Immutable; a retry sends a copy with its attempt counted ({@link #nextAttempt}). The batch entry
 * Id is not stored: it is the entry's position in the call being sent.
 */
public final class SqsMessageEntry implements Serializable {
    private static final long serialVersionUID = 4L;
    public static final int NO_DELAY = -1;

    private final String body;
    // FIFO queues: the message group (order is kept within it) and the deduplication id.
    private final String groupId;
    private final String deduplicationId;
    private final int delaySeconds;
    private final Map<String, MessageAttribute> attributes;
    private final boolean deadLetter;
    private final long position;
    // The queue this entry goes to when it is not the sink's own (null: the sink's queue, or
    // for a dead-letter copy the dead-letter queue).
    private final String queueUrl;
    // SQS counts a message's size as the UTF-8 bytes of its body plus, per attribute, its name,
    // type and value; computed once, read at every buffer change.
    private final int sizeInBytes;
    // Not in checkpoints: how often it was sent without being delivered, for its backoff, and
    // how often SQS's answer for it failed the integrity check.
    private final int attempt;
    private final int integrityFailures;
    // Not in checkpoints: FIFO ordering's name for the entry and its retried copies.
    private final long serial;

    public SqsMessageEntry(String body, int bodySizeInBytes) {
        this(body, bodySizeInBytes, Collections.emptyMap(), false, -1, null, null, NO_DELAY);
    }

    SqsMessageEntry(
            String body,
            int bodySizeInBytes,
            Map<String, MessageAttribute> attributes,
            boolean deadLetter,
            long position) {
        this(body, bodySizeInBytes, attributes, deadLetter, position, null, null, NO_DELAY);
    }

    public SqsMessageEntry(
            String body,
            int bodySizeInBytes,
            Map<String, MessageAttribute> attributes,
            boolean deadLetter,
            long position,
            String groupId,
            String deduplicationId,
            int delaySeconds) {
        this(
                body,
                bodySizeInBytes,
                attributes,
                deadLetter,
                position,
                groupId,
                deduplicationId,
                delaySeconds,
                null,
                0,
                0);
    }

    SqsMessageEntry(
            String body,
            int bodySizeInBytes,
            Map<String, MessageAttribute> attributes,
            boolean deadLetter,
            long position,
            String groupId,
            String deduplicationId,
            int delaySeconds,
            String queueUrl,
            int attempt,
            int integrityFailures) {
        this.body = body;
        this.groupId = groupId;
        this.deduplicationId = deduplicationId;
        this.delaySeconds = delaySeconds;
        this.attributes =
                attributes.isEmpty()
                        ? Collections.emptyMap()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        this.deadLetter = deadLetter;
        this.position = position;
        this.queueUrl = queueUrl;
        this.attempt = attempt;
        this.integrityFailures = integrityFailures;
        this.serial = -1;
        long size = bodySizeInBytes;
        for (Map.Entry<String, MessageAttribute> attribute : this.attributes.entrySet()) {
            size +=
                    attribute.getKey().getBytes(StandardCharsets.UTF_8).length
                            + attribute.getValue().sizeInBytes();
        }
        // A body near the 2 GiB bound of offload plus large attributes would overflow an int;
        // saturated, the size is over every record limit, so the record is refused, never sent.
        this.sizeInBytes = (int) Math.min(size, Integer.MAX_VALUE);
    }

    /**
     * This entry once its body is in S3: the pointer as body and the attributes with the size
     * attribute (large-payload offload); everything else kept.
     */
    SqsMessageEntry offloaded(String pointer, Map<String, MessageAttribute> attributes) {
        return new SqsMessageEntry(
                pointer,
                pointer.getBytes(StandardCharsets.UTF_8).length,
                attributes,
                deadLetter,
                position,
                groupId,
                deduplicationId,
                delaySeconds,
                queueUrl,
                0,
                0);
    }

    private SqsMessageEntry(
            SqsMessageEntry entry, int attempt, int integrityFailures, long serial) {
        this.body = entry.body;
        this.groupId = entry.groupId;
        this.deduplicationId = entry.deduplicationId;
        this.delaySeconds = entry.delaySeconds;
        this.attributes = entry.attributes;
        this.deadLetter = entry.deadLetter;
        this.position = entry.position;
        this.queueUrl = entry.queueUrl;
        this.sizeInBytes = entry.sizeInBytes;
        this.attempt = attempt;
        this.integrityFailures = integrityFailures;
        this.serial = serial;
    }

    /** The copy to send again after a failed attempt. */
    SqsMessageEntry nextAttempt() {
        return new SqsMessageEntry(this, attempt + 1, integrityFailures, serial);
    }

    /** The copy to send again after SQS's answer for it failed the integrity check. */
    SqsMessageEntry nextAttemptAfterIntegrityFailure() {
        return new SqsMessageEntry(this, attempt + 1, integrityFailures + 1, serial);
    }

    /** The same message with the deduplication id the sink gave it. */
    SqsMessageEntry withDeduplicationId(String id) {
        return new SqsMessageEntry(
                body,
                sizeInBytesOfBody(),
                attributes,
                deadLetter,
                position,
                groupId,
                id,
                delaySeconds,
                queueUrl,
                attempt,
                integrityFailures);
    }

    private int sizeInBytesOfBody() {
        int size = sizeInBytes;
        for (Map.Entry<String, MessageAttribute> attribute : attributes.entrySet()) {
            size -=
                    attribute.getKey().getBytes(StandardCharsets.UTF_8).length
                            + attribute.getValue().sizeInBytes();
        }
        return size;
    }

    /** The same entry, named for FIFO ordering. */
    SqsMessageEntry withSerial(long serial) {
        return new SqsMessageEntry(this, attempt, integrityFailures, serial);
    }

    /** -1 unless FIFO ordering named it. */
    long serial() {
        return serial;
    }

    public String body() {
        return body;
    }

    public Map<String, MessageAttribute> attributes() {
        return attributes;
    }

    /** Null unless the message has a group (always on FIFO queues). */
    public String groupId() {
        return groupId;
    }

    /** Null unless the message goes to a FIFO queue. */
    public String deduplicationId() {
        return deduplicationId;
    }

    /** {@link #NO_DELAY} unless the message sets its own delay. */
    public int delaySeconds() {
        return delaySeconds;
    }

    /** True for a copy of a rejected record, bound for the dead-letter queue. */
    public boolean isDeadLetter() {
        return deadLetter;
    }

    /** 1-based position of the record in its subtask's input; -1 when unknown. */
    public long position() {
        return position;
    }

    /** The queue for this entry when it is not the sink's own; null otherwise. */
    public String queueUrl() {
        return queueUrl;
    }

    public int sizeInBytes() {
        return sizeInBytes;
    }

    /** 0 for the first send; counts the sends that did not deliver it. */
    int attempt() {
        return attempt;
    }

    int integrityFailures() {
        return integrityFailures;
    }

    /** What a log line or an error may say about the entry: never its body. */
    String describe() {
        return (position >= 0 ? "record " + position : "a record") + " (" + sizeInBytes + " bytes)";
    }

    /** Deliberately without the body: entries appear in logs and it may hold user data. */
    @Override
    public String toString() {
        return "SqsMessageEntry{"
                + (position >= 0 ? "record " + position + ", " : "")
                + sizeInBytes
                + " bytes"
                + (deadLetter ? ", dead letter" : "")
                + "}";
    }
}
