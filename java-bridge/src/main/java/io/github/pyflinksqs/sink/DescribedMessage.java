package io.github.pyflinksqs.sink;

import java.util.Collections;
import java.util.Map;

/**
 * One element described as a message: its body (as sent, and null when those bytes are not UTF-8
 * text, which the rejected-record policy then handles), and what else it sets. What a {@link
 * MessageDescriber} makes of an element; the converter turns it into a request entry.
 */
public final class DescribedMessage {
    final String body;
    final byte[] bodyBytes;
    final String groupId; // null: none
    final String deduplicationId; // null: computed on FIFO queues (fifo_deduplication)
    final int delaySeconds; // SqsMessageEntry.NO_DELAY: the queue's
    final Map<String, MessageAttribute> attributes;
    final String queueUrl; // null: the sink's queue

    public DescribedMessage(
            String body,
            byte[] bodyBytes,
            String groupId,
            String deduplicationId,
            int delaySeconds,
            Map<String, MessageAttribute> attributes) {
        this(body, bodyBytes, groupId, deduplicationId, delaySeconds, attributes, null);
    }

    /** queueUrl: a queue of the sink's kind and region, already checked (or null). */
    public DescribedMessage(
            String body,
            byte[] bodyBytes,
            String groupId,
            String deduplicationId,
            int delaySeconds,
            Map<String, MessageAttribute> attributes,
            String queueUrl) {
        this.body = body;
        this.bodyBytes = bodyBytes;
        this.groupId = groupId;
        this.deduplicationId = deduplicationId;
        this.delaySeconds = delaySeconds;
        this.attributes = attributes == null ? Collections.emptyMap() : attributes;
        this.queueUrl = queueUrl;
    }

    /** The queue this message goes to; null: the sink's. */
    public String queueUrl() {
        return queueUrl;
    }

    /** A body and nothing else. */
    public static DescribedMessage of(byte[] bodyBytes) {
        return new DescribedMessage(
                StrictUtf8.decodeOrNull(bodyBytes),
                bodyBytes,
                null,
                null,
                SqsMessageEntry.NO_DELAY,
                null);
    }
}
