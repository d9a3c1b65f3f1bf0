"""What sink_to() returns reaches the operators the sink adds before its end, through PyFlink's
own API: name, uid and parallelism given to it apply to the Python writer (Python backend) and
to the message envelope map (Java backend with a message builder), which stay chained to the
end; jobs so configured deliver every record to LocalStack, and a FIFO queue keeps each
group's order with the sink at parallelism 2 after a map at parallelism 1."""
import json
from collections import defaultdict

import pytest
from pyflink.common import Types
from pyflink.datastream import StreamExecutionEnvironment

from pyflink_sqs import SqsMessage
from tests.integration.test_messages import read_in_order
from tests.support.flink import sink_builder
from tests.support.queues import create_queue, drain, multiset_difference

# The backends whose sinks add operators before their end, and those operators' roles (after
# a Python map at another parallelism, the Python writer runs apart from the map, without the
# identity operator that keeps it apart from a map of the same parallelism whose job sets
# another bundle time: tests/jvm/test_python_writer_graph.py).
SINKS_WITH_PARTS = {
    "python": ["Python writer"],
    "java-message-builder": ["messages"],
}


def as_message(body: str) -> SqsMessage:
    return SqsMessage(body)


def in_group(body: str) -> SqsMessage:
    return SqsMessage(body, group_id=json.loads(body)["group"])


def group_of(body: str) -> str:
    return json.loads(body)["group"]


def sink(kind: str, queue_url: str, endpoint: str, message_builder=as_message):
    if kind == "python":
        return sink_builder(queue_url, endpoint, "python").build()
    return sink_builder(queue_url, endpoint, "java").set_message_builder(message_builder).build()


def job_with_sink_at_parallelism_two(kind: str, records, queue_url: str, endpoint: str):
    """A map at the environment's parallelism, 1, then the sink set to 2 through its handle."""
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    (env.from_collection(records, type_info=Types.STRING())
     .map(str.strip, output_type=Types.STRING())
     .sink_to(sink(kind, queue_url, endpoint))
     .name("orders").uid("orders-sink").set_parallelism(2))
    return env


def stream_nodes(env):
    """The job's stream graph (after PyFlink's chaining optimiser), nodes by operator name."""
    graph = env._generate_stream_graph(clear_transformations=False)
    return graph, {node.getOperatorName(): node for node in graph.getStreamNodes().toArray()}


def partitioner_into(node) -> str:
    (edge,) = node.getInEdges()
    return edge.getPartitioner().toString()


@pytest.mark.parametrize("kind", sorted(SINKS_WITH_PARTS))
def test_name_uid_and_parallelism_reach_the_operators_the_sink_adds(kind):
    env = job_with_sink_at_parallelism_two(
        kind, ["a"], "https://sqs.us-east-1.amazonaws.com/1/q", "http://127.0.0.1:1")
    graph, nodes = stream_nodes(env)
    roles = SINKS_WITH_PARTS[kind]
    parts = [nodes[f"orders: {role}"] for role in roles]
    end = nodes["orders: Writer"]

    assert [node.getTransformationUID() for node in parts + [end]] == \
        [f"orders-sink-{role.lower().replace(' ', '-')}" for role in roles] + ["orders-sink"]
    assert [node.getParallelism() for node in parts + [end]] == [2] * (len(roles) + 1)
    assert nodes["Map"].getParallelism() == 1
    # The map's one shuffle is into the sink's first operator; from there on, forward only,
    # and the sink's operators are one task.
    assert partitioner_into(parts[0]) == "REBALANCE"
    assert [partitioner_into(node) for node in parts[1:] + [end]] == \
        ["FORWARD"] * len(roles)
    tasks = [vertex.getName()
             for vertex in graph.getJobGraph().getVerticesSortedTopologicallyFromSources()]
    assert " -> ".join(f"orders: {role}" for role in roles + ["Writer"]) in tasks, tasks


@pytest.mark.parametrize("kind", sorted(SINKS_WITH_PARTS))
def test_a_sink_at_parallelism_two_after_a_map_at_one_delivers_every_record(localstack, kind):
    queue = create_queue(localstack.endpoint)
    records = [f"record-{i:04d}" for i in range(2_000)]
    job_with_sink_at_parallelism_two(kind, records, queue, localstack.endpoint) \
        .execute("sink handle")
    missing, unexpected = multiset_difference(records, drain(localstack.endpoint, queue, 2_000))
    assert not missing and not unexpected


def test_fifo_groups_keep_their_order_with_the_sink_at_parallelism_two(localstack):
    # Before the handle reached it, the envelope map ran at the map's parallelism (1) and
    # Flink put a rebalance between it and the sink's end (2), spreading each group over both
    # end subtasks.
    queue = create_queue(localstack.endpoint, "fifo", FifoQueue="true")
    # An odd number of groups: a rebalance deals records to the 2 subtasks in turn, so with
    # an even one each group would still land on one subtask.
    groups, per_group = 7, 300
    records = [json.dumps({"group": f"g{g}", "seq": seq})
               for seq in range(per_group) for g in range(groups)]
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    (env.from_collection(records, type_info=Types.STRING())
     .map(str.strip, output_type=Types.STRING())
     .key_by(group_of, key_type=Types.STRING())
     .sink_to(sink("java-message-builder", queue, localstack.endpoint, in_group))
     .set_parallelism(2))
    env.execute("fifo sink handle")

    sequences = defaultdict(list)
    for body in read_in_order(localstack.endpoint, queue, len(records)):
        message = json.loads(body)
        sequences[message["group"]].append(message["seq"])
    assert sequences == {f"g{g}": list(range(per_group)) for g in range(groups)}
