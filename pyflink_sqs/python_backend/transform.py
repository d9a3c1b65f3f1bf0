"""What sink_to() adds to the job for the Python backend: the writer function, configured so
its bundles end when records have waited max_time_in_buffer_ms or as many came as it may
hold, and a Java DiscardingSink.

Two PyFlink facts shape it (the same in PyFlink 1.20 to 2.3):
- every Python operator is constructed with the job's Configuration object itself, not a copy,
  so a python.* key set on one operator's configuration is set for every Python operator of
  the job; the writer gets a configuration of its own (_own_configuration);
- the chaining optimiser (PythonOperatorChainingOptimizer) fuses a Python operator into the
  Python operator before it (same parallelism and slot sharing group, forward partitioning,
  and no other consumer of the one before), and the fused operator keeps the configuration of
  the first of them. After a Python map, the writer is fused into it, with the writer's bundle
  settings given to the operators it joins (_bundles_of_the_writer): each record then crosses
  from Python to Java once, not three times. When the job sets bundle settings of its own,
  PyFlink applies them to every Python operator, and the writer is kept apart
  (_apart_from_python_operator) if they differ from its own.
"""
import logging

from pyflink.common import Types

from pyflink_sqs.python_backend.settings import WriterSettings
from pyflink_sqs.python_backend.writer import KeyedSqsWriterFunction, SqsWriterFunction
from pyflink_sqs.sink_handle import default_name, with_parts

LOG = logging.getLogger(__name__)

# The writer's bundles end at every checkpoint (before the barrier) and at end of input; we make
# them also end when the oldest record has waited max_time_in_buffer_ms (PyFlink's default is
# 1 s): the writer sends everything at each bundle end, so this is the sink's flush timer.
BUNDLE_TIME = "python.fn-execution.bundle.time"
# ... or after as many records as the writer holds at most (max_buffered_requests, plus
# max_in_flight_requests calls of max_batch_size), not after PyFlink's default of 1,000: each
# bundle end waits for every call, so at 20 ms a call, a wait every 1,000 records cost a round
# trip per 1,000; such a bundle end waits for no more than a checkpoint's flush does anyway.
# Not unbounded: the operator hands records to the worker in chunks of 1,000,000 bytes (Beam's
# BeamFnDataOutboundAggregator, no time limit) and at bundle ends, so records would wait up to
# the bundle time even when they fill batches.
# Measured with ONLY="python map -> python backend" make bench, bundles of 1,000 / 5,000 (about
# the default 5,500) / unbounded: 20 ms 7,984 / 8,422 / 8,475 msg/s (that run was CPU-bound);
# p50 latency at 0 ms 63 / 280 / 4,117 ms.
BUNDLE_SIZE = "python.fn-execution.bundle.size"
# PyFlink picks the Java operator class of a Python function from this key of the job's
# configuration when the function is added (ds.process()), not per operator: with 'thread' it
# runs embedded in the JVM (pemja), without the Beam bundles the writer needs.
EXECUTION_MODE = "python.execution-mode"
# The roles of the operators add_writer puts before the sink's end: their names are
# "SqsSink: <role>" until sink_to()'s handle renames them (sink_handle.py).
WRITER = "Python writer"
WRITER_INPUT = "Python writer input"


