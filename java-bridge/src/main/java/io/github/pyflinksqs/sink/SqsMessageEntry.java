package io.github.pyflinksqs.sink;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message waiting to be sent: what AsyncSinkWriter buffers, batches, retries and snapshots.
 * The batch entry Id is not stored; it is the entry's position in the batch being sent.
 */
public final class SqsMessageEntry implements Serializable {
    private static final long serialVersionUID = 3L;
    public static final int NO_DELAY = -1;

    private final String body;
    // FIFO queues: the message group (order is kept within it) and the deduplication id.
    private final String groupId;
    private final String deduplicationId;
    private final int delaySeconds;
    private final Map<String, MessageAttribute> attributes;
    private final boolean deadLetter;
    private final long position;
    // SQS counts a message's size as the UTF-8 bytes of its body plus, per attribute, its name,
    // type and value; computed once, read at every buffer change.
    private final int sizeInBytes;

    public SqsMessageEntry(String body, int bodySizeInBytes) {
        this(body, bodySizeInBytes, Collections.emptyMap(), false, -1);
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
        int size = bodySizeInBytes;
        for (Map.Entry<String, MessageAttribute> attribute : this.attributes.entrySet()) {
            size += attribute.getKey().getBytes(StandardCharsets.UTF_8).length
                    + attribute.getValue().sizeInBytes();
        }
        this.sizeInBytes = size;
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

    public int sizeInBytes() {
        return sizeInBytes;
    }

    /** Deliberately without the body: entries appear in logs and it may hold user data. */
    @Override
    public String toString() {
        return "SqsMessageEntry{" + (position >= 0 ? "record " + position + ", " : "")
                + sizeInBytes + " bytes" + (deadLetter ? ", dead letter" : "") + "}";
    }
}
