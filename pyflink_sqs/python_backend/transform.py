"""What sink_to() adds to the job for the Python backend: the writer function, configured so
its bundles end when records have waited max_time_in_buffer_ms, and a Java DiscardingSink."""
from pyflink.common import Types

from pyflink_sqs.python_backend.settings import WriterSettings
from pyflink_sqs.python_backend.writer import SqsWriterFunction

# Per-operator settings of PyFlink's Python operator hosting the writer. Its bundles end at
# every checkpoint (before the barrier) and at end of input; we make them also end when the
# oldest record has waited max_time_in_buffer_ms (PyFlink's default is 1 s for every
# operator): the writer sends everything at each bundle end, so this is the sink's flush timer.
# These win over the same python.* keys in the job's configuration (checked through
# PythonConfigUtil.configPythonOperator, which merges the two).
BUNDLE_TIME = "python.fn-execution.bundle.time"
# The bundle hook needs PyFlink's process mode (Beam bundles), not the embedded thread mode.
EXECUTION_MODE = "python.execution-mode"


def add_writer(ds, settings: WriterSettings):
    written = (ds.process(SqsWriterFunction(settings), output_type=Types.STRING())
               .name("SqsSink: Python writer"))
    operator = written._j_data_stream.getTransformation().getOperatorFactory().getOperator()
    operator.getConfiguration().setString(BUNDLE_TIME, str(settings.max_time_in_buffer_ms))
    operator.getConfiguration().setString(EXECUTION_MODE, "process")
    return written


def discarding_sink():
    from pyflink.java_gateway import get_gateway

    return get_gateway().jvm.org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink()
