"""Failure handling against LocalStack: retries by error code, rejected records, fatal errors,
crash and restore. Every record arrives; duplicates are counted and reported, never hidden."""
from collections import Counter

import pytest

from tests.support.live_job import LiveJob
from tests.support.fault_proxy import FaultInjectingProxy, FaultRates, RefusingProxy
from tests.support.flink import (Numbered, checkpointing_env, numbered_stream,
                                 pyflink_log_lines, run_job, sink_builder)
from tests.support.queues import create_queue, drain, sqs_client
from tests.support.sqs_proxy import RecordedRequest, Reply, SqsProxy

BACKENDS = ["java", "python"]


def report_duplicates(test: str, received) -> int:
    duplicates = sum(n - 1 for n in Counter(received).values() if n > 1)
    print(f"\n{test}: {len(received)} received, {duplicates} duplicates")
    return duplicates


@pytest.mark.parametrize("backend", BACKENDS)
def test_fifty_thousand_records_arrive_through_injected_faults(localstack, backend):
    queue = create_queue(localstack.endpoint)
    rates = FaultRates(reset=0.03, server_error=0.03, throttle=0.05, partial=0.1)
    with FaultInjectingProxy(localstack.endpoint, rates) as proxy:
        env = checkpointing_env(1_000)
        numbered_stream(env, 50_000).sink_to(sink_builder(queue, proxy.endpoint, backend).build())
        env.execute("faults")
    received = drain(localstack.endpoint, queue, 50_000)
    expected = {f"n-{i}" for i in range(50_000)}
    assert not expected - set(received), f"missing {len(expected - set(received))}"
    assert set(received) <= expected
    print(f"\ninjected: {dict(proxy.injected)}")
    report_duplicates("faults", received)
    # Every kind of fault happened, so the test could have lost records.
    assert all(proxy.injected[k] > 0 for k in ("reset", "server_error", "throttle", "partial"))


@pytest.mark.smoke
@pytest.mark.parametrize("backend", BACKENDS)
def test_every_record_arrives_after_a_crash_and_restore(localstack, backend, tmp_path):
    queue = create_queue(localstack.endpoint)
    env = checkpointing_env(1_000, restart_attempts=3)
    numbered = Numbered(fail_after=6_000, marker=str(tmp_path / "failed-once"), per_second=2_000)
    numbered_stream(env, 30_000, numbered).sink_to(
        sink_builder(queue, localstack.endpoint, backend).build())
    env.execute("crash and restore")
    assert (tmp_path / "failed-once").exists()  # the failure did happen
    received = drain(localstack.endpoint, queue, 30_000)
    assert not {f"n-{i}" for i in range(30_000)} - set(received)
    duplicates = report_duplicates("crash and restore", received)
    # Only the records after the last checkpoint before the crash are sent twice: at most a few
    # seconds of input, far from all of it.
    assert duplicates < 15_000


POISON = "poison \x00 record"


