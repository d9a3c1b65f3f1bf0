package io.github.pyflinksqs.sink;

import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The entries a restored subtask takes over, after checking that they were buffered for this sink:
 * the same queue, and both standard or both FIFO. State version 4 says so in its header; older
 * state is judged by its entries (FIFO entries carry deduplication ids, a FIFO queue needs group
 * ids). A mismatch fails the restore naming both sides, instead of sending records to the wrong
 * queue or entries SQS refuses.
 */
final class RestoredState {
    private RestoredState() {}

    /** The nonce the restored state's deduplication ids were made with; null if it has none. */
    static String deduplicationNonce(Collection<BufferedRequestState<SqsMessageEntry>> states) {
        for (BufferedRequestState<SqsMessageEntry> state : states) {
            if (state instanceof SqsWriterState
                    && ((SqsWriterState) state).deduplicationNonce() != null) {
                return ((SqsWriterState) state).deduplicationNonce();
            }
        }
        return null;
    }

    static List<SqsMessageEntry> entries(
            Collection<BufferedRequestState<SqsMessageEntry>> states,
            String queueUrl,
            boolean fifo) {
        List<SqsMessageEntry> entries = new ArrayList<>();
        for (BufferedRequestState<SqsMessageEntry> state : states) {
            List<RequestEntryWrapper<SqsMessageEntry>> wrappers = state.getBufferedRequestEntries();
            if (state instanceof SqsWriterState && ((SqsWriterState) state).queueUrl() != null) {
                SqsWriterState header = (SqsWriterState) state;
                if (!header.queueUrl().equals(queueUrl)) {
                    throw mismatch(
                            wrappers.size(),
                            "queue " + header.queueUrl(),
                            "sends to " + queueUrl,
                            header.queueUrl());
                }
                if (header.fifo() != fifo) {
                    throw mismatch(
                            wrappers.size(),
                            (header.fifo() ? "a FIFO" : "a standard") + " queue",
                            "is " + (fifo ? "a FIFO" : "a standard") + " sink",
                            header.queueUrl());
                }
            }
            for (RequestEntryWrapper<SqsMessageEntry> wrapper : wrappers) {
                SqsMessageEntry entry = wrapper.getRequestEntry();
                if (!entry.isDeadLetter()) {
                    if (fifo && entry.groupId() == null) {
                        throw mismatch(
                                wrappers.size(),
                                "a standard queue (its records have no message group id)",
                                "is a FIFO sink (" + queueUrl + ")",
                                null);
                    }
                    if (!fifo && entry.deduplicationId() != null) {
                        throw mismatch(
                                wrappers.size(),
                                "a FIFO queue (its records have deduplication ids)",
                                "is a standard sink (" + queueUrl + ")",
                                null);
                    }
                }
                entries.add(entry);
            }
        }
        return entries;
    }

    private static IllegalStateException mismatch(
            int records, String written, String now, String originalQueue) {
        return new IllegalStateException(
                "SqsSink cannot restore this checkpoint or savepoint: it holds "
                        + records
                        + " buffered records for "
                        + written
                        + ", but this sink "
                        + now
                        + ". "
                        + (originalQueue != null
                                ? "Restore with sqs_url " + originalQueue + ", or "
                                : "Restore with the sink it was written by, or ")
                        + "give this sink a new uid and restore with --allowNonRestoredState "
                        + "(the buffered records are then not sent)");
    }
}
