package io.github.pyflinksqs.sink;

import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.transformations.PhysicalTransformation;

import java.util.List;

/**
 * What {@code sink_to()} returns when the sink put operators in front of its end (SinkPart): the
 * settings a user gives the sink reach those operators too, not the end alone. Otherwise a sink
 * parallelism unlike theirs makes Flink put a rebalance between them and the end, which breaks the
 * order of FIFO message groups that a key_by kept, and {@code uid()} and {@code name()} miss the
 * Python writer.
 *
 * <ul>
 *   <li>parallelism, max parallelism, slot sharing group: the same on every part and the end, so
 *       they stay forward-connected and chained;
 *   <li>name: each part is named "&lt;name&gt;: &lt;role&gt;", as Flink names the end's writer
 *       "&lt;name&gt;: Writer";
 *   <li>uid: each part gets one derived from it (SinkPart), as Flink refuses a uid twice;
 *   <li>disableChaining: the sink starts a chain of its own (its first part is a chain's head), and
 *       its parts and end stay chained to each other;
 *   <li>description (and 2.x's metric variables): the end's alone, as Flink keeps them; a uid hash
 *       Flink refuses for a sink of this kind (its hashes are given to sinkTo()).
 * </ul>
 */
public class SinkHandle<T> extends DataStreamSink<T> {
    private final List<SinkPart> parts;

    SinkHandle(DataStreamSink<T> end, List<SinkPart> parts) {
        super((PhysicalTransformation<T>) end.getTransformation());
        this.parts = List.copyOf(parts);
    }

    @Override
    public DataStreamSink<T> name(String name) {
        super.name(name);
        for (SinkPart part : parts) {
            part.transformation().setName(part.nameWithin(name));
        }
        return this;
    }

    @Override
    public DataStreamSink<T> uid(String uid) {
        super.uid(uid);
        for (SinkPart part : parts) {
            part.transformation().setUid(part.uidWithin(uid));
        }
        return this;
    }

    @Override
    public DataStreamSink<T> setParallelism(int parallelism) {
        super.setParallelism(parallelism);
        for (SinkPart part : parts) {
            part.transformation().setParallelism(parallelism);
        }
        return this;
    }

    @Override
    public DataStreamSink<T> setMaxParallelism(int maxParallelism) {
        super.setMaxParallelism(maxParallelism);
        for (SinkPart part : parts) {
            part.transformation().setMaxParallelism(maxParallelism);
        }
        return this;
    }

    @Override
    public DataStreamSink<T> slotSharingGroup(String slotSharingGroup) {
        super.slotSharingGroup(slotSharingGroup);
        for (SinkPart part : parts) {
            part.transformation().setSlotSharingGroup(slotSharingGroup);
        }
        return this;
    }

    @Override
    public DataStreamSink<T> slotSharingGroup(SlotSharingGroup slotSharingGroup) {
        super.slotSharingGroup(slotSharingGroup);
        for (SinkPart part : parts) {
            part.transformation().setSlotSharingGroup(slotSharingGroup);
        }
        return this;
    }

    @Override
    public DataStreamSink<T> disableChaining() {
        if (parts.isEmpty()) {
            return super.disableChaining();
        }
        Transformation<?> first = parts.get(0).transformation();
        if (!(first instanceof PhysicalTransformation)) {
            throw new IllegalStateException(
                    "SqsSink cannot disable chaining before " + first + ": not an operator");
        }
        ((PhysicalTransformation<?>) first).setChainingStrategy(ChainingStrategy.HEAD);
        return this;
    }
}
