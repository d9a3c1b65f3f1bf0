"""What sink_to() puts in the job for the Python backend, read from the job before it runs: the
writer's own bundle time, the writer fused into the Python maps before it (given its bundles)
or kept apart when the job's bundle settings differ, keyed streams without another shuffle,
and thread mode refused. (The running behaviour is in
tests/integration/test_python_backend.py.)"""
import json

import pytest
from pyflink.common import Configuration, Types
from pyflink.datastream import StreamExecutionEnvironment

from tests.jvm.test_builder import builder

BUNDLE_TIME = "python.fn-execution.bundle.time"
BUNDLE_SIZE = "python.fn-execution.bundle.size"


def environment(**settings):
    config = Configuration()
    for key, value in settings.items():
        config.set_string(key, str(value))
    return StreamExecutionEnvironment.get_execution_environment(config)


def python_sink(max_time_in_buffer_ms=5_000, **options):
    return builder(backend="python", max_time_in_buffer_ms=max_time_in_buffer_ms,
                   **options).build()


def operator_configuration(env, name):
    transformations = [t for t in env._j_stream_execution_environment.getTransformations()
                       if t.getName() == name]
    return transformations[-1].getOperatorFactory().getOperator().getConfiguration()


def plan(env):
    """The stream graph PyFlink submits (after its chaining optimiser): nodes by id."""
    return {node["id"]: node for node in json.loads(env.get_execution_plan())["nodes"]}


def test_the_writers_bundles_end_after_max_time_in_buffer_ms_or_max_buffered_requests_only():
    from pyflink.util.java_utils import get_j_env_configuration

    env = environment()
    ds = env.from_collection(["a"], type_info=Types.STRING())
    ds.map(str.upper, output_type=Types.STRING()).name("other map").print()
    ds.sink_to(python_sink(max_time_in_buffer_ms=1234, max_buffered_requests=4321,
                           max_in_flight_requests=7, max_batch_size=3))
    writer = operator_configuration(env, "SqsSink: Python writer")
    assert writer.getString(BUNDLE_TIME, None) == "1234"
    # As many records as the writer holds at most: buffered, and in 7 calls of 3.
    assert writer.getString(BUNDLE_SIZE, None) == str(4321 + 7 * 3)
    # PyFlink gives every Python operator the job's configuration object itself.
    for key in (BUNDLE_TIME, BUNDLE_SIZE):
        assert operator_configuration(env, "other map").getString(key, None) is None
        assert get_j_env_configuration(env._j_stream_execution_environment) \
            .getString(key, None) is None


def test_two_python_sinks_keep_their_own_buffer_times():
    env = environment()
    ds = env.from_collection(["a"], type_info=Types.STRING())
    ds.sink_to(python_sink(max_time_in_buffer_ms=100))
    ds.sink_to(python_sink(max_time_in_buffer_ms=60_000))
    writers = [t.getOperatorFactory().getOperator().getConfiguration().getString(BUNDLE_TIME, "")
               for t in env._j_stream_execution_environment.getTransformations()
               if t.getName() == "SqsSink: Python writer"]
    assert writers == ["100", "60000"]


def test_after_python_maps_the_writer_is_fused_into_them_with_its_own_bundles():
    env = environment()
    env.set_parallelism(1)
    (env.from_collection(["a"], type_info=Types.STRING())
     .map(str.upper, output_type=Types.STRING()).name("first")
     .map(str.lower, output_type=Types.STRING()).name("second")
     .sink_to(python_sink(max_time_in_buffer_ms=60_000, max_buffered_requests=4321,
                          max_in_flight_requests=7, max_batch_size=3)))
    # The fused operator keeps the first one's configuration: it has the writer's bundles.
    for name in ("first", "second"):
        assert operator_configuration(env, name).getString(BUNDLE_TIME, None) == "60000"
        assert operator_configuration(env, name).getString(BUNDLE_SIZE, None) == str(
            4321 + 7 * 3)
    contents = [node["contents"] for node in plan(env).values()]
    # One Python operator: each record crosses from Python to Java once, not three times.
    assert "first, second, SqsSink: Python writer" in contents, contents


