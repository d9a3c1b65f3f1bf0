"""How elements become messages (pyflink_sqs.message, shared by both backends) and the Python
FIFO batcher's group rules. (The builder's checks of FIFO queues and message options need the
JVM: tests/jvm/test_message_options.py.)"""
import base64
import json
from decimal import Decimal

import pytest

from pyflink_sqs import Attribute, MessageError, SqsMessage
from pyflink_sqs.deduplication import RecordDeduplication, content_deduplication_id
from pyflink_sqs.envelope import to_envelope
from pyflink_sqs.message import MessageFactory
from pyflink_sqs.python_backend.entries import Entry
from pyflink_sqs.python_backend.fifo_batcher import FifoBatcher


def with_message(fifo=False, **fields):
    return MessageFactory(fifo, message_builder=lambda body: SqsMessage(body, **fields))


def test_plain_values_get_their_sqs_types_and_explicit_types_are_kept():
    message = with_message(attributes={
        "s": "text", "i": 42, "f": 0.5, "d": Decimal("1.10"), "b": b"\x00",
        "t": Attribute("Number.int", "7"), "p": Attribute("Binary.png", b"\x89")})("x", 1)
    assert message.attributes == {
        "s": ("String", "text"), "i": ("Number", "42"), "f": ("Number", "0.5"),
        "d": ("Number", "1.10"), "b": ("Binary", b"\x00"), "t": ("Number.int", "7"),
        "p": ("Binary.png", b"\x89")}


@pytest.mark.parametrize("attributes, problem", [
    ({f"a{i}": "v" for i in range(11)}, "11 message attributes, SQS allows at most 10"),
    ({"AWS.x": "v"}, "must not start with 'AWS.' or 'Amazon.'"),
    ({"amazon.x": "v"}, "must not start with 'AWS.' or 'Amazon.'"),
    ({"a b": "v"}, "may contain only letters, digits"),
    ({".a": "v"}, "must not start or end with '.'"),
    ({"a..b": "v"}, "nor contain '..'"),
    ({"x" * 257: "v"}, "is 257 characters long, over 256"),
    ({"e": ""}, "a String value must be a non-empty str"),
    ({"b": b""}, "a Binary value must be non-empty bytes"),
    ({"n": float("inf")}, "is not a number SQS accepts"),
    ({"n": Attribute("Number", "1" * 39)}, "is not a number SQS accepts"),
    ({"t": True}, "a bool has no SQS type"),
    ({"t": [1]}, "a list has no SQS type"),
    ({"t": Attribute("Text", "v")}, "must be String, Number or Binary"),
    ({"c": "bad \x00 char"}, "contains U+0000"),
])
def test_attributes_sqs_refuses_raise_naming_the_record_and_rule(attributes, problem):
    with pytest.raises(MessageError, match="record 3: .*" + _escaped(problem)):
        with_message(attributes=attributes)("x", 3)


def _escaped(text):
    import re
    return re.escape(text)


def test_fifo_needs_a_group_id_and_refuses_a_delay():
    with pytest.raises(MessageError, match="record 1: a FIFO queue needs a message group id"):
        with_message(fifo=True)("x", 1)
    with pytest.raises(MessageError, match="delay_seconds is not allowed on a FIFO queue"):
        with_message(fifo=True, group_id="g", delay_seconds=5)("x", 1)


@pytest.mark.parametrize("delay", [-1, 901, 1.5, True])
def test_delay_must_be_an_integer_up_to_900(delay):
    with pytest.raises(MessageError, match="delay_seconds must be an integer in 0..900"):
        with_message(delay_seconds=delay)("x", 1)


def test_a_deduplication_id_is_for_fifo_queues_only_and_ids_have_a_charset():
    with pytest.raises(MessageError, match="deduplication_id is for FIFO queues only"):
        with_message(deduplication_id="d")("x", 1)
    with pytest.raises(MessageError, match="group_id must be 1..128 characters"):
        with_message(fifo=True, group_id="with space")("x", 1)
    with pytest.raises(MessageError, match="group_id must be 1..128 characters"):
        with_message(fifo=True, group_id="g" * 129)("x", 1)


def test_content_deduplication_ids_are_the_same_for_the_same_content_only():
    first = content_deduplication_id("g", b"body", {"a": ("String", "1")})
    assert first == content_deduplication_id("g", b"body", {"a": ("String", "1")})
    assert len(first) == 64
    assert content_deduplication_id("h", b"body", {"a": ("String", "1")}) != first
    assert content_deduplication_id("g", b"body", {"a": ("String", "2")}) != first
    # Length-prefixed parts: moving bytes between group and body changes the id.
    assert content_deduplication_id("ab", b"c", {}) != content_deduplication_id("a", b"bc", {})


