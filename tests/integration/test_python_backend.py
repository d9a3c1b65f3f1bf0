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
from pyflink.common import Types

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


def delivered(proxy: SqsProxy) -> int:
    return sum(len(b.entries) for b in proxy.sent_batches() if b.status == 200)


def test_after_a_python_map_records_wait_for_max_time_in_buffer_ms_not_a_second(localstack):
    # PyFlink fuses the writer into the map, keeping the map's configuration (its bundles end
    # every second, PyFlink's default), unless the sink gives the map the writer's bundles: it
    # would then send each second. A second sink on the same lines, whose bundles do end every
    # second, is the clock: each round below needs a new bundle end of it, so at least a
    # second more.
    slow_queue, clock_queue = create_queue(localstack.endpoint), create_queue(localstack.endpoint)
    with SqsProxy(localstack.endpoint) as slow, SqsProxy(localstack.endpoint) as clock:
        slow_sink = (sink_builder(slow_queue, slow.endpoint, "python")
                     .set_max_time_in_buffer_ms(60_000).build())
        clock_sink = (sink_builder(clock_queue, clock.endpoint, "python")
                      .set_max_time_in_buffer_ms(1_000).build())

        def prepare(lines):
            lines.sink_to(clock_sink)
            return lines.map(str.upper, output_type=Types.STRING())  # then into slow_sink

        sent = []
        with LiveJob(slow_sink, prepare=prepare) as job:
            for round_ in range(5):
                lines = [f"round-{round_}-{i}" for i in range(20)]
                job.add_lines(lines)
                sent += lines
                job.wait_for(lambda: delivered(clock) == len(sent), 30,
                             f"round {round_} did not reach the sink with 1 s bundles")
                assert delivered(slow) == 0, f"sent after round {round_}, before 60 s"
            assert job.status() == "RUNNING"
            job.end_input()  # the last bundle ends: the writer sends what it holds
            assert delivered(slow) == len(sent)
    received = drain(localstack.endpoint, slow_queue, len(sent))
    missing, unexpected = multiset_difference([line.upper() for line in sent], received)
    assert not missing and not unexpected


def test_a_bundle_end_the_hook_missed_fails_the_job_naming_pyflink_and_the_java_backend(
        localstack, tmp_path):
    # As if PyFlink stopped calling the finish() the bundle hook wraps: bundles end unseen.
    from pyflink.version import __version__ as pyflink_version

    queue = create_queue(localstack.endpoint)
    script = tmp_path / "missed_bundle_job.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {ROOT!r})
        from pyflink.common import Configuration
        from pyflink.datastream import StreamExecutionEnvironment
        from pyflink_sqs.python_backend import bundle_hook
        from tests.support.flink import run_job, sink_builder

        class NotPyFlinks:
            def finish(self):
                pass

        # Our private seam, kept: no public way makes PyFlink skip the finish() the hook wraps.
        bundle_hook._calling_operation = NotPyFlinks  # wraps a finish() nobody calls
        config = Configuration()
        config.set_string("python.fn-execution.bundle.size", "10")
        env = StreamExecutionEnvironment.get_execution_environment(config)
        try:
            run_job([f"r-{{i}}" for i in range(100)],
                    sink_builder({queue!r}, {localstack.endpoint!r}, "python").build(),
                    parallelism=1, env=env)
            print("FINISHED")
        except Exception as e:
            print("FAILED:", e)
        """))
    result = subprocess.run([sys.executable, str(script)], env=child_environment(),
                            capture_output=True, text=True, timeout=300)
    assert "FAILED:" in result.stdout, result.stdout[-2000:] + result.stderr[-3000:]
    assert (f"a PyFlink bundle ended without the Python backend of SqsSink being told (PyFlink "
            f"{pyflink_version} no longer calls") in result.stdout
    assert "use the Java backend (set_backend('java'))" in result.stdout


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
                # 15: fewer than the full batches the writer may hold waiting for calls
                # (writer.MAX_BATCHES_WAITING of 10), so max_buffered_requests is the limit.
                .set_max_in_flight_requests(2).set_max_buffered_requests(15)
                .set_max_time_in_buffer_ms(ONE_HOUR_MS))
        with LiveJob(sink.build()) as job:
            job.add_lines(records)
            job.wait_for(lambda: proxy.most_held == 2, 60, "no call reached the endpoint")
            threading.Event().wait(3)  # the writer would keep taking records, if it could
            assert proxy.most_held == 2  # max_in_flight_requests
            assert len(proxy.sent_batches()) == 2
            proxy.released.set()
            # The checkpoint flushes what the writer's operator has taken by then: wait until
            # that is every record (the backpressure held them back until the release).
            job.wait_for(lambda: job.vertex_metric(job.job_id, "Python writer",
                                                   "Python_writer.numRecordsIn") == len(records),
                         60, "the writer did not receive the records")
            job.checkpoint()
            received = drain(localstack.endpoint, queue, len(records))
            # 15 buffered at most, and that limit was reached (else this proves nothing).
            job.wait_for(lambda: job.sink_metric("sqs.recordsSent") == len(records), 30,
                         "the sink's metrics did not reach Flink")
            assert job.sink_metric("sqs.bufferedRecordsPeak") == 15
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
        sys.path.insert(0, {ROOT!r})
        from tests.support.flink import sink_builder
        from tests.support.live_job import LiveJob
        from tests.support.waiting import wait_until
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
            # Cancelled only once calls are retrying: two full batches, each tried and retried.
            wait_until(lambda: len(calls) >= 4, 60, "4 calls (2 batches, each retried)")
            print("CALLS BEFORE CANCEL:", len(calls), flush=True)
        print("CANCELLED", flush=True)
        """))
    result = subprocess.run([sys.executable, str(script)], env=child_environment(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    calls = int(re.search(r"CALLS BEFORE CANCEL: (\d+)", result.stdout).group(1))
    assert calls >= 4, result.stdout  # the job was cancelled while its calls were retrying
    assert "CANCELLED" in result.stdout
