package io.github.pyflinksqs.client;

import java.util.List;

/** A SendMessageBatch call that SQS answered with 200: how many entries succeeded, which failed. */
public final class SendMessageBatchResult {
    private final int successfulCount;
    private final List<BatchEntryFailure> failed;

    SendMessageBatchResult(int successfulCount, List<BatchEntryFailure> failed) {
        this.successfulCount = successfulCount;
        this.failed = failed;
    }

    public int successfulCount() {
        return successfulCount;
    }

    public List<BatchEntryFailure> failed() {
        return failed;
    }
}
