"""The operators a sink puts in front of its Java end, made reachable from the handle that
sink_to() returns (name, uid, parallelism, ...), which otherwise configures the end alone."""
import logging
from typing import Sequence, Tuple

LOG = logging.getLogger(__name__)

# What an operator the sink adds is named until the handle's name() renames it: "<name>: <role>"
# (SinkPart.java), as Flink names the end "Sink: Writer".
DEFAULT_SINK_NAME = "SqsSink"


def default_name(role: str) -> str:
    return f"{DEFAULT_SINK_NAME}: {role}"


def with_parts(end_input, parts: Sequence[Tuple[object, str]]):
    """
    The stream to give the sink's end: `end_input` (the last of `parts`), whose sinkTo() returns
    a handle that applies its settings to each of `parts` too (SinkHandle.java). `parts` are
    (DataStream, role) pairs of the operators the sink added, from the one reading the user's
    stream; each is named default_name(role).

    Where the bridge does not link (the Python backend can run without it), the handle reaches
    the end alone, as Flink's own does: said once per sink_to().
    """
    from pyflink.datastream import DataStream

    from pyflink_sqs import java_backend

    for stream, role in parts:
        stream.name(default_name(role))
    if not parts:
        return end_input
    if not java_backend.links():
        LOG.warning("SqsSink: the Java bridge does not link here, so name(), uid(), "
                    "set_parallelism() and the other settings of sink_to()'s result apply to "
                    "the sink's end only, not to %s", ", ".join(role for _, role in parts))
        return end_input
    jvm = java_backend.register_in_client().jvm
    j_parts = [jvm.io.github.pyflinksqs.sink.SinkPart(stream._j_data_stream.getTransformation(),
                                                      role)
               for stream, role in parts]
    return DataStream(jvm.io.github.pyflinksqs.sink.SqsSinkStream(end_input._j_data_stream,
                                                                  j_parts))