def test_per_record_ids_differ_for_identical_messages_subtasks_and_attempts():
    first = RecordDeduplication("n", "attempt-0", 0)
    ids = [first.id_for("g", b"same", {}) for _ in range(3)]
    assert len(set(ids)) == 3
    assert RecordDeduplication("n", "attempt-0", 0).id_for("g", b"same", {}) == ids[0]
    assert RecordDeduplication("n", "attempt-0", 1).id_for("g", b"same", {}) != ids[0]
    assert RecordDeduplication("n", "attempt-1", 0).id_for("g", b"same", {}) != ids[0]


def test_a_message_keeps_the_deduplication_id_it_was_given_and_gets_none_otherwise():
    assert with_message(fifo=True, group_id="g", deduplication_id="mine")(
        "body", 1).deduplication_id == "mine"
    # The sink gives one where it sends (Java writer, Python converter), per mode.
    assert with_message(fifo=True, group_id="g")("body", 1).deduplication_id is None


def test_group_id_from_a_field_of_json_text_a_dict_or_an_object():
    factory = MessageFactory(True, group_id_field="customer")
    assert factory('{"customer": "c-1", "n": 1}', 1).group_id == "c-1"
    assert factory(b'{"customer": 7}', 1).group_id == "7"
    with pytest.raises(MessageError, match="record 4: no message group id: .*no field 'customer'"):
        factory('{"other": 1}', 4)
    with pytest.raises(MessageError, match="record 5: .*not a JSON object"):
        factory("plain text", 5)


def test_bytes_bodies_are_text_or_base64_when_turned_on():
    assert MessageFactory(False)(b"caf\xc3\xa9", 1).body == "café"
    not_text = MessageFactory(False)(b"\xff\x00", 1)
    assert not_text.body is None and not_text.raw == b"\xff\x00"
    encoded = MessageFactory(False, base64_bodies=True)(b"\xff\x00", 1)
    assert encoded.body == base64.b64encode(b"\xff\x00").decode()


def test_the_envelope_carries_everything_the_java_converter_reads():
    message = MessageFactory(True, message_builder=lambda e: SqsMessage(
        e, group_id="g", attributes={"b": b"\x01", "s": "v"}))("héllo", 1)
    envelope = json.loads(to_envelope(message))
    assert envelope == {"b": "héllo", "g": "g",
                        "a": [["b", "Binary", "AQ==", True], ["s", "String", "v", False]]}
    assert json.loads(to_envelope(MessageFactory(False)(b"\xff", 1))) == {"r": "/w=="}


def grouped(*groups):
    return [Entry.of(f"{g}{i}", 2, i, group_id=g) for i, g in enumerate(groups)]


def test_the_fifo_batcher_takes_one_message_per_free_group_in_order():
    batcher = FifoBatcher(max_batch_size=10, max_batch_size_in_bytes=1_000)
    for entry in grouped("a", "a", "b", "a", "b", "c"):
        batcher.add(entry)
    first = batcher.next_batch()
    assert [e.body for e in first] == ["a0", "b2", "c5"]
    assert batcher.next_batch() == []          # a and b are busy, c is empty
    batcher.release(first)
    assert [e.body for e in batcher.next_batch()] == ["a1", "b4"]


def test_the_fifo_batcher_sends_what_free_groups_offer_once_a_batch_count_is_buffered():
    batcher = FifoBatcher(max_batch_size=3, max_batch_size_in_bytes=1_000)
    for entry in grouped("a", "a"):
        batcher.add(entry)
    assert not batcher.has_full_batch()
    batcher.add(grouped("a")[0])
    assert batcher.has_full_batch()            # one group only: a batch of one, not a stall
    assert [len(b) for b in batcher.full_batches()] == [1]
    assert batcher.full_batches() == []        # a is busy until its call returns


def test_the_fifo_batcher_respects_the_byte_limit_and_batches_dead_letters_apart():
    batcher = FifoBatcher(max_batch_size=10, max_batch_size_in_bytes=5)
    for entry in grouped("a", "b", "c", "d"):
        batcher.add(entry)
    batcher.add(Entry.of("dead", 4, 9, dead_letter=True))
    assert [e.body for e in batcher.next_batch()] == ["dead"]
    assert [e.body for e in batcher.next_batch()] == ["a0", "b1"]
    assert [[e.body for e in b] for b in batcher.all_batches()] == [["c2", "d3"]]


