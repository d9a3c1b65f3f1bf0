package io.github.pyflinksqs.client;

import java.util.List;

/** A SendMessageBatch call SQS answered with 200: the entries it reported, as it reported them. */
public final class SendMessageBatchResult {
    private final List<BatchEntrySuccess> successful;
    private final List<BatchEntryFailure> failed;

    public SendMessageBatchResult(
            List<BatchEntrySuccess> successful, List<BatchEntryFailure> failed) {
        this.successful = successful;
        this.failed = failed;
    }

    public List<BatchEntrySuccess> successful() {
        return successful;
    }

    public List<BatchEntryFailure> failed() {
        return failed;
    }
}
