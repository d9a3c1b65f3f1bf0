"""Building sinks against a test endpoint and running small PyFlink jobs with them."""
from typing import Iterable, Optional

from pyflink.common import Types
from pyflink.common.serialization import SimpleStringSchema
from pyflink.datastream import StreamExecutionEnvironment

from pyflink_sqs import AWSConfigConstants, SqsSink
from tests.support.queues import ACCESS_KEY, REGION, SECRET_KEY


def client_properties(endpoint: str) -> dict:
    return {
        AWSConfigConstants.AWS_REGION: REGION,
        AWSConfigConstants.AWS_ENDPOINT: endpoint,
        AWSConfigConstants.AWS_ACCESS_KEY_ID: ACCESS_KEY,
        AWSConfigConstants.AWS_SECRET_ACCESS_KEY: SECRET_KEY,
    }


def sink_builder(queue_url: str, endpoint: str, backend: str = "java", **properties):
    """properties: more client properties, or other values for the test's own."""
    return (SqsSink.builder()
            .set_sqs_url(queue_url)
            .set_serialization_schema(SimpleStringSchema())
            .set_sqs_client_properties({**client_properties(endpoint), **properties})
            .set_backend(backend))


def run_job(records: Iterable[str], sink, parallelism: int = 2, typed: bool = True,
            type_info=None, name: str = "pyflink-sqs test", env: Optional[object] = None):
    """Sends the records through the sink in a bounded job and waits for it to finish."""
    env = env or StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(parallelism)
    if type_info is None and typed:
        type_info = Types.STRING()
    ds = env.from_collection(list(records), type_info=type_info)
    ds.sink_to(sink)
    return env.execute(name)


def pyflink_log_lines(containing: str):
    """Lines of this process's Flink log (local runs) that contain the text."""
    import glob
    import os

    import pyflink

    lines = []
    for path in glob.glob(os.path.join(os.path.dirname(pyflink.__file__), "log", "*.log")):
        with open(path, errors="replace") as f:
            lines += [line for line in f if containing in line]
    return lines


def checkpointing_env(interval_ms: int = 1_000, restart_attempts: int = 0,
                      rest_port: int = None, settings: dict = None):
    """A local environment that checkpoints, restarts failed jobs when asked to, and serves
    Flink's REST API on rest_port when given; `settings` are more Flink options."""
    from pyflink.common import Configuration

    config = Configuration()
    for key, value in (settings or {}).items():
        config.set_string(key, str(value))
    if rest_port:
        config.set_string("rest.port", str(rest_port))
    if not restart_attempts:
        # With checkpointing Flink's default is to restart forever: a failing test would hang.
        config.set_string("restart-strategy.type", "none")
    else:
        config.set_string("restart-strategy.type", "fixed-delay")
        config.set_string("restart-strategy.fixed-delay.attempts", str(restart_attempts))
        config.set_string("restart-strategy.fixed-delay.delay", "500 ms")
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.enable_checkpointing(interval_ms)
    return env


class Numbered:
    """
    A map from the numbers of a replayable source to message bodies, optionally throwing once
    (across restarts, remembered in a marker file) after a given number of records, and
    optionally paced so checkpoints happen while the job runs.
    """

    def __init__(self, fail_after: int = None, marker: str = None, per_second: int = None,
                 fail_when: str = None):
        self.fail_after = fail_after
        self.marker = marker
        self.per_second = per_second
        # Fail once as soon as this file exists (a test creates it when a condition holds).
        self.fail_when = fail_when
        self.seen = 0

    def __call__(self, number):
        import os
        import time

        self.seen += 1
        if self.per_second and self.seen % 100 == 0:
            time.sleep(100 / self.per_second)
        if self.fail_after and self.seen == self.fail_after and not os.path.exists(self.marker):
            open(self.marker, "w").close()
            raise RuntimeError(f"injected failure after {self.seen} records")
        if self.fail_when and os.path.exists(self.fail_when) and not os.path.exists(self.marker):
            open(self.marker, "w").close()
            raise RuntimeError(f"injected failure after {self.seen} records")
        return f"n-{number}"


def numbered_stream(env, count: int, numbered: Numbered = None, parallelism: int = 2):
    """Bodies n-0 .. n-(count-1) from a checkpointed source, made by `numbered`."""
    from pyflink.common.watermark_strategy import WatermarkStrategy
    from pyflink.datastream.connectors.number_seq import NumberSequenceSource

    env.set_parallelism(parallelism)
    return (env.from_source(NumberSequenceSource(0, count - 1), WatermarkStrategy.no_watermarks(),
                            "numbers")
            .map(numbered or Numbered(), output_type=Types.STRING()))