@pytest.mark.parametrize("url, problem", [
    ("not a url", "queue_url 'not a url' is not an http(s) URL"),
    ("https://sqs.eu-west-1.amazonaws.com/123456789012/q",
     "is in region eu-west-1, and the sink sends to us-east-1"),
    ("https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo",
     "is a FIFO queue and the sink's is a standard one"),
])
def test_a_message_queue_the_sink_cannot_reach_is_an_error_naming_the_record(url, problem):
    factory = MessageFactory(False, lambda e: SqsMessage(body=e, queue_url=url),
                             region="us-east-1")
    with pytest.raises(MessageError) as error:
        factory("x", 3)
    assert str(error.value).startswith("record 3: ") and problem in str(error.value)


def test_a_message_queue_of_the_sinks_region_and_kind_is_sent_in_the_envelope():
    url = "https://sqs.us-east-1.amazonaws.com/123456789012/other"
    factory = MessageFactory(False, lambda e: SqsMessage(body=e, queue_url=url),
                             region="us-east-1")
    message = factory("x", 1)
    assert message.queue_url == url
    assert json.loads(to_envelope(message))["q"] == url


def test_a_message_naming_the_sinks_own_queue_is_in_the_same_group_as_one_naming_none():
    sink = "https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo"
    urls = iter([sink, None, f"  {sink} "])
    factory = MessageFactory(True, lambda e: SqsMessage(body=e, group_id="g",
                                                        queue_url=next(urls)),
                             region="us-east-1", queue_url=sink)
    messages = [factory(body, i) for i, body in enumerate(["m0", "m1", "m2"])]
    assert [m.queue_url for m in messages] == [None, None, None]
    # So FIFO order holds across them: one group, one message out at a time.
    batcher = FifoBatcher(max_batch_size=10, max_batch_size_in_bytes=1_000)
    for i, m in enumerate(messages):
        batcher.add(Entry.of(m.body, len(m.raw), i, group_id=m.group_id,
                             queue_url=m.queue_url))
    assert [[e.body for e in b] for b in batcher.all_batches()] == [["m0"]]


def test_an_envelope_with_a_lone_surrogate_is_utf8_and_keeps_it_for_the_java_rules():
    # PyFlink's coder encodes the envelope str as strict UTF-8 on its way to the JVM; a lone
    # surrogate in a str body (found by tests/integration/test_fuzzing.py) made that fail the
    # job instead of the rejected-record policy applying. (In an attribute it is a MessageError.)
    message = MessageFactory(False, lambda e: SqsMessage(
        "a\udb42b", attributes={"k": "v€"}))(None, 1)
    envelope = to_envelope(message)
    envelope.encode("utf-8")
    decoded = json.loads(envelope)
    assert decoded["b"] == "a\udb42b" and decoded["a"][0][2] == "v€"
    # Without one, non-ASCII text stays as it is (no escapes: smaller, as before).
    assert to_envelope(MessageFactory(False, lambda e: SqsMessage("€"))(None, 1)) == '{"b":"€"}'


def test_a_surrogate_pair_held_as_two_code_points_is_the_character_sqs_stores():
    # JSON (botocore's, the envelope's) joins "\ud83d\ude00" into U+1F600, which SQS stores and
    # accepts (found by tests/integration/test_fuzzing.py: the sink refused it, LocalStack
    # stored it); the sink checks, sizes and digests that character. Lone ones stay refused.
    message = MessageFactory(False, lambda e: SqsMessage(
        "a\ud83d\ude00", attributes={"k": "\ud83d\ude00"}))(None, 1)
    assert message.body == "a\U0001F600" and message.raw == "a\U0001F600".encode("utf-8")
    assert message.attributes == {"k": ("String", "\U0001F600")}
    assert json.loads(to_envelope(message))["b"] == "a\U0001F600"
    assert MessageFactory(False)("\ude00\ud83d", 1).body == "\ude00\ud83d"  # wrong order: lone
    with pytest.raises(MessageError, match="U\\+D83D"):
        MessageFactory(False, lambda e: SqsMessage("b", attributes={"k": "\ud83dx"}))(None, 1)


@pytest.mark.parametrize("body", ["plain", "", "é✓😀", "\ud83d\ude00 joined", "lone \ud800",
                                  "nul \x00", "x" * 300])
def test_a_plain_str_element_becomes_the_message_a_builder_returning_it_makes(body):
    # Plain str elements take a short way through MessageFactory (no SqsMessage built).
    plain = MessageFactory(False)
    through_builder = MessageFactory(False, message_builder=lambda element: element)
    assert plain(body, 7) == through_builder(body, 7)
