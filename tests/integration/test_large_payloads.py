"""Large-payload offload, on both backends: bodies over the threshold go to S3 in the Amazon
SQS Extended Client's format, and the real Extended Client (Python) reads every body back;
smaller ones stay inline; a restore in the middle loses nothing; a missing bucket fails the
job at once, naming it."""
import os
import uuid

import pytest
from pyflink.common import Types

from tests.support.extended_client import receive_with_extended_client
from tests.support.flink import checkpointing_env, numbered_stream, run_job, sink_builder, Numbered
from tests.support.live_job import LiveJob
from tests.support.queues import create_queue, multiset_difference
from tests.support.s3 import create_bucket, object_keys

MIB = 1024 * 1024
BACKENDS = pytest.mark.parametrize("backend", ["java", "python"])


@BACKENDS
@pytest.mark.parametrize("legacy, size_attribute", [
    pytest.param(False, "ExtendedPayloadSize", marks=pytest.mark.smoke),
    (True, "SQSLargePayloadSize")])
def test_large_bodies_go_to_s3_and_the_extended_client_reads_every_body(
        localstack, backend, legacy, size_attribute):
    queue, bucket = create_queue(localstack.endpoint), create_bucket(localstack.endpoint)
    # 2 MiB: over SQS's 1 MiB, so only offload can send them; multi-byte characters, so bytes
    # and characters differ (the threshold and the size attribute count bytes).
    large = [f"large-{i}-" + "é" * MIB for i in range(3)]
    small = [f"small-{i}" for i in range(20)]
    sink = (sink_builder(queue, localstack.endpoint, backend)
            .set_max_record_size_in_bytes(4 * MIB)
            .set_large_payload_offload(bucket, key_prefix="orders/2026/",
                                       legacy_size_attribute=legacy)
            .build())
    run_job(large + small, sink)
    stored, read = receive_with_extended_client(localstack.endpoint, queue, bucket,
                                                len(large) + len(small))
    missing, unexpected = multiset_difference(large + small, read)
    assert not missing and not unexpected
    pointers = [(body, attributes) for body, attributes in stored if body not in small]
    assert sorted(body for body, _ in stored if body in small) == sorted(small)
    assert all(attributes == {} for body, attributes in stored if body in small)  # inline
    assert len(pointers) == len(large)
    keys = object_keys(localstack.endpoint, bucket)
    assert len(keys) == len(large)
    for key in keys:
        assert key.startswith("orders/2026/") and uuid.UUID(key[len("orders/2026/"):])
        # Byte for byte the Java library's PayloadS3Pointer.toJson(), marked by the size
        # attribute alone, which holds the body's UTF-8 bytes.
        assert ('["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"'
                + bucket + '","s3Key":"' + key + '"}]',
                {size_attribute: str(len(large[0].encode("utf-8")))}) in pointers

@BACKENDS
def test_a_restore_in_the_middle_loses_no_offloaded_record(localstack, tmp_path, backend):
    queue, bucket = create_queue(localstack.endpoint), create_bucket(localstack.endpoint)
    count = 400
    env = checkpointing_env(interval_ms=500, restart_attempts=1)
    numbered = Numbered(fail_after=count // 4, marker=str(tmp_path / "failed-once"),
                        per_second=400)
    (numbered_stream(env, count, numbered, parallelism=2)
     .map(lambda body: body + "|" + "p" * 3000, output_type=Types.STRING())
     .sink_to(sink_builder(queue, localstack.endpoint, backend)
              .set_large_payload_offload(bucket, threshold_bytes=2048)
              .build()))
    env.execute("offload across a restore")
    assert os.path.exists(tmp_path / "failed-once")  # the job did fail and restore
    _, read = receive_with_extended_client(localstack.endpoint, queue, bucket, count)
    bodies = set(read)
    assert bodies == {f"n-{n}|" + "p" * 3000 for n in range(count)}  # replays may repeat some
    # Every message went through S3; replayed records may have left objects no message names.
    assert len(object_keys(localstack.endpoint, bucket)) >= count


@BACKENDS
def test_a_missing_bucket_fails_the_job_naming_it(localstack, backend):
    queue = create_queue(localstack.endpoint)
    bucket = f"missing-{uuid.uuid4().hex[:12]}"
    sink = (sink_builder(queue, localstack.endpoint, backend)
            .set_large_payload_offload(bucket, threshold_bytes=100)
            .build())
    with pytest.raises(Exception) as failure:
        run_job(["x" * 200, "small"], sink, parallelism=1)
    text = str(failure.value)
    assert f"s3://{bucket}/" in text and "NoSuchBucket" in text
    assert "check that the bucket given to set_large_payload_offload exists" in text


def test_the_python_backend_with_one_call_in_flight_holds_one_body_and_sends_every_record(
        localstack):
    # max_in_flight_requests=1 bounds the bodies held for S3 to one: each record then goes in
    # a call of its own (a partial batch), or the worker would wait for a bundle end that
    # cannot come while it waits.
    queue, bucket = create_queue(localstack.endpoint), create_bucket(localstack.endpoint)
    records = [f"r-{i}-" + "b" * 500 for i in range(30)]
    sink = (sink_builder(queue, localstack.endpoint, "python")
            .set_max_in_flight_requests(1)
            .set_large_payload_offload(bucket, threshold_bytes=100)
            .build())
    run_job(records, sink, parallelism=1)
    _, read = receive_with_extended_client(localstack.endpoint, queue, bucket, len(records))
    missing, unexpected = multiset_difference(records, read)
    assert not missing and not unexpected


@BACKENDS
def test_offloaded_records_and_bytes_are_counted(localstack, backend):
    queue, bucket = create_queue(localstack.endpoint), create_bucket(localstack.endpoint)
    large = [f"large-{i}-" + "\u00e9" * 300 for i in range(3)]  # 608 bytes each
    sink = (sink_builder(queue, localstack.endpoint, backend)
            .set_large_payload_offload(bucket, threshold_bytes=500).build())
    with LiveJob(sink) as job:
        job.add_lines(large + ["small-1", "small-2"])
        job.wait_for(lambda: job.sink_metric("sqs.recordsSent") == 5, 60,
                     "the records were not sent", interval=1)
        job.checkpoint()  # the Python backend's metrics reach Flink at bundle ends
        job.wait_for(lambda: job.sink_metric("sqs.offloadedRecords") == 3, 30,
                     "offloadedRecords did not reach 3")
        assert job.sink_metric("sqs.offloadedBytes") == sum(len(b.encode()) for b in large)


@BACKENDS
def test_a_fifo_group_keeps_its_order_across_offloaded_and_inline_messages(localstack, backend):
    # On the Java backend offloaded entries wait for their PUT in an input-ordered queue; a small
    # message behind a large one of its group must not overtake it.
    queue = create_queue(localstack.endpoint, FifoQueue="true")
    bucket = create_bucket(localstack.endpoint)
    records = [f"{i:03d}-" + ("L" * 2000 if i % 3 == 0 else "s") for i in range(60)]
    sink = (sink_builder(queue, localstack.endpoint, backend)
            .set_message_group_id("one-group")
            .set_large_payload_offload(bucket, threshold_bytes=1000).build())
    run_job(records, sink, parallelism=1)
    _, read = receive_with_extended_client(localstack.endpoint, queue, bucket, len(records),
                                           look_at_stored=False)
    assert read == records
