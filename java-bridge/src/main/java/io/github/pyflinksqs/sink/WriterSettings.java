package io.github.pyflinksqs.sink;

import java.io.Serializable;

/** What a writer needs besides AsyncSinkWriter's options: where to send, and what to do when. */
final class WriterSettings implements Serializable {
    private static final long serialVersionUID = 3L;

    final String queueUrl;
    final boolean failOnError;
    final RejectedRecordPolicy rejectedRecordPolicy;

    /** Null unless the policy is DEAD_LETTER. */
    final String deadLetterQueueUrl;

    final long maxRecordSizeInBytes;

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
            boolean fifo,
            FifoDeduplication deduplication,
            String deduplicationNonce) {
        this.queueUrl = queueUrl;
        this.failOnError = failOnError;
        this.rejectedRecordPolicy = rejectedRecordPolicy;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
        this.fifo = fifo;
        this.deduplication = deduplication;
        this.deduplicationNonce = deduplicationNonce;
    }
}
