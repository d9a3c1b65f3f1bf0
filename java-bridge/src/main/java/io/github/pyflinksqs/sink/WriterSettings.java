package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.config.LargePayloadOffload;

import java.io.Serializable;

/** What a writer needs besides AsyncSinkWriter's options: where to send, and what to do when. */
final class WriterSettings implements Serializable {
    private static final long serialVersionUID = 4L;

    final String queueUrl;
    final boolean failOnError;
    final RejectedRecordPolicy rejectedRecordPolicy;

    /** Null unless the policy is DEAD_LETTER. */
    final String deadLetterQueueUrl;

    final long maxRecordSizeInBytes;

    /**
     * The most one message may weigh in SQS: max_record_size_in_bytes, or with large-payload
     * offload (where records may be larger) max_batch_size_in_bytes. Bounds dead-letter copies.
     */
    final long maxInlineBytes;

    /** Null unless large-payload offload is on. */
    final LargePayloadOffload offload;

    /** A FIFO queue: every message has a group id, and order within a group is kept. */
    final boolean fifo;

    final FifoDeduplication deduplication;

    /** Random per built sink: part of per-record deduplication ids (RecordDeduplication). */
    final String deduplicationNonce;

    WriterSettings(
            String queueUrl,
            boolean failOnError,
            RejectedRecordPolicy rejectedRecordPolicy,
            String deadLetterQueueUrl,
            long maxRecordSizeInBytes,
            long maxInlineBytes,
            LargePayloadOffload offload,
            boolean fifo,
            FifoDeduplication deduplication,
            String deduplicationNonce) {
        this.queueUrl = queueUrl;
        this.failOnError = failOnError;
        this.rejectedRecordPolicy = rejectedRecordPolicy;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
        this.maxInlineBytes = maxInlineBytes;
        this.offload = offload;
        this.fifo = fifo;
        this.deduplication = deduplication;
        this.deduplicationNonce = deduplicationNonce;
    }
}
