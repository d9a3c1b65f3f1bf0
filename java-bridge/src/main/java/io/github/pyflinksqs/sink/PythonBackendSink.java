package io.github.pyflinksqs.sink;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The end of a Python-backend sink: the Python writer before it has sent every record by the time a
 * checkpoint passes, so this discards what reaches it and keeps no state. It is stateful only to
 * read the Java backend's state: a savepoint of the Java backend restored into a Python-backend job
 * (same sink uid) would otherwise drop the records the Java writer had buffered, silently; here it
 * fails the restore saying so.
 */
public class PythonBackendSink
        implements Sink<String>,
                SupportsWriterState<String, BufferedRequestState<SqsMessageEntry>> {
    private static final long serialVersionUID = 1L;

    private final String queueUrl;
    private final boolean fifo;

    public PythonBackendSink(String queueUrl, boolean fifo) {
        this.queueUrl = queueUrl;
        this.fifo = fifo;
    }

    @Override
    public StatefulSinkWriter<String, BufferedRequestState<SqsMessageEntry>> createWriter(
            WriterInitContext context) {
        return restoreWriter(context, Collections.emptyList());
    }

    @Override
    public StatefulSinkWriter<String, BufferedRequestState<SqsMessageEntry>> restoreWriter(
            WriterInitContext context,
            Collection<BufferedRequestState<SqsMessageEntry>> recoveredState) {
        int buffered = 0;
        for (BufferedRequestState<SqsMessageEntry> state : recoveredState) {
            buffered += state.getBufferedRequestEntries().size();
        }
        if (buffered > 0) {
            throw new IllegalStateException(
                    "SqsSink cannot restore this checkpoint or savepoint with the Python backend: "
                            + "it holds "
                            + buffered
                            + " records the Java backend buffered for "
                            + queueUrl
                            + ", which only the Java backend sends. Restore with "
                            + "set_backend('java'), or take the savepoint with "
                            + "stop-with-savepoint --drain (the Java writer then sends "
                            + "everything first)");
        }
        return new StatefulSinkWriter<String, BufferedRequestState<SqsMessageEntry>>() {
            @Override
            public void write(String element, Context context) {}

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public List<BufferedRequestState<SqsMessageEntry>> snapshotState(long checkpointId) {
                return Collections.emptyList();
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<SqsMessageEntry>>
            getWriterStateSerializer() {
        return new SqsStateSerializer(queueUrl, fifo);
    }
}