def add_writer(ds, settings: WriterSettings):
    """The stream to give the sink's end: the writer's, whose sinkTo() returns a handle that
    applies its settings (name, uid, parallelism, ...) to the writer and the identity operator
    before it too, so they stay chained to the end. The writer keeps no state of its own (it sent
    every record before a checkpoint passes): its uid, derived from the sink's, only names it."""
    from pyflink.datastream import KeyedStream

    job_config = _job_configuration(ds)
    _require_process_mode(job_config)
    bundle_time = settings.max_time_in_buffer_ms
    job_bundle_time = _job_bundle_time(job_config)
    if job_config.containsKey(BUNDLE_TIME) and job_bundle_time != bundle_time:
        LOG.warning("SqsSink: the job's configuration sets %s: %s, which PyFlink applies to "
                    "the Python writer too: its partial batches wait up to %s ms, not "
                    "max_time_in_buffer_ms=%s", BUNDLE_TIME, job_bundle_time,
                    job_bundle_time, bundle_time)
    bundles = {BUNDLE_TIME: str(bundle_time), BUNDLE_SIZE: str(_most_records_held(settings))}
    parts = []
    fused_into = _python_operators_fused_before(ds)
    if fused_into:
        if job_config.containsKey(BUNDLE_TIME) or job_config.containsKey(BUNDLE_SIZE):
            if job_bundle_time != bundle_time:
                ds = _apart_from_python_operator(ds)
                parts.append((ds, WRITER_INPUT))
        else:
            for transformation in fused_into:
                _own_configuration(transformation, bundles)
            LOG.info("SqsSink: the Python writer will run fused into %s, whose bundles then end "
                     "as the writer's: after %s ms or %s records",
                     " <- ".join(t.getName() for t in fused_into), bundle_time,
                     bundles[BUNDLE_SIZE])
    # A KeyedStream is a Java stream of Row(key, element); its process() takes a
    # KeyedProcessFunction and hands it the elements, on the key's subtask.
    function = KeyedSqsWriterFunction if isinstance(ds, KeyedStream) else SqsWriterFunction
    written = ds.process(function(settings), output_type=Types.STRING())
    _own_configuration(written._j_data_stream.getTransformation(), bundles)
    return with_parts(written, [*parts, (written, WRITER)])


def _most_records_held(settings: WriterSettings) -> int:
    return (settings.max_buffered_requests
            + settings.max_in_flight_requests * settings.max_batch_size)


def _job_configuration(ds):
    """The configuration PyFlink reads when it adds a Python operator (the environment's)."""
    from pyflink.util.java_utils import get_j_env_configuration

    return get_j_env_configuration(ds._j_data_stream.getExecutionEnvironment())


def _require_process_mode(job_config) -> None:
    from pyflink.java_gateway import get_gateway

    # Configuration.get(ConfigOption), as PyFlink reads it.
    mode = job_config.get(get_gateway().jvm.org.apache.flink.python.PythonOptions
                          .PYTHON_EXECUTION_MODE)
    if str(mode).lower() == "thread":
        raise ValueError(
            f"the Python backend of SqsSink needs PyFlink's process execution mode, but the "
            f"job's configuration sets {EXECUTION_MODE}: thread; remove that setting (or set "
            f"it to 'process'), or use the Java backend (set_backend('java')), which works in "
            f"either mode")


def _job_bundle_time(job_config) -> int:
    from pyflink.java_gateway import get_gateway

    return int(job_config.get(get_gateway().jvm.org.apache.flink.python.PythonOptions
                              .MAX_BUNDLE_TIME_MILLS))


def _own_configuration(transformation, settings) -> None:
    """Gives a Python operator a copy of the job's configuration with `settings`.
    PythonConfigUtil.configPythonOperator still merges the job's python.* keys (executable,
    files, ...) into it when the job is submitted, so a key the job sets wins over ours."""
    from pyflink.java_gateway import get_gateway
    from pyflink.util.java_utils import load_java_class

    operator = transformation.getOperatorFactory().getOperator()
    own = get_gateway().jvm.org.apache.flink.configuration.Configuration(
        operator.getConfiguration())
    for key, value in settings.items():
        own.setString(key, value)
    # AbstractPythonFunctionOperator.config (1.20 to 2.3), final; nothing has read it yet.
    field = load_java_class("org.apache.flink.streaming.api.operators.python."
                            "AbstractPythonFunctionOperator").getDeclaredField("config")
    field.setAccessible(True)
    field.set(operator, own)
    if not operator.getConfiguration().equals(own):
        raise RuntimeError("SqsSink could not give a Python operator its own configuration "
                           "in this PyFlink; use the Java backend (set_backend('java'))")


