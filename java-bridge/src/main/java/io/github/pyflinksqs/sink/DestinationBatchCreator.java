package io.github.pyflinksqs.sink;

import org.apache.flink.connector.base.sink.writer.BatchCreator;
import org.apache.flink.connector.base.sink.writer.RequestBuffer;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.connector.base.sink.writer.Batch;

import java.util.ArrayList;
import java.util.List;

/**
 * Flink's simple batch creation (entries from the head of the buffer, up to the count and byte
 * limits), with one more rule: a SendMessageBatch call goes to one queue, so a batch holds
 * either main-queue entries or dead-letter entries, never both.
 */
final class DestinationBatchCreator implements BatchCreator<SqsMessageEntry> {
    private final long maxBatchSizeInBytes;

    DestinationBatchCreator(long maxBatchSizeInBytes) {
        this.maxBatchSizeInBytes = maxBatchSizeInBytes;
    }

    @Override
    public Batch<SqsMessageEntry> createNextBatch(
            RequestInfo requestInfo, RequestBuffer<SqsMessageEntry> buffer) {
        int maxCount = requestInfo.getBatchSize();
        List<SqsMessageEntry> entries = new ArrayList<>(maxCount);
        long bytes = 0;
        Boolean deadLetter = null;
        while (entries.size() < maxCount && !buffer.isEmpty()) {
            RequestEntryWrapper<SqsMessageEntry> next = buffer.peek();
            SqsMessageEntry entry = next.getRequestEntry();
            if (bytes + next.getSize() > maxBatchSizeInBytes
                    || (deadLetter != null && deadLetter != entry.isDeadLetter())) {
                break;
            }
            buffer.poll();
            entries.add(entry);
            bytes += next.getSize();
            deadLetter = entry.isDeadLetter();
        }
        return new Batch<>(entries, bytes);
    }
}
