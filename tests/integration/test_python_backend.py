"""What only the Python backend needs proving: its flush is the checkpoint's doing, its buffer
stays bounded while SQS stalls, and it still works where the Java bridge cannot, which build()
names instead of switching backends on its own.
(Behaviour shared with the Java backend is tested on both in test_backends and test_failures.)
"""
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading

import pytest

from tests.support.flink import run_job, sink_builder
from tests.support.live_job import LiveJob
from tests.support.processes import child_environment
from tests.support.queues import create_queue, drain, multiset_difference, queue_depth
from tests.support.sqs_proxy import SqsProxy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ONE_HOUR_MS = 3_600_000


def test_records_reach_the_queue_when_a_checkpoint_completes_and_not_before(localstack):
    queue = create_queue(localstack.endpoint)
    records = [f"held-{i}" for i in range(123)]  # not a multiple of the batch size
    sink = sink_builder(queue, localstack.endpoint, "python").set_max_time_in_buffer_ms(
        ONE_HOUR_MS).build()
    with LiveJob(sink) as job:
        job.add_lines(records)
        job.wait_for(lambda: job.vertex_metric(job.job_id, "Python writer",
                                               "Python_writer.numRecordsIn") == len(records),
                     60, "the writer did not receive the records")
        # With an hour in buffer, nothing may leave before the checkpoint (PyFlink hands the
        # worker records in chunks, so even the twelve full batches wait for the bundle end).
        for _ in range(6):
            threading.Event().wait(0.5)
            assert queue_depth(localstack.endpoint, queue) == 0
        job.checkpoint()
        # Checked right after the checkpoint completed, not eventually: the flush is part of it.
        assert queue_depth(localstack.endpoint, queue) == len(records)
        received = drain(localstack.endpoint, queue, len(records))
    missing, unexpected = multiset_difference(records, received)
    assert not missing and not unexpected


class StallingProxy(SqsProxy):
    """Holds every SendMessageBatch until released; counts the calls held at once."""

    def __init__(self, upstream: str):
        super().__init__(upstream)
        self.released = threading.Event()
        self._held = 0
        self.most_held = 0
        self._count_lock = threading.Lock()

    def intercept(self, request):
        if request.target.endswith(".SendMessageBatch") and not self.released.is_set():
            with self._count_lock:
                self._held += 1
                self.most_held = max(self.most_held, self._held)
            self.released.wait(120)
            with self._count_lock:
                self._held -= 1
        return None


def test_a_stalled_endpoint_holds_the_buffer_at_its_limit_and_the_job_resumes(localstack):
    queue = create_queue(localstack.endpoint)
    records = [f"pressed-{i}" for i in range(3_000)]
    with StallingProxy(localstack.endpoint) as proxy:
        sink = (sink_builder(queue, proxy.endpoint, "python")
                .set_max_in_flight_requests(2).set_max_buffered_requests(50)
                .set_max_time_in_buffer_ms(ONE_HOUR_MS))
        with LiveJob(sink.build()) as job:
            job.add_lines(records)
            job.wait_for(lambda: proxy.most_held == 2, 60, "no call reached the endpoint")
            threading.Event().wait(3)  # the writer would keep taking records, if it could
            assert proxy.most_held == 2  # max_in_flight_requests
            assert len(proxy.sent_batches()) == 2
            proxy.released.set()
            job.checkpoint()
            received = drain(localstack.endpoint, queue, len(records))
            # 50 buffered at most, and that limit was reached (else this proves nothing).
            job.wait_for(lambda: job.sink_metric("sqs.recordsSent") == len(records), 30,
                         "the sink's metrics did not reach Flink")
            assert job.sink_metric("sqs.bufferedRecordsPeak") == 50
    missing, unexpected = multiset_difference(records, received)
    assert not missing and not unexpected


def copy_of_package(tmp_path, jar: bytes = None) -> str:
    """pyflink_sqs as installed, but with its jar missing (jar None) or replaced by `jar`."""
    target = tmp_path / "site"
    shutil.copytree(os.path.join(ROOT, "pyflink_sqs"), target / "pyflink_sqs",
                    ignore=shutil.ignore_patterns("_jar", "__pycache__"))
    if jar is not None:
        (target / "pyflink_sqs" / "_jar").mkdir()
        (target / "pyflink_sqs" / "_jar" / "pyflink-sqs-bridge.jar").write_bytes(jar)
    return str(target)


