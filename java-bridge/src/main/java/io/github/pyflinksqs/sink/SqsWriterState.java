package io.github.pyflinksqs.sink;

import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import java.util.List;

/**
 * A subtask's buffered entries in a checkpoint, and (from state version 4) the queue they were
 * bound for and whether it is a FIFO queue, so a restore into a sink for another queue, or a FIFO
 * state into a standard sink and back, fails saying so instead of sending entries SQS refuses, or
 * to the wrong queue; and, for FIFO queues, the nonce its deduplication ids were made with, so a
 * job restored from a savepoint gives replayed records the ids they had.
 */
public final class SqsWriterState extends BufferedRequestState<SqsMessageEntry> {
    private static final long serialVersionUID = 1L;

    private final String queueUrl;
    private final Boolean fifo;
    private final String deduplicationNonce;

    /**
     * @param queueUrl null (and fifo null) for state written before version 4
     * @param deduplicationNonce what the writer's deduplication ids were made with (FIFO), or null
     */
    SqsWriterState(
            List<RequestEntryWrapper<SqsMessageEntry>> entries,
            String queueUrl,
            Boolean fifo,
            String deduplicationNonce) {
        super(entries);
        this.queueUrl = queueUrl;
        this.fifo = fifo;
        this.deduplicationNonce = deduplicationNonce;
    }

    /** Null unless a FIFO writer of state version 4 or later wrote it. */
    public String deduplicationNonce() {
        return deduplicationNonce;
    }

    /** Null when the state predates version 4. */
    public String queueUrl() {
        return queueUrl;
    }

    /** Null when the state predates version 4. */
    public Boolean fifo() {
        return fifo;
    }
}
