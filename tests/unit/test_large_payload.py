"""Large-payload offload's pure parts: its argument rules, which messages go to S3 and what
they then weigh, and the put before the send (with a scripted S3 client: LocalStack cannot be
made to answer 500 or SlowDown; tests/integration/test_large_payloads.py sends for real)."""
import asyncio
import socket
import threading

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, SSLError

from pyflink_sqs.large_payload import MAX_KEY_PREFIX_CHARS, LargePayloadOffload, s3_endpoint_of
from pyflink_sqs.message import MessageFactory, SqsMessage
from pyflink_sqs.message_rules import TOO_LARGE, TOO_MANY_ATTRIBUTES, MessageError
from pyflink_sqs.python_backend.converter import Converter
from pyflink_sqs.python_backend.entries import Entry
from pyflink_sqs.python_backend.s3_payloads import PayloadStore
from pyflink_sqs.python_backend.sender import SinkFailure

BUCKET = "payloads"


@pytest.mark.parametrize("arguments, named", [
    ({"s3_bucket": "ab"}, "s3_bucket"),
    ({"s3_bucket": "Payloads"}, "s3_bucket"),
    ({"s3_bucket": "my_bucket"}, "s3_bucket"),
    ({"s3_bucket": "a..b"}, "s3_bucket"),
    ({"s3_bucket": "-ab"}, "s3_bucket"),
    ({"threshold_bytes": -1}, "threshold_bytes"),
    ({"threshold_bytes": 1024 * 1024 + 1}, "threshold_bytes"),
    ({"threshold_bytes": True}, "threshold_bytes"),
    ({"key_prefix": "/orders"}, "key_prefix"),
    ({"key_prefix": ".orders"}, "key_prefix"),
    ({"key_prefix": "a/../b"}, "key_prefix"),
    ({"key_prefix": "a b"}, "key_prefix"),
    ({"key_prefix": "x" * (MAX_KEY_PREFIX_CHARS + 1)}, "key_prefix"),
    ({"legacy_size_attribute": "yes"}, "legacy_size_attribute"),
    ({"s3_endpoint": "localhost:4566"}, "s3_endpoint"),
])
def test_bad_arguments_are_refused_naming_the_argument(arguments, named):
    with pytest.raises(ValueError, match=f"set_large_payload_offload: {named}"):
        LargePayloadOffload(**{"s3_bucket": BUCKET, **arguments})


def test_the_bounds_themselves_are_accepted():
    LargePayloadOffload("a.b-c", threshold_bytes=0, key_prefix="x" * MAX_KEY_PREFIX_CHARS)
    LargePayloadOffload("a" * 63, threshold_bytes=1024 * 1024, key_prefix="a/b_c-d.e/")


def converter(offload, builder=None, max_message_bytes=256 * 1024):
    messages = MessageFactory(False, builder)
    return Converter(8 * 1024 * 1024, messages, offload=offload,
                     max_message_bytes=max_message_bytes)


def with_attributes(count, value="v"):
    return lambda body: SqsMessage(body, attributes={f"a{i}": value for i in range(count)})


def test_a_message_at_the_threshold_stays_inline_and_one_byte_more_goes_to_s3():
    # 82 body bytes and 2 attributes of 2 + 6 + 1 bytes each ("a0", "String", "v": name,
    # type and value) make 100.
    offload = LargePayloadOffload(BUCKET, threshold_bytes=100, key_prefix="in/")
    at, over = converter(offload, with_attributes(2)).convert("é" * 41), \
        converter(offload, with_attributes(2)).convert("é" * 41 + "x")
    assert at.rejection is None and at.entry.s3_key is None and at.entry.size == 100
    assert over.rejection is None and over.entry.s3_key.startswith("in/")
    # What the message weighs once its body is a pointer and it carries the size attribute.
    pointer = offload.pointer(over.entry.s3_key)
    assert over.entry.size == len(pointer) + 2 * 9 + len("ExtendedPayloadSize" "Number" "83")
    assert over.entry.body == "é" * 41 + "x"  # the body itself goes to S3 when it is sent