@pytest.mark.parametrize("jar, reason", [
    (None, "the Java bridge jar is missing"),
    (b"not a jar", "the Java bridge does not link with this Flink"),
])
def test_a_bridge_that_cannot_run_fails_build_naming_why_and_the_python_backend_still_runs(
        localstack, tmp_path, jar, reason):
    queue = create_queue(localstack.endpoint)
    site = copy_of_package(tmp_path, jar)
    script = tmp_path / "fallback_job.py"
    script.write_text(textwrap.dedent(f"""
        import logging
        import sys
        sys.path[:0] = [{site!r}, {ROOT!r}]
        logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
        import pyflink_sqs
        assert pyflink_sqs.__file__.startswith({site!r}), pyflink_sqs.__file__
        from tests.support.flink import run_job, sink_builder
        try:
            sink_builder({queue!r}, {localstack.endpoint!r}, "java").build()
        except ValueError as e:
            print("DEFAULT JAVA:", str(e).replace(chr(10), " "))
        sink = sink_builder({queue!r}, {localstack.endpoint!r}, "python").build()
        run_job([f"fallback-{{i}}" for i in range(200)], sink, parallelism=2)
        """))
    # The job's Python workers import the same copy.
    env = child_environment(PYTHONPATH=os.pathsep.join([site, ROOT]))
    result = subprocess.run([sys.executable, str(script)], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    refused = [line for line in result.stdout.splitlines() if line.startswith("DEFAULT JAVA:")]
    assert len(refused) == 1 and reason in refused[0], result.stdout[-3000:]
    assert "backend 'java' (the default) cannot run here" in refused[0]
    assert "set_backend('python')" in refused[0]
    received = drain(localstack.endpoint, queue, 200)
    missing, unexpected = multiset_difference([f"fallback-{i}" for i in range(200)], received)
    assert not missing and not unexpected


def test_both_backends_leave_the_same_bodies_in_the_queue(localstack):
    records = ([f"parity-{i}" for i in range(500)] + ["same body"] * 20
               + ["ünïcödé 😀", " spaces ", "x" * 5_000])
    queues = {}
    for backend in ("java", "python"):
        queues[backend] = create_queue(localstack.endpoint, backend)
        run_job(records, sink_builder(queues[backend], localstack.endpoint, backend).build())
    java, python = (sorted(drain(localstack.endpoint, queues[b], len(records)))
                    for b in ("java", "python"))
    assert java == python
    assert len(python) == len(records)


def test_a_cancelled_local_job_lets_python_exit_while_its_calls_are_retrying(tmp_path):
    # In a local job the Python writer runs in the job's own process. Cancelling a job whose
    # endpoint refuses every call leaves the writer's calls retrying (transient errors are
    # retried without end) and nothing closes it; its threads must not keep the process alive.
    script = tmp_path / "cancelled_job.py"
    script.write_text(textwrap.dedent(f"""
        import socket
        import sys
        import threading
        import time
        sys.path.insert(0, {ROOT!r})
        from tests.support.flink import sink_builder
        from tests.support.live_job import LiveJob
        # An endpoint that hangs up on every call: a transient error, retried without end.
        server = socket.create_server(("127.0.0.1", 0))
        calls = []
        def hang_up():
            while True:
                connection, _ = server.accept()
                calls.append(1)
                connection.close()
        threading.Thread(target=hang_up, daemon=True).start()
        endpoint = f"http://127.0.0.1:{{server.getsockname()[1]}}"
        sink = sink_builder(endpoint + "/000000000000/nowhere", endpoint, "python").build()
        with LiveJob(sink) as job:
            job.add_lines([f"unsendable-{{i}}" for i in range(25)])
            time.sleep(8)
            print("CALLS BEFORE CANCEL:", len(calls), flush=True)
        print("CANCELLED", flush=True)
        """))
    result = subprocess.run([sys.executable, str(script)], env=child_environment(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    calls = int(re.search(r"CALLS BEFORE CANCEL: (\d+)", result.stdout).group(1))
    assert calls >= 4, result.stdout  # two full batches, each tried and retried
    assert "CANCELLED" in result.stdout
