package io.github.pyflinksqs.sink;

import java.io.Serializable;

/** What a writer needs besides AsyncSinkWriter's options: where to send, and what to do when. */
final class WriterSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    final String queueUrl;
    final boolean failOnError;
    final RejectedRecordPolicy rejectedRecordPolicy;
    /** Null unless the policy is DEAD_LETTER. */
    final String deadLetterQueueUrl;
    final long maxRecordSizeInBytes;

    WriterSettings(
            String queueUrl,
            boolean failOnError,
            RejectedRecordPolicy rejectedRecordPolicy,
            String deadLetterQueueUrl,
            long maxRecordSizeInBytes) {
        this.queueUrl = queueUrl;
        this.failOnError = failOnError;
        this.rejectedRecordPolicy = rejectedRecordPolicy;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
    }
}
