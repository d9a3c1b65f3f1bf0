"""Answers that are not what they claim and connections that end or stall, against LocalStack
through the fault proxy: no record is counted as sent that SQS did not store, and none of it
fails the job or costs a retry that it should not. Duplicates are counted and reported."""
import base64
import json
import os
from collections import Counter

import pytest

from tests.support.fault_proxy import FaultInjectingProxy, FaultRates
from tests.support.flink import (checkpointing_env, numbered_stream, pyflink_log_lines, run_job,
                                 sink_builder)
from tests.support.live_job import LiveJob
from tests.support.queues import create_queue, drain, multiset_difference, sqs_client

BACKENDS = ["java", "python"]
VECTORS = os.path.join(os.path.dirname(__file__), "..", "fixtures", "md5_vectors.json")
READ_TIMEOUT_MS = "2000"


def report(test: str, received, proxy) -> int:
    duplicates = sum(n - 1 for n in Counter(received).values() if n > 1)
    print(f"\n{test}: {len(received)} received, {duplicates} duplicates; "
          f"injected {dict(proxy.injected)}")
    return duplicates


def failed_call_warnings(queue: str):
    """The WARNING lines a sender logs when a call to the queue failed and is retried."""
    return pyflink_log_lines(f"SendMessageBatch to {queue} failed")


