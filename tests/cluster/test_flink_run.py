"""`flink run -py` on a standalone cluster of the distribution apache-flink ships: our jar
reaches the task managers on its own, and the sink's metrics are read from the REST API."""
import json
import math
import os
import re
import time

import pytest

from tests.support.cluster import StandaloneCluster
from tests.support.queues import ACCESS_KEY, SECRET_KEY, create_queue, drain

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JOB = os.path.join(ROOT, "examples", "numbers_to_sqs.py")
COUNT = 3_000


@pytest.fixture(scope="module")
def cluster():
    # The task managers' environment carries the credentials (AUTO finds them there).
    with StandaloneCluster(slots=2, environment={"AWS_ACCESS_KEY_ID": ACCESS_KEY,
                                                 "AWS_SECRET_ACCESS_KEY": SECRET_KEY}) as started:
        yield started


def submit(cluster, queue, endpoint, *extra):
    result = cluster.flink_run(
        "-d", "-py", JOB, "--queue-url", queue, "--endpoint", endpoint, "--count", str(COUNT),
        "--keep-running", *extra)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    job_id = re.search(r"JobID ([0-9a-f]{32})", result.stdout).group(1)
    cluster.wait_for(lambda: cluster.get(f"/jobs/{job_id}")["state"] == "RUNNING", 60,
                     "the submitted job did not start:\n" + cluster.log_tail())
    return job_id


def cancel(cluster, job_id):
    cluster.patch(f"/jobs/{job_id}?mode=cancel")
    # Its slots must be free before the next test submits.
    cluster.wait_for(lambda: cluster.get(f"/jobs/{job_id}")["state"] == "CANCELED", 60,
                     "the job did not cancel")


def wait_for_metric(cluster, job_id, suffix, value, timeout=120):
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        try:
            seen = cluster.sink_metric(job_id, suffix)
            if seen >= value:
                return seen
        except (KeyError, OSError, StopIteration):
            pass
        time.sleep(1)
    state = {name: cluster.sink_metric(job_id, name) for name in (
        "sqs.bufferedRecords", "sqs.inFlightRequests", "sqs.retriedRecords", "numRecordsIn")}
    raise AssertionError(f"{suffix} stayed at {seen}, expected {value}; {state}\n"
                         f"{cluster.log_tail()}")


# What each backend writes at start, at INFO, with secrets masked.
START_LINES = {"java": "starting with client properties",
               "python": "SqsSink (Python backend) starting with client properties"}


@pytest.mark.parametrize("backend", ["java", "python"])
def test_flink_run_py_delivers_and_the_metrics_count_what_arrived(cluster, localstack, backend):
    queue = create_queue(localstack.endpoint)
    job_id = submit(cluster, queue, localstack.endpoint, "--backend", backend)
    try:
        sent = wait_for_metric(cluster, job_id, "sqs.recordsSent", COUNT)
        received = drain(localstack.endpoint, queue, COUNT)
        assert sorted(received) == sorted(f"n-{i}" for i in range(COUNT))
        assert sent == len(received) == COUNT
        assert cluster.sink_metric(job_id, "sqs.batchesSent") >= COUNT / 10
        assert cluster.sink_metric(job_id, "sqs.inFlightRequests") == 0
        if backend == "java":  # batches formed ahead of the calls, standard queues only
            assert cluster.sink_metric(job_id, "sqs.waitingRequests") == 0
        assert cluster.sink_metric(job_id, "sqs.bufferedRecords") == 0
        assert cluster.sink_metric(job_id, "sqs.rejectedRecords") == 0
        # Per subtask: the number source may hand both of its splits to one reader, and then
        # the other sink subtask sends nothing and its latency histogram is empty (NaN, which
        # would make a sum over subtasks NaN).
        latency = "sqs.sendLatencyMs_p99" if backend == "java" else "sqs.sendLatencyMs"
        # The Python writer's counters reach Flink with its first bundle that holds records, so
        # a subtask that got none has none (NaN): it sent nothing.
        records_per_subtask = [0.0 if math.isnan(records) else records for records in
                               cluster.sink_metric_per_subtask(job_id, "sqs.recordsSent")]
        assert sum(records_per_subtask) == COUNT, records_per_subtask
        latencies = cluster.sink_metric_per_subtask(job_id, latency)
        for records, latency_ms in zip(records_per_subtask, latencies):
            if records > 0:
                assert latency_ms > 0, (records, latency_ms)
    finally:
        cancel(cluster, job_id)
    assert cluster.log_lines_containing(START_LINES[backend])
    assert cluster.log_lines_containing(SECRET_KEY) == []


def test_flink_run_py_of_a_sql_job_delivers_json_rows(cluster, localstack):
    queue = create_queue(localstack.endpoint)
    result = cluster.flink_run("-py", os.path.join(ROOT, "examples", "sql_to_sqs.py"),
                               "--queue-url", queue, "--endpoint", localstack.endpoint,
                               "--count", "500")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = [json.loads(body) for body in drain(localstack.endpoint, queue, 500)]
    assert sorted(r["order_id"] for r in rows) == sorted(f"order-{n}" for n in range(500))
    assert cluster.log_lines_containing(SECRET_KEY) == []