def test_a_python_map_read_by_another_operator_keeps_its_bundles_and_the_writer_its_own():
    env = environment()
    env.set_parallelism(1)
    mapped = (env.from_collection(["a"], type_info=Types.STRING())
              .map(str.upper, output_type=Types.STRING()).name("shared"))
    mapped.print()
    mapped.sink_to(python_sink(max_time_in_buffer_ms=60_000))
    assert operator_configuration(env, "shared").getString(BUNDLE_TIME, None) is None
    assert operator_configuration(env, "SqsSink: Python writer").getString(
        BUNDLE_TIME, None) == "60000"
    contents = [node["contents"] for node in plan(env).values()]
    assert "shared" in contents and "SqsSink: Python writer" in contents, contents


def test_a_python_map_at_another_parallelism_keeps_its_bundles():
    env = environment()
    env.set_parallelism(2)
    (env.from_collection(["a"], type_info=Types.STRING())
     .map(str.upper, output_type=Types.STRING()).name("narrow").set_parallelism(1)
     .sink_to(python_sink(max_time_in_buffer_ms=60_000)))
    assert operator_configuration(env, "narrow").getString(BUNDLE_TIME, None) is None


def test_when_the_job_sets_another_bundle_time_the_writer_stays_apart_from_the_map():
    # PyFlink applies the job's own bundle settings to every Python operator (the map too):
    # fused, the writer would have them, not max_time_in_buffer_ms.
    env = environment(**{BUNDLE_TIME: 1_000})
    env.set_parallelism(1)
    (env.from_collection(["a"], type_info=Types.STRING())
     .map(str.upper, output_type=Types.STRING())
     .sink_to(python_sink(max_time_in_buffer_ms=60_000)))
    contents = [node["contents"] for node in plan(env).values()]
    assert "Map" in contents and "SqsSink: Python writer" in contents, contents
    assert "SqsSink: Python writer input" in contents


@pytest.mark.parametrize("mode", ["thread", "THREAD"])
def test_thread_execution_mode_is_refused_at_sink_to_naming_the_key(mode):
    env = environment(**{"python.execution-mode": mode})
    ds = env.from_collection(["a"], type_info=Types.STRING())
    with pytest.raises(ValueError, match=r"sets python.execution-mode: thread; remove that "
                                         r"setting .*set_backend\('java'\)"):
        ds.sink_to(python_sink())


def test_process_execution_mode_is_accepted():
    env = environment(**{"python.execution-mode": "process"})
    env.from_collection(["a"], type_info=Types.STRING()).sink_to(python_sink())
    assert "SqsSink" in env.get_execution_plan()


def ship_strategies_to(nodes, name):
    """The ship strategies on the way from the node named `name` back to the source."""
    node = next(n for n in nodes.values() if n["contents"] == name)
    strategies = []
    while node.get("predecessors"):
        (predecessor,) = node["predecessors"]
        strategies.append(predecessor["ship_strategy"])
        node = nodes[predecessor["id"]]
    return strategies


@pytest.mark.parametrize("backend, sink_node", [("python", "SqsSink: Python writer"),
                                                ("java", "Sink: Writer")])
def test_a_keyed_stream_reaches_the_sink_through_its_one_shuffle(backend, sink_node):
    env = environment()
    env.set_parallelism(2)
    (env.from_collection(['{"g": "a"}'], type_info=Types.STRING())
     .key_by(lambda e: e[:3], key_type=Types.STRING())
     .sink_to(builder(backend=backend).build()))
    strategies = ship_strategies_to(plan(env), sink_node)
    # Back from the sink: forward edges only (chained), then key_by's shuffle, then the
    # source's rebalance (its parallelism is 1).
    assert strategies.count("HASH") == 1, strategies
    assert set(strategies[:strategies.index("HASH")]) <= {"FORWARD"}, strategies