def test_an_offloaded_message_keeps_room_for_the_size_attribute():
    offload = LargePayloadOffload(BUCKET, threshold_bytes=10)
    assert converter(offload, with_attributes(9)).convert("x" * 20).rejection is None
    rejected = converter(offload, with_attributes(10)).convert("x" * 20).rejection
    assert rejected.reason == TOO_MANY_ATTRIBUTES
    assert "at most 9" in rejected.detail and "ExtendedPayloadSize" in rejected.detail
    # A message at most the threshold may still have 10: it stays inline.
    inline = LargePayloadOffload(BUCKET, threshold_bytes=100)
    assert converter(inline, with_attributes(10)).convert("x").rejection is None


def test_attributes_too_large_for_sqs_even_offloaded_are_a_rejection():
    offload = LargePayloadOffload(BUCKET, threshold_bytes=10)
    rejected = converter(offload, with_attributes(1, "v" * 2000),
                         max_message_bytes=1000).convert("x").rejection
    assert rejected.reason == TOO_LARGE and "max_batch_size_in_bytes=1000" in rejected.detail


@pytest.mark.parametrize("name", ["ExtendedPayloadSize", "SQSLargePayloadSize"])
def test_the_extended_clients_attribute_names_are_refused_while_offload_is_on(name):
    builder = lambda body: SqsMessage(body, attributes={name: "1"})  # noqa: E731
    with pytest.raises(MessageError, match=f"record 1: attribute name '{name}'"):
        converter(LargePayloadOffload(BUCKET), builder).convert("small")
    assert converter(None, builder).convert("small").rejection is None


class ScriptedS3:
    """Answers the n-th put with answers[n] (an exception to raise, or None); records puts."""

    def __init__(self, *answers):
        self.answers, self.puts = list(answers), []

    def put_object(self, Bucket, Key, Body):  # noqa: N803 -- boto3's names
        self.puts.append((Bucket, Key, Body))
        answer = self.answers[len(self.puts) - 1] if len(self.puts) <= len(self.answers) else None
        if answer is not None:
            raise answer


