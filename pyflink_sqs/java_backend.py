"""Py4J glue for the Java backend: jar registration and building the Java sink."""
import contextlib
import logging
import os
from typing import Mapping

from pyflink_sqs import config

LOG = logging.getLogger(__name__)

JAR_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_jar",
                        "pyflink-sqs-bridge.jar")
JAVA_SINK_CLASS = "io.github.pyflinksqs.sink.SqsSink"
LINKAGE_CHECK_CLASS = "io.github.pyflinksqs.LinkageCheck"
# The Flink lines the jar is built and tested for (README's compatibility table).
SUPPORTED_FLINK = "1.20.x and 2.0.x to 2.3.x"

# Gateways whose client classloader already has our jar (one per process in practice).
_registered_gateways = set()
# Gateways where LinkageCheck found nothing missing.
_linked_gateways = set()


class BridgeUnavailable(RuntimeError):
    """The Java bridge jar is missing or does not load in this Flink."""


def jar_url() -> str:
    if not os.path.isfile(JAR_PATH):
        raise BridgeUnavailable(
            f"the Java bridge jar is missing ({JAR_PATH}): the wheel carries it, so this "
            f"installation is incomplete; reinstall pyflink-sqs from its wheel, or in a source "
            f"checkout build it with 'make jar' (Maven and a JDK)")
    return "file://" + JAR_PATH


def register_in_client():
    """Makes our classes loadable through Py4J in this process's JVM; returns the gateway."""
    from pyflink.java_gateway import get_gateway
    from pyflink.util.java_utils import add_jars_to_context_class_loader

    gateway = get_gateway()
    if id(gateway) not in _registered_gateways:
        add_jars_to_context_class_loader([jar_url()])
        _registered_gateways.add(id(gateway))
    return gateway


def register_in_pipeline(j_env) -> None:
    """Adds our jar to the job's pipeline.jars so task managers load the sink from it, once.
    Not through PyFlink's env.add_jars(): sink_to() has only the Java environment, and building
    a Python StreamExecutionEnvironment around it (ds.get_execution_environment()) runs its
    _open(), which in a local job re-initialises PyFlink's loopback worker-pool singleton and
    starts another gRPC server (beam_worker_pool_service.py, 1.20 to 2.3)."""
    from pyflink.common import Configuration
    from pyflink.java_gateway import get_gateway

    jvm = get_gateway().jvm
    key = jvm.org.apache.flink.configuration.PipelineOptions.JARS.key()
    env_config = jvm.org.apache.flink.python.util.PythonConfigUtil.getEnvironmentConfig(j_env)
    value = env_config.getString(key, None)
    yaml = _lists_are_yaml(jvm)
    jars = Configuration.parse_list_value(value) if yaml else (value.split(";") if value else [])
    url = jar_url()
    if url not in jars:
        jars = [*jars, url]
        env_config.setString(key, str(jars) if yaml else ";".join(jars))


def _lists_are_yaml(jvm) -> bool:
    """How Flink parses a list option set as a string: as YAML ("['a', 'b']"), or, when Flink
    1.20 read a legacy flink-conf.yaml (not config.yaml), split at ';', as PyFlink 1.20's own
    add_jars() checks. GlobalConfiguration.isStandardYaml() exists in 1.20 only: 2.x reads
    config.yaml alone."""
    from py4j.protocol import Py4JError

    try:
        return bool(jvm.org.apache.flink.configuration.GlobalConfiguration.isStandardYaml())
    except Py4JError:
        return True


@contextlib.contextmanager
def _py4j_commands_unlogged():
    """Py4J logs every command with its arguments at DEBUG: not the ones carrying secrets."""
    loggers = [logging.getLogger(name) for name in ("py4j.java_gateway", "py4j.clientserver")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def check_loadable() -> None:
    """Raises BridgeUnavailable unless the jar links with this process's Flink: every class of
    the bridge loads and every Flink class, method and field it uses exists (LinkageCheck.java),
    so a mismatch fails build() here and not a task manager later. Checked once per gateway."""
    from py4j.protocol import Py4JError

    gateway = register_in_client()
    if id(gateway) in _linked_gateways:
        return
    try:
        gateway.jvm.java.lang.Class.forName(
            LINKAGE_CHECK_CLASS, True, gateway.jvm.Thread.currentThread().getContextClassLoader())
        problems = gateway.jvm.io.github.pyflinksqs.LinkageCheck.problems()
    except Py4JError as e:
        problems = _java_message(e)
    if problems:
        raise BridgeUnavailable(
            f"the Java bridge does not link with this Flink ({flink_version()}; pyflink-sqs "
            f"supports {SUPPORTED_FLINK}):\n  " + "\n  ".join(str(problems).splitlines()))
    _linked_gateways.add(id(gateway))


def links() -> bool:
    """Whether the bridge links here (after check_loadable succeeded once, or now)."""
    try:
        check_loadable()
        return True
    except BridgeUnavailable:
        return False


def flink_version() -> str:
    try:
        from pyflink.version import __version__
    except ImportError:  # pragma: no cover - every apache-flink has it
        return "apache-flink of unknown version"
    return f"apache-flink {__version__}"


def build_java_sink(j_serialization_schema, sqs_url: str, properties: Mapping[str, str],
                    values: Mapping[str, object], envelopes: bool = False, large_payload=None):
    """The Java SqsSink for already validated options; large_payload: a LargePayloadOffload
    or None."""
    from py4j.protocol import Py4JJavaError

    gateway = register_in_client()
    j_properties = gateway.jvm.java.util.Properties()
    with _py4j_commands_unlogged():
        for key, value in properties.items():
            j_properties.setProperty(key, value)
    builder = (getattr(gateway.jvm, JAVA_SINK_CLASS).builder()
               .setSerializationSchema(j_serialization_schema)
               .setSqsUrl(sqs_url)
               .setSqsClientProperties(j_properties)
               .setMessageEnvelopes(envelopes))
    for name, option in config.OPTIONS.items():
        if option.java_setter is not None:
            builder = getattr(builder, option.java_setter)(values[name])
    if large_payload is not None:
        builder = builder.setLargePayloadOffload(
            large_payload.s3_bucket, large_payload.threshold_bytes, large_payload.key_prefix,
            large_payload.legacy_size_attribute, large_payload.s3_endpoint)
    try:
        return builder.build()
    except Py4JJavaError as e:
        # Python validated the same rules first; this is a safety net without a Java trace.
        raise ValueError(_java_message(e)) from None


def python_backend_end(queue_url: str, fifo: bool):
    """The Java sink after the Python backend's writer: it discards what reaches it, and fails a
    restore that holds records the Java backend buffered (PythonBackendSink.java). Where the
    bridge does not link, Flink's own DiscardingSink (such a restore then drops those records;
    build() for the Java backend names why the bridge does not link)."""
    from pyflink.java_gateway import get_gateway

    try:
        check_loadable()
    except BridgeUnavailable as e:  # noqa: F841 -- named in the warning
        LOG.warning("SqsSink: the Python backend ends in Flink's DiscardingSink, so a savepoint "
                    "of the Java backend restored into this job would lose its buffered "
                    "records: %s", e)
        return get_gateway().jvm.org.apache.flink.streaming.api.functions.sink.v2 \
            .DiscardingSink()
    return register_in_client().jvm.io.github.pyflinksqs.sink.PythonBackendSink(queue_url, fifo)


def _java_message(error) -> str:
    java_exception = getattr(error, "java_exception", None)
    if java_exception is not None:
        return str(java_exception.getMessage())
    return str(error).splitlines()[0]
