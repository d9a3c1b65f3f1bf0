package io.github.pyflinksqs.sink;

import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.connector.base.sink.writer.Batch;
import org.apache.flink.connector.base.sink.writer.BatchCreator;
import org.apache.flink.connector.base.sink.writer.RequestBuffer;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * Batches for a FIFO queue from a {@link FifoRequestBuffer}: one entry per free group.
 *
 * <p>When everything buffered belongs to groups with a call in flight, it waits for an answer
 * by yielding to the mailbox (where answers arrive) instead of returning an empty batch:
 * AsyncSinkWriter's write() and nonBlockingFlush() call flush() in a loop while the buffer is
 * full, and an empty batch would spin that loop forever on the thread the answers need.
 */
final class FifoBatchCreator implements BatchCreator<SqsMessageEntry> {
    private final long maxBatchSizeInBytes;
    private final MailboxExecutor mailbox;

    FifoBatchCreator(long maxBatchSizeInBytes, MailboxExecutor mailbox) {
        this.maxBatchSizeInBytes = maxBatchSizeInBytes;
        this.mailbox = mailbox;
    }

    @Override
    public Batch<SqsMessageEntry> createNextBatch(
            RequestInfo requestInfo, RequestBuffer<SqsMessageEntry> buffer) {
        FifoRequestBuffer groups = (FifoRequestBuffer) buffer;
        while (!groups.isEmpty() && !groups.hasEligible()) {
            try {
                mailbox.yield();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlinkRuntimeException("interrupted while waiting for SQS answers", e);
            }
        }
        // The mails run while waiting may have batched and sent entries themselves.
        return groups.takeBatch(requestInfo.getBatchSize(), maxBatchSizeInBytes);
    }
}