def s3_error(status, code):
    return ClientError({"Error": {"Code": code, "Message": "scripted"},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, "PutObject")


def unresolvable() -> EndpointConnectionError:
    """As botocore raises it for a host DNS does not know."""
    try:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except socket.gaierror:
            raise EndpointConnectionError(endpoint_url="https://s3.nowhere.example")
    except EndpointConnectionError as error:
        return error


def offloaded_entry(offload, body="é" * 30):
    converted = converter(offload).convert(body)
    assert converted.entry.s3_key is not None
    return converted.entry


def store(client, offload, fail_on_error=False, warnings=None):
    warnings = warnings if warnings is not None else []
    return PayloadStore(client, offload, fail_on_error, lambda: 0.0,
                        lambda key, text: warnings.append(text), puts_at_once=10)


class HeldS3:
    """put_object waits until `expected` PUTs are under way at once (or fails after 30 s)."""

    def __init__(self, expected):
        self.expected, self.running, self.peak = expected, 0, 0
        self.lock = threading.Condition()

    def put_object(self, Bucket, Key, Body):  # noqa: N803 -- boto3's names
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
            self.lock.notify_all()
            if not self.lock.wait_for(lambda: self.peak >= self.expected, timeout=30):
                raise AssertionError(f"only {self.peak} PUTs ran at once")


def test_the_puts_of_a_batch_run_at_once():
    # One after another, a batch of 10 bodies of 1 MiB took 10 S3 round trips.
    offload = LargePayloadOffload(BUCKET, threshold_bytes=10)
    entries = [offloaded_entry(offload) for _ in range(10)]
    client = HeldS3(expected=10)
    assert asyncio.run(store(client, offload).store(entries)) == (10, 600)
    assert client.peak == 10 and all(entry.s3_key is None for entry in entries)


def test_a_put_body_becomes_the_pointer_and_is_not_put_again_by_a_retried_call():
    offload = LargePayloadOffload(BUCKET, threshold_bytes=10, legacy_size_attribute=True)
    entry, inline = offloaded_entry(offload), Entry.of("small", 5, 2)
    key, client = entry.s3_key, ScriptedS3()
    payloads = store(client, offload)
    assert asyncio.run(payloads.store([entry, inline])) == (1, 60)
    assert client.puts == [(BUCKET, key, ("é" * 30).encode("utf-8"))]
    assert entry.body == offload.pointer(key) and entry.s3_key is None
    assert entry.attributes == {"SQSLargePayloadSize": ("Number", "60")}
    assert inline.body == "small"
    assert asyncio.run(payloads.store([entry, inline])) == (0, 0) and len(client.puts) == 1


@pytest.mark.parametrize("error", [s3_error(500, "InternalError"), s3_error(503, "SlowDown"),
                                   ConnectionResetError("reset by peer")])
def test_a_transient_s3_error_is_retried(error):
    offload, warnings = LargePayloadOffload(BUCKET, threshold_bytes=10), []
    entry, client = offloaded_entry(offload), ScriptedS3(error)
    assert asyncio.run(store(client, offload, warnings=warnings).store([entry])) == (1, 60)
    assert len(client.puts) == 2 and "retrying after a backoff" in warnings[0]
    with pytest.raises(SinkFailure, match="fail_on_error is set"):
        asyncio.run(store(ScriptedS3(error), offload, fail_on_error=True).store(
            [offloaded_entry(offload)]))


@pytest.mark.parametrize("error, hint", [
    (s3_error(404, "NoSuchBucket"), "exists, in this region"),
    (s3_error(403, "AccessDenied"), "s3:PutObject"),
    (s3_error(400, "SomethingNew"), "check the bucket, endpoint and credentials"),
    # No answer, classified by kind as a SendMessageBatch call without one (the same table):
    # retried, a mistyped s3_endpoint would stall the job, and an untrusted certificate with it.
    (unresolvable(), "does not resolve"),
    (SSLError(endpoint_url="https://s3.example", error="CERTIFICATE_VERIFY_FAILED"),
     "TLS certificate is not trusted"),
])
def test_a_fatal_s3_error_fails_at_once_naming_bucket_key_and_record(error, hint):
    offload = LargePayloadOffload(BUCKET, threshold_bytes=10)
    entry = offloaded_entry(offload)
    key, client = entry.s3_key, ScriptedS3(error)
    with pytest.raises(SinkFailure) as failure:
        asyncio.run(store(client, offload).store([entry]))
    assert len(client.puts) == 1
    text = str(failure.value)
    assert f"s3://{BUCKET}/{key}" in text and "record 1 (60 bytes)" in text and hint in text


@pytest.mark.parametrize("s3_endpoint, aws_endpoint, resolved", [
    (None, None, None),
    (None, "http://127.0.0.1:4566", "http://127.0.0.1:4566"),  # LocalStack serves both
    ("https://s3.example.com", "http://127.0.0.1:4566", "https://s3.example.com"),
    # AWS's own SQS endpoints answer SQS only: S3 at its regional endpoint.
    (None, "https://vpce-0a1b2c3d-4e5f.sqs.eu-west-1.vpce.amazonaws.com", None),
    (None, "https://sqs-fips.us-east-1.amazonaws.com", None),
    (None, "https://sqs.cn-north-1.amazonaws.com.cn", None),
    (None, "https://amazonaws.com.example.org", "https://amazonaws.com.example.org"),
])
def test_s3_is_reached_at_aws_endpoint_only_when_that_is_not_one_of_aws(s3_endpoint,
                                                                        aws_endpoint, resolved):
    offload = LargePayloadOffload("payloads", s3_endpoint=s3_endpoint)
    assert s3_endpoint_of(offload, aws_endpoint) == resolved
