"""Messages beyond a body, against LocalStack, on both backends: FIFO order per group through
injected faults, no duplicates after a crash and restore on a FIFO queue, attributes of every
type, per-message delay, base64 bodies, and the clear errors for messages SQS never accepts."""
import json
import time
from collections import defaultdict

import pytest
from pyflink.common import Types
from pyflink.datastream import StreamExecutionEnvironment

from pyflink_sqs import Attribute, SqsMessage
from tests.support.fault_proxy import FaultInjectingProxy, FaultRates
from tests.support.flink import (Numbered, checkpointing_env, numbered_stream, run_job,
                                 sink_builder)
from tests.support.queues import create_queue, drain, sqs_client
from tests.support.sqs_proxy import SqsProxy
from tests.support.waiting import wait_until

BACKENDS = ["java", "python"]
GROUPS = 20
PER_GROUP = 1_000


def read_in_order(endpoint: str, queue_url: str, expected: int, timeout: float = 180):
    """One consumer that receives, then deletes, as a FIFO consumer must to see a group's next
    messages: the bodies in the order SQS hands them out."""
    client = sqs_client(endpoint)
    bodies, deadline, idle_since = [], time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        messages = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                          VisibilityTimeout=60).get("Messages", [])
        if not messages:
            if len(bodies) >= expected:
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > 1.0:
                    break
            time.sleep(0.05)
            continue
        idle_since = None
        bodies += [m["Body"] for m in messages]
        client.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
    return bodies


def keyed_by_group(ds):
    """Flink keeps order per key between operators; key by group so each group has one sink
    subtask (what a job that needs order per group does): the sink takes the keyed stream."""
    return ds.key_by(lambda body: json.loads(body)["group"], key_type=Types.STRING())


@pytest.mark.smoke
@pytest.mark.parametrize("backend", BACKENDS)
def test_fifo_keeps_every_group_in_order_through_throttling_and_partial_failures(
        localstack, backend):
    queue = create_queue(localstack.endpoint, "fifo", FifoQueue="true")
    records = [json.dumps({"group": f"g{g:02d}", "seq": seq})
               for seq in range(PER_GROUP) for g in range(GROUPS)]
    rates = FaultRates(reset=0.02, server_error=0.03, throttle=0.08, partial=0.15)
    with FaultInjectingProxy(localstack.endpoint, rates) as proxy:
        env = StreamExecutionEnvironment.get_execution_environment()
        env.set_parallelism(2)
        ds = keyed_by_group(env.from_collection(records, type_info=Types.STRING()))
        ds.sink_to(sink_builder(queue, proxy.endpoint, backend)
                   .set_message_group_id_field("group")
                   .set_max_time_in_buffer_ms(100)
                   .build())
        env.execute("fifo order")
        injected = dict(proxy.injected)

    received = [json.loads(b) for b in read_in_order(localstack.endpoint, queue, len(records))]

    assert injected.get("throttle") and injected.get("partial") and injected.get("reset")
    sequences = defaultdict(list)
    for message in received:
        sequences[message["group"]].append(message["seq"])
    backwards = {g: s for g, s in sequences.items() if any(a >= b for a, b in zip(s, s[1:]))}
    assert not backwards, f"order broken in groups {sorted(backwards)}"
    assert {g: len(s) for g, s in sequences.items()} == \
        {f"g{g:02d}": PER_GROUP for g in range(GROUPS)}, f"faults injected: {injected}"


class GroupedNumbers:
    """Message function for the replay test: ten groups, ids computed by the sink."""

    def __call__(self, body):
        return SqsMessage(body, group_id=f"g{int(body[2:]) % 10}")


@pytest.mark.parametrize("backend", BACKENDS)
def test_records_replayed_after_a_crash_are_not_delivered_twice_to_a_fifo_queue(
        localstack, backend, tmp_path):
    count = 3_000
    queue = create_queue(localstack.endpoint, "fifo", FifoQueue="true",
                         ContentBasedDeduplication="false")
    replayed = 400
    trigger = tmp_path / "crash-now"
    with SqsProxy(localstack.endpoint) as proxy:
        # The crash comes before the first checkpoint (an hour: with 60 s, one run on a busy
        # machine re-sent only 100 of 400, most likely after a checkpoint) and once SQS has
        # accepted
        # `replayed` entries, so the restarted job sends at least those again, whatever the
        # timing. Small Python bundles and a short buffer time make the first attempt send
        # promptly.
        env = checkpointing_env(3_600_000, restart_attempts=3, settings={
            "python.fn-execution.bundle.size": 10, "python.fn-execution.bundle.time": 20})
        numbered = Numbered(marker=str(tmp_path / "crashed"), per_second=300,
                            fail_when=str(trigger))
        # Content ids are what makes any replay a copy SQS drops (per-record ids follow the
        # checkpoints only where the Java writer sees them; see deduplication.py).
        numbered_stream(env, count, numbered, parallelism=1).sink_to(
            sink_builder(queue, proxy.endpoint, backend)
            .set_message_builder(GroupedNumbers())
            .set_fifo_deduplication("content")
            .set_max_time_in_buffer_ms(50)
            .build())
        job = env.execute_async("fifo crash and restart")
        wait_until(lambda: sum(len(r.entries) for r in proxy.sent_batches()) >= replayed,
                   timeout=120, what=f"{replayed} entries sent before the crash")
        trigger.touch()
        job.get_job_execution_result().result()
        accepted = sum(len(r.entries) for r in proxy.sent_batches())

    received = drain(localstack.endpoint, queue, expected=count)

    assert (tmp_path / "crashed").exists()
    # The restarted job sent again what the first attempt had sent (less what PyFlink's
    # restarted Python stage never passed on: the first one or two 10-record bundles of the
    # new attempt did not reach the sink in every run here, see the README's known issues) ...
    assert accepted > count + replayed // 2
    # ... and SQS dropped all of it as duplicates, by the ids the sink computed.
    assert len(received) == len(set(received)) == count
    assert set(received) == {f"n-{i}" for i in range(count)}