def _python_operators_fused_before(ds) -> list:
    """The Python operators the optimiser will fuse the writer into, nearest first (the last is
    the head, whose configuration the fused operator keeps); [] when the stream does not come
    straight from a Python operator. As PythonOperatorChainingOptimizer.isChainable: forward
    partitions only, the same parallelism, max parallelism and slot sharing group, and no other
    consumer of the operator before (one added after sink_to() stops the fusion: the writer
    then runs apart with its own configuration, and the operator keeps the writer's bundles)."""
    from pyflink.java_gateway import get_gateway

    jvm = get_gateway().jvm
    j_env = ds._j_data_stream.getExecutionEnvironment()
    consumers = _consumer_counts(j_env)
    stream = ds._j_data_stream.getTransformation()
    # The writer's, as process() will make it: the job's parallelism, no max parallelism or
    # slot sharing group of its own.
    below = (j_env.getParallelism(), -1, jvm.java.util.Optional.empty())
    fused = []
    while True:
        above = _through_forward_partitions(stream)
        if above is None or not jvm.org.apache.flink.python.util.PythonConfigUtil \
                .isPythonDataStreamOperator(above):
            return fused
        shape = (above.getParallelism(), above.getMaxParallelism(), above.getSlotSharingGroup())
        # Read by nothing yet but the operator fused below it, if any.
        if consumers.get(above.getId(), 0) != min(len(fused), 1) or shape[:2] != below[:2] \
                or not shape[2].equals(below[2]):
            return fused
        fused.append(above)
        stream, below = above.getInputs().get(0), shape


def _through_forward_partitions(transformation):
    """The transformation a stream comes from through forward partitions; None after another
    partitioning (a shuffle stops fusion)."""
    from pyflink.util.java_utils import is_instance_of

    while is_instance_of(transformation, "org.apache.flink.streaming.api.transformations."
                                         "PartitionTransformation"):
        if not is_instance_of(transformation.getPartitioner(),
                              "org.apache.flink.streaming.runtime.partitioner."
                              "ForwardPartitioner"):
            return None
        transformation = transformation.getInputs().get(0)
    return transformation


def _consumer_counts(j_env) -> dict:
    """Transformation id -> how many operators of the job read it (through partitions)."""
    from pyflink.util.java_utils import is_instance_of

    counts = {}
    for transformation in j_env.getTransformations():
        for source in transformation.getInputs():
            while is_instance_of(source, "org.apache.flink.streaming.api.transformations."
                                         "PartitionTransformation"):
                source = source.getInputs().get(0)
            counts[source.getId()] = counts.get(source.getId(), 0) + 1
    return counts


def _apart_from_python_operator(ds):
    """
    A Java identity operator before the writer, so the optimiser does not fuse the writer into
    the Python operator before it. Flink still chains them all into one task (no network hop,
    which start_new_chain() would add, with its buffers' latency), but each record crosses from
    Python to Java and back once more: measured on a map-only job, ~25 % fewer messages/s than
    the fused operator (whose bundle time would not be the writer's).
    """
    from pyflink.datastream import DataStream
    from pyflink.java_gateway import get_gateway

    jvm = get_gateway().jvm
    # Flink's identity operator (records, watermarks and markers pass unchanged), the same
    # class in 1.20 to 2.3; @Internal, what Flink puts in front of a cached stream.
    identity = getattr(jvm.org.apache.flink.streaming.runtime.translators,
                       "CacheTransformationTranslator$IdentityStreamOperator")()
    j_stream = ds._j_data_stream.transform(default_name(WRITER_INPUT),
                                           ds._j_data_stream.getType(), identity)
    j_stream.getTransformation().setChainingStrategy(
        jvm.org.apache.flink.streaming.api.operators.ChainingStrategy.ALWAYS)
    return DataStream(j_stream)


def discarding_sink():
    from pyflink.java_gateway import get_gateway

    return get_gateway().jvm.org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink()
