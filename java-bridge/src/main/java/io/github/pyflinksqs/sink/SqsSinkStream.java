package io.github.pyflinksqs.sink;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.CustomSinkOperatorUidHashes;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

import java.util.List;

/**
 * The stream a sink's end is added to after the sink put operators of its own in front of it.
 * PyFlink's sink_to() hands the user what {@code sinkTo()} of this stream returns, as the handle
 * whose name, uid, parallelism and so on Flink's DataStreamSink applies to the end alone; this
 * stream returns a {@link SinkHandle}, which applies them to those operators too.
 *
 * <p>It is the stream it wraps (same environment, same transformation): only {@code sinkTo()}
 * differs. The one-argument {@code sinkTo(Sink)}, which PyFlink calls, delegates to this one in
 * Flink 1.20 to 2.3.
 */
public class SqsSinkStream<T> extends DataStream<T> {
    private final List<SinkPart> parts;

    /** {@code parts}: the operators the sink added, from the one reading the user's stream. */
    public SqsSinkStream(DataStream<T> stream, List<SinkPart> parts) {
        super(stream.getExecutionEnvironment(), stream.getTransformation());
        this.parts = List.copyOf(parts);
    }

    @Override
    public DataStreamSink<T> sinkTo(Sink<T> sink, CustomSinkOperatorUidHashes uidHashes) {
        return new SinkHandle<>(super.sinkTo(sink, uidHashes), parts);
    }
}