def poison_input():
    return [f"good-{i}" for i in range(500)] + [POISON] + [f"good-{i}" for i in range(500, 999)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_poison_record_fails_the_job_by_default_with_a_clear_message(localstack, backend):
    queue = create_queue(localstack.endpoint)
    with pytest.raises(Exception) as error:
        run_job(poison_input(), sink_builder(queue, localstack.endpoint, backend).build(),
                parallelism=1)
    text = str(error.value)
    assert f"rejected record 501 of subtask 0 ({len(POISON.encode())} bytes) before sending " \
           f"to {queue}: it contains U+0000 at character 7, which SQS does not allow" in text
    assert "rejected_record_policy" in text
    assert POISON not in text


@pytest.mark.parametrize("backend", BACKENDS)
def test_skip_mode_delivers_the_good_records_and_counts_the_poison(localstack, backend):
    queue = create_queue(localstack.endpoint)
    sink = sink_builder(queue, localstack.endpoint, backend).set_rejected_record_policy("skip")
    with LiveJob(sink.build()) as job:
        job.add_lines(poison_input())
        seen = []

        # Metrics of the Python backend reach Flink at bundle ends, which checkpoints cause.
        def sent_all():
            job.checkpoint()
            seen.append(job.sink_metric("sqs.recordsSent"))
            return seen[-1] == 999
        try:
            job.wait_for(sent_all, 90, "the good records were not all sent", interval=2)
        except AssertionError as e:
            raise AssertionError(f"{e}; recordsSent was {seen[-5:]}") from None
        assert job.sink_metric("sqs.rejectedRecords") == 1
    received = drain(localstack.endpoint, queue, 999)
    assert sorted(received) == sorted(r for r in poison_input() if r != POISON)
    warnings = [line for line in pyflink_log_lines(queue)
                if "skipped (rejected_record_policy=skip)" in line]
    assert len(warnings) == 1 and "record 501 of subtask 0" in warnings[0], warnings


@pytest.mark.parametrize("backend", BACKENDS)
def test_dead_letter_mode_puts_the_poison_in_the_dead_letter_queue_with_its_reason(
        localstack, backend):
    queue = create_queue(localstack.endpoint)
    dead_letters = create_queue(localstack.endpoint, "dlq")
    run_job(poison_input(), sink_builder(queue, localstack.endpoint, backend)
            .set_rejected_record_policy("dead_letter")
            .set_dead_letter_queue_url(dead_letters).build(), parallelism=1)
    assert len(drain(localstack.endpoint, queue, 999)) == 999
    messages = sqs_client(localstack.endpoint).receive_message(
        QueueUrl=dead_letters, MaxNumberOfMessages=10, MessageAttributeNames=["All"],
        WaitTimeSeconds=2)["Messages"]
    assert len(messages) == 1
    attributes = {k: v["StringValue"] for k, v in messages[0]["MessageAttributes"].items()}
    assert attributes["pyflink-sqs.reason"] == "INVALID_CHARACTER"
    assert "U+0000" in attributes["pyflink-sqs.detail"]
    assert attributes["pyflink-sqs.source-queue"] == queue
    assert attributes["pyflink-sqs.position"] == "501"
    assert attributes["pyflink-sqs.body-encoding"] == "base64"
    import base64
    assert base64.b64decode(messages[0]["Body"]).decode() == POISON


class RefusesMarkedEntries(SqsProxy):
    """A queue refusing some entries for good, as LocalStack does: SenderFault false."""

    def __init__(self, upstream: str, queue_url: str):
        super().__init__(upstream)
        self.queue_url = queue_url

    def intercept(self, request: RecordedRequest):
        if not request.target.endswith(".SendMessageBatch"):
            return None
        import json
        call = request.json()
        if call["QueueUrl"] != self.queue_url:
            return None
        refused = [e for e in call["Entries"] if "refuse-me" in e["MessageBody"]]
        if not refused:
            return None
        kept = [e for e in call["Entries"] if e not in refused]
        answer = {"Successful": [], "Failed": []}
        if kept:
            _, _, payload = self.forward(json.dumps({**call, "Entries": kept}).encode(),
                                         request.headers)
            answer = {"Failed": [], **json.loads(payload)}
        answer["Failed"] += [{"Id": e["Id"], "Code": "InvalidMessageContents",
                              "SenderFault": False, "Message": "Invalid characters found."}
                             for e in refused]
        return Reply(200, json.dumps(answer).encode(), {})


@pytest.mark.parametrize("backend", BACKENDS)
def test_entries_sqs_refuses_for_good_follow_the_policy_and_do_not_loop(localstack, backend):
    queue = create_queue(localstack.endpoint)
    dead_letters = create_queue(localstack.endpoint, "dlq")
    records = [f"ok-{i}" for i in range(300)] + ["refuse-me-1", "refuse-me-2"]
    with RefusesMarkedEntries(localstack.endpoint, queue) as proxy:
        run_job(records, sink_builder(queue, proxy.endpoint, backend)
                .set_rejected_record_policy("dead_letter")
                .set_dead_letter_queue_url(dead_letters).build(), parallelism=1)
    assert sorted(drain(localstack.endpoint, queue, 300)) == sorted(records[:300])
    dlq = drain(localstack.endpoint, dead_letters, 2)
    assert sorted(dlq) == ["refuse-me-1", "refuse-me-2"]  # valid text: sent as it was
    refused_sends = [b for b in proxy.sent_batches()
                     if any("refuse-me" in e["MessageBody"] for e in b.entries)
                     and b.json()["QueueUrl"] == queue]
    assert len(refused_sends) <= 2  # sent once each at most, never retried


@pytest.mark.parametrize("backend", BACKENDS)
def test_fail_on_error_fails_the_job_on_a_failed_entry_with_its_code(localstack, backend):
    queue = create_queue(localstack.endpoint)
    with FaultInjectingProxy(localstack.endpoint, FaultRates(partial=1.0)) as proxy:
        with pytest.raises(Exception) as error:
            run_job([f"r-{i}" for i in range(100)],
                    sink_builder(queue, proxy.endpoint, backend)
                    .set_fail_on_error(True).build(), parallelism=1)
    text = str(error.value)
    assert "fail_on_error is set" in text
    assert any(code in text for code in ("InternalError", "ServiceUnavailable", "RequestThrottled"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_queue_that_does_not_exist_fails_the_job_fast_saying_what_to_check(
        localstack, backend):
    missing = localstack.endpoint + "/queue/us-east-1/000000000000/no-such-queue"
    # Fast: the job fails at the first answer (a retried error would keep it running).
    with pytest.raises(Exception) as error:
        run_job(["a", "b"], sink_builder(missing, localstack.endpoint, backend).build(),
                parallelism=1)
    text = str(error.value)
    assert f"SqsSink cannot send to {missing}" in text
    assert "QueueDoesNotExist" in text or "NonExistentQueue" in text
    assert "check that the queue exists" in text


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("status, code, query_code, check", [
    (403, "InvalidClientTokenId", None, "check the credentials"),
    (403, "AccessDenied", "AccessDenied", "sqs:SendMessage"),
])
def test_refused_credentials_fail_the_job_fast(localstack, backend, status, code, query_code,
                                               check):
    queue = create_queue(localstack.endpoint)
    message = "The security token included in the request is invalid."
    with RefusingProxy(localstack.endpoint, status, code, message, query_code) as proxy:
        with pytest.raises(Exception) as error:
            run_job(["a", "b"],
                    sink_builder(queue, proxy.endpoint, backend).build(),
                    parallelism=1)
    # Fast: failed at the first answer, so no record was ever sent twice (retried).
    sent = [e["MessageBody"] for r in proxy.sent_batches() for e in r.entries]
    assert sent and len(sent) == len(set(sent)), sent
    text = str(error.value)
    assert f"SQS answered HTTP {status} {code}" in text and check in text
