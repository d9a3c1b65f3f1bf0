"""Outages of the whole endpoint mid-job, on both backends: every connection refused, or every
call answered HTTP 503, for a while. The job waits them out without failing (its restart
strategy is none, so a failure fails the test): its source is held back while the sink buffers
at most max_buffered_requests, it resumes when the endpoint is back, loses nothing, and its
checkpoints complete again. The peak memory of the job's processes is printed."""
import threading
import time

import pytest

from pyflink_sqs.config import MAX_BATCH_SIZE, MAX_IN_FLIGHT_REQUESTS
from tests.support.fault_proxy import OutageProxy
from tests.support.flink import sink_builder
from tests.support.live_job import LiveJob
from tests.support.memory import job_rss_bytes
from tests.support.queues import create_queue, drain
from tests.support.waiting import wait_until

BACKENDS = ["java", "python"]
MAX_BUFFERED = 1_000
BEFORE = 2_000  # records delivered before the outage
# Offered during the outage: ten times what the sink may buffer, so a sink that buffered
# without bound (or dropped) could not pass.
DURING = 10 * MAX_BUFFERED
HELD = MAX_BUFFERED // 2  # records the sink holds when the outage's checkpoint starts
BUFFERED = "sqs.bufferedRecords"
# The source is chained to the sink (parallelism 1): what it emitted, the sink took in.
ENTERED = "Source__lines.numRecordsOut"


def bodies(start: int, stop: int):
    return [f"o-{i}" for i in range(start, stop)]


@pytest.mark.parametrize("seconds", [30, pytest.param(120, marks=pytest.mark.soak)])
@pytest.mark.parametrize("kind", OutageProxy.KINDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_job_waits_out_an_outage_of_the_endpoint_and_loses_nothing(
        localstack, backend, kind, seconds):
    queue = create_queue(localstack.endpoint)
    with OutageProxy(localstack.endpoint) as proxy:
        sink = (sink_builder(queue, proxy.endpoint, backend)
                .set_max_buffered_requests(MAX_BUFFERED).build())
        with LiveJob(sink) as job:
            job.add_lines(bodies(0, BEFORE))
            wait_until(lambda: proxy.delivered() >= BEFORE, 120, "the first records")
            job.checkpoint()
            # Metrics reach the REST API some seconds after they are registered.
            job.wait_for(lambda: job.sink_metric(BUFFERED) is not None
                         and job.sink_metric(ENTERED) is not None, 60,
                         "the sink's metrics to be listed")
            rss_before = job_rss_bytes()
            entered_before = job.sink_metric(ENTERED)

            proxy.begin(kind)
            job.add_lines(bodies(BEFORE, BEFORE + DURING))
            # A checkpoint taken during the outage, once the sink holds records: the Java
            # backend keeps them in its state; the Python backend keeps none, so its checkpoint
            # may only complete once they are delivered, after the outage.
            checkpointed = []  # when it completed

            def checkpoint_in_outage():
                job.checkpoint(timeout=seconds + 300)
                checkpointed.append(time.monotonic())

            during = threading.Thread(target=checkpoint_in_outage, daemon=True)
            peak_rss, peak_buffered, entered = rss_before, 0, 0
            outage_ends = time.monotonic() + seconds  # the outage's length is the scenario
            while time.monotonic() < outage_ends:
                peak_rss = max(peak_rss, job_rss_bytes())
                peak_buffered = max(peak_buffered, job.sink_metric(BUFFERED))
                entered = job.sink_metric(ENTERED) - entered_before
                if entered >= HELD and not during.is_alive() and not checkpointed:
                    during.start()
                time.sleep(1)
            assert during.is_alive() or checkpointed, \
                f"the sink took only {entered} records during the outage"
            assert job.status() == "RUNNING"
            delivered_in_outage = proxy.delivered() - BEFORE
            proxy.end()
            ended_at = time.monotonic()

            wait_until(lambda: proxy.delivered() >= BEFORE + DURING, 300,
                       "the records offered during the outage")
            during.join(seconds + 300)
            assert checkpointed, "the checkpoint triggered during the outage did not complete"
            job.checkpoint()  # checkpoints go on after the outage
            assert job.status() == "RUNNING"
            answered_503 = proxy.answered_503

    received = drain(localstack.endpoint, queue, BEFORE + DURING)
    missing = set(bodies(0, BEFORE + DURING)) - set(received)
    assert not missing, f"{len(missing)} records lost, e.g. {sorted(missing)[:5]}"
    print(f"\n{backend} {kind} {seconds} s: {len(received)} received, "
          f"{len(received) - len(set(received))} duplicates; during the outage "
          f"the source emitted {int(entered)} records (of {DURING} offered), at most "
          f"{int(peak_buffered)} buffered, {delivered_in_outage} delivered, "
          f"{answered_503} calls answered 503; RSS {rss_before / 2**20:.0f} MiB before, "
          f"peak {peak_rss / 2**20:.0f} MiB; checkpoint of the outage completed "
          f"{'during' if checkpointed[0] < ended_at else 'after'} it")
    assert delivered_in_outage == 0  # the outage was one
    if backend == "python":
        assert checkpointed[0] > ended_at, "a checkpoint completed with records not delivered"
    if kind == "503":
        assert answered_503 > 0
    # Requests that fail put their entries back: the buffer may hold those of every request
    # out on top of max_buffered_requests: max_in_flight_requests calls on the Python backend
    # (1,000 + 50 x 10 here); on the Java backend also the batches formed ahead of its calls,
    # two rounds (SqsSink.FORMED_AHEAD_ROUNDS: 1,000 + 3 x 50 x 10).
    requests_out = MAX_IN_FLIGHT_REQUESTS.default * (3 if backend == "java" else 1)
    assert peak_buffered <= MAX_BUFFERED + requests_out * MAX_BATCH_SIZE.default
    # Held back: what the source emitted into the sink is bounded by what the sink may hold
    # (buffer, calls in flight, PyFlink's bundle of 1,000 records on the Python backend), far
    # below what was offered.
    assert entered < DURING / 2