def test_the_md5_vectors_are_what_localstack_returns(localstack):
    queue = create_queue(localstack.endpoint)
    sqs = sqs_client(localstack.endpoint)
    with open(VECTORS, encoding="utf-8") as f:
        vectors = json.load(f)
    for case in vectors["bodies"]:
        answer = sqs.send_message_batch(QueueUrl=queue, Entries=[
            {"Id": "0", "MessageBody": case["body"]}])
        assert answer["Successful"][0]["MD5OfMessageBody"] == case["md5"], case["source"]
    for case in vectors["attributes"]:
        attributes = {name: ({**value, "BinaryValue": base64.b64decode(value["BinaryValue"])}
                             if "BinaryValue" in value else value)
                      for name, value in case["attributes"].items()}
        answer = sqs.send_message_batch(QueueUrl=queue, Entries=[
            {"Id": "0", "MessageBody": "x", "MessageAttributes": attributes}])
        assert answer["Successful"][0]["MD5OfMessageAttributes"] == case["md5"], case["source"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_ten_thousand_records_arrive_through_unreadable_and_incomplete_answers(localstack,
                                                                               backend):
    queue = create_queue(localstack.endpoint)
    rates = FaultRates(bad_200=0.05, count_mismatch=0.1)
    with FaultInjectingProxy(localstack.endpoint, rates) as proxy:
        env = checkpointing_env(1_000)
        numbered_stream(env, 10_000).sink_to(sink_builder(queue, proxy.endpoint, backend).build())
        env.execute("unreadable and incomplete answers")
    # Bounded: the job has ended, so whatever it sent is in the queue already.
    received = drain(localstack.endpoint, queue, 10_000, timeout=120)
    expected = {f"n-{i}" for i in range(10_000)}
    duplicates = report("unreadable and incomplete answers", received, proxy)
    lost = expected - set(received)
    assert not lost, f"{len(lost)} records lost"
    assert set(received) <= expected
    # Sent again, so stored twice: exactly the entries SQS stored that the answer left out.
    assert duplicates == proxy.injected["left_out_successful"]
    # Each fault happened, so the test could have lost records: pages instead of answers,
    # entries left out of Failed (never stored) and of Successful (stored).
    assert all(proxy.injected[k] > 0
               for k in ("bad_200", "left_out_failed", "left_out_successful"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_entries_whose_digest_does_not_match_are_sent_again(localstack, backend):
    queue = create_queue(localstack.endpoint)
    records = [f"digest-{i}" for i in range(2_000)]
    # At most 2 corruptions per body: the sink's limit is 3 attempts (the next test).
    with FaultInjectingProxy(localstack.endpoint, FaultRates(md5_mismatch=0.1),
                             md5_mismatches_per_body=2) as proxy:
        run_job(records, sink_builder(queue, proxy.endpoint, backend).build(), parallelism=1)
    received = drain(localstack.endpoint, queue, len(records))
    duplicates = report("digest mismatches", received, proxy)
    assert set(received) == set(records)
    assert proxy.injected["md5_corrupted_entries"] > 0
    # SQS stored each message whose digest the proxy corrupted, and the sink sent it again:
    # one duplicate per corrupted digest, and no other.
    assert duplicates == proxy.injected["md5_corrupted_entries"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_digest_that_never_matches_fails_the_job_naming_the_record(localstack, backend):
    queue = create_queue(localstack.endpoint)
    records = [f"tampered-{i}" for i in range(20)]
    with FaultInjectingProxy(localstack.endpoint, FaultRates(md5_mismatch=1.0)) as proxy:
        with pytest.raises(Exception) as error:
            run_job(records, sink_builder(queue, proxy.endpoint, backend).build(),
                    parallelism=1)
    text = str(error.value)
    assert "MD5OfMessageBody" in text and "in 3 attempts" in text, text[-2000:]
    assert f"sent to {queue}" in text and "SQS acknowledged record " in text
    assert not any(record in text for record in records)  # never a body


@pytest.mark.parametrize("backend", BACKENDS)
def test_calls_never_answered_time_out_are_sent_again_and_release_the_checkpoint(
        localstack, backend):
    queue = create_queue(localstack.endpoint)
    # The first three calls hang. The proxy gives up on a client after 20 s (ten read
    # timeouts) and then answers with an error that fails the job.
    with FaultInjectingProxy(localstack.endpoint, FaultRates(), hang_first=3) as proxy:
        env = checkpointing_env(1_000)
        sink = sink_builder(queue, proxy.endpoint, backend,
                            **{"aws.http-client.read-timeout": READ_TIMEOUT_MS})
        numbered_stream(env, 2_000).sink_to(sink.build())
        env.execute("hung calls")
    received = drain(localstack.endpoint, queue, 2_000)
    report("hung calls", received, proxy)
    assert not {f"n-{i}" for i in range(2_000)} - set(received)
    assert proxy.injected["hang"] == 3
    assert proxy.injected["hang_abandoned"] == 3 and proxy.injected["hang_outlived"] == 0
    warnings = failed_call_warnings(queue)
    # botocore's name for it on the Python backend, java.net's on the Java backend.
    timeout = {"python": "ReadTimeoutError", "java": "SocketTimeoutException"}[backend]
    assert warnings and all(timeout in w for w in warnings), warnings


@pytest.mark.parametrize("backend", BACKENDS)
def test_answers_that_close_the_connection_cost_no_failed_attempt(localstack, backend):
    queue = create_queue(localstack.endpoint)
    records = [f"closing-{i}" for i in range(1_000)]
    with FaultInjectingProxy(localstack.endpoint, FaultRates(connection_close=1.0)) as proxy:
        run_job(records, sink_builder(queue, proxy.endpoint, backend).build(), parallelism=1)
    received = drain(localstack.endpoint, queue, len(records))
    duplicates = report("connection: close", received, proxy)
    missing, unexpected = multiset_difference(records, received)
    assert not missing and not unexpected and duplicates == 0
    assert proxy.injected["connection_close"] == len(proxy.sent_batches()) >= 100
    assert failed_call_warnings(queue) == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_keep_alive_connection_closed_while_idle_costs_no_failed_attempt(localstack,
                                                                          backend):
    queue = create_queue(localstack.endpoint)
    # One call at a time, so both calls go out on the same sending thread: the second one
    # finds the connection the proxy closed after a second of idling.
    with FaultInjectingProxy(localstack.endpoint, FaultRates(), close_after_idle=1.0) as proxy:
        sink = sink_builder(queue, proxy.endpoint, backend).set_max_in_flight_requests(1)
        with LiveJob(sink.build()) as job:
            job.add_lines([f"before-idle-{i}" for i in range(10)])
            job.wait_for(lambda: len(proxy.sent_batches()) == 1, 60, "no call was made")
            proxy.wait_for_injected("close_after_idle", 1)
            job.add_lines([f"after-idle-{i}" for i in range(10)])
            job.wait_for(lambda: len(proxy.sent_batches()) == 2, 60, "no second call")
            job.checkpoint()  # the metrics of the Python backend reach Flink at bundle ends
            job.wait_for(lambda: job.sink_metric("sqs.recordsSent") == 20, 60,
                         "the sink's metrics did not reach Flink")
            assert job.sink_metric("numRecordsSendErrors") == 0
            # Flink's sink-writer counters, on both backends: 20 entries of these bodies.
            assert job.sink_metric("numRecordsSend") == 20
            assert job.sink_metric("numBytesSend") == sum(
                len(f"{when}-idle-{i}") for when in ("before", "after") for i in range(10))
            assert job.sink_metric("sqs.retriedRecords") == 0
    received = drain(localstack.endpoint, queue, 20)
    assert sorted(received) == sorted([f"before-idle-{i}" for i in range(10)]
                                      + [f"after-idle-{i}" for i in range(10)])
    assert failed_call_warnings(queue) == []
