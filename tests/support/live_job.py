"""A job over an input that never ends (text files in a watched directory), with Flink's REST
API and checkpoints taken only when the test asks: for what happens at checkpoints and for
metrics, which exist only while a job runs."""
import os
import tempfile
import uuid

from pyflink.common import Duration
from pyflink.common.watermark_strategy import WatermarkStrategy
from pyflink.datastream.connectors.file_system import FileSource, StreamFormat

from tests.support.flink import checkpointing_env
from tests.support.localstack import free_port
from tests.support.rest import FlinkRest

NEVER_MS = 3_600_000  # the periodic checkpoint interval: the tests trigger checkpoints


class LiveJob(FlinkRest):
    def __init__(self, sink, parallelism: int = 1, prepare=None, sink_uid: str = None,
                 settings: dict = None, directory: str = None, wait_running: bool = True):
        """sink_uid: the sink's uid (savepoints map state by it); settings: more Flink
        options (e.g. execution.savepoint.path); directory: the watched input directory."""
        port = free_port()
        super().__init__(f"http://127.0.0.1:{port}")
        self.directory = directory or tempfile.mkdtemp(prefix="pyflink-sqs-input-")
        env = checkpointing_env(NEVER_MS, rest_port=port, settings=settings)
        env.set_parallelism(parallelism)
        lines = env.from_source(
            FileSource.for_record_stream_format(StreamFormat.text_line_format(), self.directory)
            .monitor_continuously(Duration.of_millis(500)).build(),
            WatermarkStrategy.no_watermarks(), "lines")
        written = (prepare(lines) if prepare else lines).sink_to(sink)
        if sink_uid:
            written.uid(sink_uid)
        self._env = env
        self._wait_running = wait_running
        self._client = None
        self.job_id = None

    def __enter__(self):
        self._client = self._env.execute_async("live job")
        self.job_id = str(self._client.get_job_id())
        if not self._wait_running:
            return self
        self.wait_for(lambda: self.get(f"/jobs/{self.job_id}")["state"] == "RUNNING"
                      and all(v["status"] == "RUNNING"
                              for v in self.get(f"/jobs/{self.job_id}")["vertices"]),
                      60, "the job did not start")
        return self

    def __exit__(self, *exc):
        try:
            self._client.cancel().result()
        except Exception:  # noqa: BLE001 -- the job may have failed already
            pass

    def add_lines(self, lines):
        """A new file in the watched directory; the source reads it within a second."""
        name = f"{uuid.uuid4().hex}.txt"
        # Written under a hidden name, which the source skips, then renamed in one step.
        hidden = os.path.join(self.directory, "." + name)
        with open(hidden, "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(line + "\n" for line in lines))
        os.rename(hidden, os.path.join(self.directory, name))

    def sink_metric(self, suffix: str) -> float:
        return self.vertex_metric(self.job_id, "Sink", suffix)

    def checkpoint(self, timeout: float = 60):
        self.trigger_checkpoint(self.job_id, timeout)

    def stop_with_savepoint(self, directory: str, drain: bool = False) -> str:
        return FlinkRest.stop_with_savepoint(self, self.job_id, directory, drain)

    def failure(self) -> str:
        """Waits for the job to end and returns why it failed (AssertionError if it did not)."""
        try:
            self._client.get_job_execution_result().result()
        except Exception as e:  # noqa: BLE001 -- the failure is what the test reads
            return str(e)
        raise AssertionError("the job ended without failing")

    def status(self) -> str:
        return self.get(f"/jobs/{self.job_id}")["state"]

    def end_input(self, timeout: float = 60) -> None:
        """Stops the job with a savepoint and --drain: the sources end, so every operator sees
        the end of its input (PyFlink's last bundle ends), and the job finishes."""
        target = tempfile.mkdtemp(prefix="pyflink-sqs-savepoint-")
        self.post(f"/jobs/{self.job_id}/stop", {"drain": True, "targetDirectory": target})
        self.wait_for(lambda: self.status() == "FINISHED", timeout,
                      "the job did not finish after stop --drain")