IDENTICAL = ["same"] * 5 + ["other"] * 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_identical_messages_of_a_group_all_arrive_with_per_record_ids(localstack, backend):
    queue = create_queue(localstack.endpoint, "fifo", FifoQueue="true",
                         ContentBasedDeduplication="false")
    run_job(IDENTICAL, sink_builder(queue, localstack.endpoint, backend)
            .set_message_group_id("g").build(), parallelism=1)
    assert sorted(drain(localstack.endpoint, queue, len(IDENTICAL))) == sorted(IDENTICAL)


@pytest.mark.parametrize("backend", BACKENDS)
def test_content_deduplication_sends_identical_messages_of_a_group_once(localstack, backend):
    queue = create_queue(localstack.endpoint, "fifo", FifoQueue="true",
                         ContentBasedDeduplication="false")
    run_job(IDENTICAL, sink_builder(queue, localstack.endpoint, backend)
            .set_message_group_id("g").set_fifo_deduplication("content").build(),
            parallelism=1)
    assert sorted(drain(localstack.endpoint, queue, 2)) == ["other", "same"]


def attribute_message(body):
    return SqsMessage(body, attributes={
        "text": "héllo ✓",
        "count": 42,
        "ratio": 0.25,
        "blob": b"\x00\xff\x10",
        "custom-number": Attribute("Number.int", "7"),
        "custom.binary": Attribute("Binary.png", b"\x89PNG"),
        "custom_string": Attribute("String.json", '{"a": 1}'),
    })


