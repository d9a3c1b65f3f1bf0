package io.github.pyflinksqs.sink;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settings given to sink_to()'s handle reach the operators the sink put before its end, read
 * back from the stream graph and job graph Flink makes (no cluster).
 */
class SinkHandleTest {
    private StreamExecutionEnvironment env;
    private DataStream<String> userStream;

    @BeforeEach
    void userJob() {
        env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        userStream = env.fromData("a", "b").map(new Same()).name("user map");
    }

    @Test
    void parallelismNameAndUidReachEveryPartAndTheyStayChainedToTheEnd() {
        List<SingleOutputStreamOperator<String>> parts =
                addParts("Python writer input", "Python writer");

        sinkTo(parts, "Python writer input", "Python writer")
                .name("orders")
                .uid("orders")
                .setParallelism(2)
                .setMaxParallelism(64);

        StreamGraph graph = env.getStreamGraph(false);
        StreamNode input = node(graph, "orders: Python writer input");
        StreamNode writer = node(graph, "orders: Python writer");
        StreamNode end = node(graph, "orders: Writer");
        for (StreamNode node : List.of(input, writer, end)) {
            assertEquals(2, node.getParallelism(), node.getOperatorName());
            assertEquals(64, node.getMaxParallelism(), node.getOperatorName());
        }
        assertEquals("orders-python-writer-input", input.getTransformationUID());
        assertEquals("orders-python-writer", writer.getTransformationUID());
        assertEquals("orders", end.getTransformationUID());
        assertInstanceOf(ForwardPartitioner.class, edgeInto(end).getPartitioner());
        assertInstanceOf(ForwardPartitioner.class, edgeInto(writer).getPartitioner());
        // The source and the user's map (parallelism 1) are one task, the sink's three
        // operators another.
        assertEquals(
                "orders: Python writer input -> orders: Python writer -> orders: Writer",
                sinkTask(graph));
    }

    @Test
    void withoutHandleSettingsThePartsKeepTheirNamesAndTheEnvironmentsParallelism() {
        List<SingleOutputStreamOperator<String>> parts = addParts("messages");

        sinkTo(parts, "messages");

        StreamGraph graph = env.getStreamGraph(false);
        StreamNode part = node(graph, "SqsSink: messages");
        assertEquals(1, part.getParallelism());
        assertNull(part.getTransformationUID());
        assertInstanceOf(
                ForwardPartitioner.class, edgeInto(node(graph, "Sink: Writer")).getPartitioner());
    }

    @Test
    void slotSharingGroupsReachEveryPart() {
        List<SingleOutputStreamOperator<String>> parts = addParts("messages");
        sinkTo(parts, "messages").slotSharingGroup("sink");
        assertEquals(
                "sink", node(env.getStreamGraph(false), "SqsSink: messages").getSlotSharingGroup());

        StreamExecutionEnvironment other = StreamExecutionEnvironment.getExecutionEnvironment();
        env = other;
        userStream = other.fromData("a").map(new Same()).name("user map");
        parts = addParts("messages");
        sinkTo(parts, "messages").slotSharingGroup(SlotSharingGroup.newBuilder("sink2").build());
        StreamGraph graph = other.getStreamGraph(false);
        assertEquals("sink2", node(graph, "SqsSink: messages").getSlotSharingGroup());
        assertEquals("sink2", node(graph, "Sink: Writer").getSlotSharingGroup());
    }

    @Test
    void disableChainingStartsTheSinksOwnChainAndKeepsItsPartsChained() {
        List<SingleOutputStreamOperator<String>> parts = addParts("Python writer");

        sinkTo(parts, "Python writer").disableChaining();

        // Without the handle, the writer would be chained to the user's map (same parallelism).
        assertEquals("SqsSink: Python writer -> Sink: Writer", sinkTask(env.getStreamGraph(false)));
    }

    @Test
    void theDescriptionIsTheEndsAlone() {
        List<SingleOutputStreamOperator<String>> parts = addParts("messages");

        DataStreamSink<String> handle = sinkTo(parts, "messages").setDescription("orders to SQS");

        assertEquals("orders to SQS", handle.getTransformation().getDescription());
        assertNull(parts.get(0).getTransformation().getDescription());
    }

    @Test
    void aBadParallelismIsRefusedByFlinkBeforeAnyPartChanges() {
        List<SingleOutputStreamOperator<String>> parts = addParts("messages");
        DataStreamSink<String> handle = sinkTo(parts, "messages");

        assertThrows(IllegalArgumentException.class, () -> handle.setParallelism(0));
        assertEquals(1, parts.get(0).getParallelism());
    }

    @Test
    void aPartNeedsARole() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new SinkPart(userStream.getTransformation(), ""));
    }

    /** The operators a sink adds, named as pyflink_sqs names them before the handle does. */
    private List<SingleOutputStreamOperator<String>> addParts(String... roles) {
        List<SingleOutputStreamOperator<String>> parts = new ArrayList<>();
        DataStream<String> stream = userStream;
        for (String role : roles) {
            SingleOutputStreamOperator<String> part =
                    stream.map(new Same()).name("SqsSink: " + role);
            parts.add(part);
            stream = part;
        }
        return parts;
    }

    private static DataStreamSink<String> sinkTo(
            List<SingleOutputStreamOperator<String>> parts, String... roles) {
        List<SinkPart> sinkParts = new ArrayList<>();
        for (int i = 0; i < roles.length; i++) {
            sinkParts.add(new SinkPart(parts.get(i).getTransformation(), roles[i]));
        }
        DataStream<String> last = parts.get(parts.size() - 1);
        return new SqsSinkStream<>(last, sinkParts).sinkTo(new DiscardingSink<>());
    }

    private static StreamNode node(StreamGraph graph, String name) {
        return graph.getStreamNodes().stream()
                .filter(node -> node.getOperatorName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no operator " + name + " in the graph"));
    }

    private static StreamEdge edgeInto(StreamNode node) {
        assertEquals(1, node.getInEdges().size(), node.getOperatorName());
        return node.getInEdges().get(0);
    }

    /**
     * The name of the task that runs the sink's end (its chained operators' names), checked to be
     * the job's second of two.
     */
    private static String sinkTask(StreamGraph graph) {
        List<JobVertex> tasks = graph.getJobGraph().getVerticesSortedTopologicallyFromSources();
        assertEquals(2, tasks.size(), tasks.toString());
        assertTrue(tasks.get(0).getName().endsWith("user map"), tasks.get(0).getName());
        return tasks.get(1).getName();
    }

    private static final class Same implements MapFunction<String, String> {
        @Override
        public String map(String value) {
            return value;
        }
    }
}