@pytest.mark.parametrize("backend", BACKENDS)
def test_attributes_of_every_type_round_trip(localstack, backend):
    queue = create_queue(localstack.endpoint, "attrs")
    run_job(["one", "two"], sink_builder(queue, localstack.endpoint, backend)
            .set_message_builder(attribute_message).build(), parallelism=1)

    messages = sqs_client(localstack.endpoint).receive_message(
        QueueUrl=queue, MaxNumberOfMessages=10, MessageAttributeNames=["All"])["Messages"]

    assert sorted(m["Body"] for m in messages) == ["one", "two"]
    assert messages[0]["MessageAttributes"] == {
        "text": {"DataType": "String", "StringValue": "héllo ✓"},
        "count": {"DataType": "Number", "StringValue": "42"},
        "ratio": {"DataType": "Number", "StringValue": "0.25"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\xff\x10"},
        "custom-number": {"DataType": "Number.int", "StringValue": "7"},
        "custom.binary": {"DataType": "Binary.png", "BinaryValue": b"\x89PNG"},
        "custom_string": {"DataType": "String.json", "StringValue": '{"a": 1}'},
    }


def order_message(row):
    return SqsMessage(json.dumps({"id": row.id, "item": row.item}), attributes={"id": row.id})


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_message_function_takes_elements_of_any_type(localstack, backend):
    from pyflink.common import Row

    queue = create_queue(localstack.endpoint, "rows")
    rows = [Row(id=i, item=f"item-{i}") for i in range(3)]
    run_job(rows, sink_builder(queue, localstack.endpoint, backend)
            .set_message_builder(order_message).build(), parallelism=1,
            type_info=Types.ROW_NAMED(["id", "item"], [Types.INT(), Types.STRING()]))

    received = drain(localstack.endpoint, queue, expected=3)

    assert sorted(json.loads(b)["item"] for b in received) == ["item-0", "item-1", "item-2"]


DELAY = 900  # SQS's longest


def delayed_message(body):
    return SqsMessage(body, delay_seconds=DELAY if body == "later" else None)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_delayed_message_is_held_by_sqs_for_its_delay(localstack, backend):
    queue = create_queue(localstack.endpoint, "delay")
    with SqsProxy(localstack.endpoint) as proxy:
        run_job(["now", "later"], sink_builder(queue, proxy.endpoint, backend)
                .set_message_builder(delayed_message).build(), parallelism=1)
    sent = {e["MessageBody"]: e for b in proxy.sent_batches() for e in b.entries}
    assert sent["later"]["DelaySeconds"] == DELAY and "DelaySeconds" not in sent["now"]
    client = sqs_client(localstack.endpoint)
    attributes = client.get_queue_attributes(QueueUrl=queue, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed"])["Attributes"]
    # SQS holds "later" (delay 900 s, far beyond this test) and shows "now" at once.
    assert attributes["ApproximateNumberOfMessagesDelayed"] == "1"
    assert [m["Body"] for m in client.receive_message(
        QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])] == ["now"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_bytes_that_are_not_text_go_as_base64_when_turned_on(localstack, backend):
    queue = create_queue(localstack.endpoint, "b64")
    payloads = [b"\xff\x00binary", "plain text".encode()]
    run_job(payloads, sink_builder(queue, localstack.endpoint, backend)
            .set_base64_binary_bodies(True).build(), parallelism=1, typed=False)

    received = drain(localstack.endpoint, queue, expected=2)

    assert sorted(received) == sorted(["/wBiaW5hcnk=", "plain text"])


def eleven_attributes(body):
    return SqsMessage(body, attributes={f"a{i}": "v" for i in range(11)})


def reserved_attribute_name(body):
    return SqsMessage(body, attributes={"AWS.trace": "v"})


def large_attribute(body):
    # 10 body bytes + 7 (name) + 6 (type) + 300 (value) = 323 bytes as SQS counts them.
    return SqsMessage(body, attributes={"payload": "x" * 300})


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("message, expected", [
    (eleven_attributes, "record 1: 11 message attributes, SQS allows at most 10"),
    (reserved_attribute_name,
     "record 1: attribute name 'AWS.trace' must not start with 'AWS.' or 'Amazon.'"),
    (large_attribute, "it is 323 bytes, over max_record_size_in_bytes=256"),
], ids=["11-attributes", "reserved-name", "size-counts-attributes"])
def test_messages_sqs_would_refuse_fail_the_job_naming_the_record_and_rule(
        localstack, backend, message, expected):
    queue = create_queue(localstack.endpoint, "bad")
    sink = (sink_builder(queue, localstack.endpoint, backend).set_message_builder(message)
            .set_max_record_size_in_bytes(256).build())

    with pytest.raises(Exception) as failure:
        run_job(["body-17-by"], sink, parallelism=1)

    assert expected in str(failure.value) or expected in _causes(failure.value)


def _causes(error) -> str:
    """The Java exception chain's messages (a Py4J error prints only the top)."""
    text = []
    java = getattr(error, "java_exception", None)
    while java is not None:
        text.append(str(java.getMessage()))
        java = java.getCause()
    return "\n".join(text)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_message_may_name_its_own_queue_and_batches_never_mix_queues(localstack, backend):
    main, other = create_queue(localstack.endpoint), create_queue(localstack.endpoint)

    def routed(record: str) -> SqsMessage:
        return SqsMessage(body=record, queue_url=other if int(record[2:]) % 3 == 0 else None)

    records = [f"r-{n}" for n in range(300)]
    with SqsProxy(localstack.endpoint) as proxy:
        run_job(records, sink_builder(main, proxy.endpoint, backend)
                .set_message_builder(routed).build())
    assert sorted(drain(localstack.endpoint, other, 100)) == sorted(
        r for r in records if int(r[2:]) % 3 == 0)
    assert sorted(drain(localstack.endpoint, main, 200)) == sorted(
        r for r in records if int(r[2:]) % 3)
    for call in proxy.sent_batches():
        bodies = [int(e["MessageBody"][2:]) for e in call.entries]
        assert len({n % 3 == 0 for n in bodies}) == 1, bodies  # one queue per call


@pytest.mark.parametrize("backend", BACKENDS)
def test_fifo_order_is_kept_per_group_of_each_queue_a_message_names(localstack, backend):
    queues = [create_queue(localstack.endpoint, "route", FifoQueue="true",
                           ContentBasedDeduplication="false") for _ in range(2)]

    def routed(record: str) -> SqsMessage:
        n = int(record)
        return SqsMessage(body=record, group_id=f"g{n % 4}", queue_url=queues[n % 2])

    records = [str(n) for n in range(400)]
    run_job(records, sink_builder(queues[0], localstack.endpoint, backend)
            .set_message_builder(routed).build(), parallelism=1)
    for index, queue in enumerate(queues):
        received = read_in_order(localstack.endpoint, queue, 200)
        assert sorted(map(int, received)) == [n for n in range(400) if n % 2 == index]
        for group in range(4):
            ours = [int(r) for r in received if int(r) % 4 == group]
            assert ours == sorted(ours), (queue, group)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_message_for_a_queue_that_does_not_exist_fails_the_job_naming_it(localstack,
                                                                           backend):
    main = create_queue(localstack.endpoint)
    missing = localstack.endpoint + "/queue/us-east-1/000000000000/no-such-route"
    sink = (sink_builder(main, localstack.endpoint, backend)
            .set_message_builder(lambda r: SqsMessage(body=r, queue_url=missing)).build())
    with pytest.raises(Exception) as error:
        run_job(["a", "b"], sink, parallelism=1)
    text = str(error.value)
    assert f"SqsSink cannot send to {missing}" in text, text[-2000:]
    assert "QueueDoesNotExist" in text or "NonExistentQueue" in text
