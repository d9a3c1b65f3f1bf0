"""The Python backend's pure parts: batching by count, bytes and destination; element
conversion; dead-letter copies within the size limit; the backoff's bounds."""
import base64
import logging
import subprocess
import sys

import pytest
from botocore.exceptions import (ClientError, ConnectionClosedError, ConnectTimeoutError,
                                 NoCredentialsError, ReadTimeoutError)

from pyflink_sqs.error_codes import Action
from pyflink_sqs.message_rules import INVALID_CHARACTER, NOT_UTF8, TOO_LARGE, Rejection
from pyflink_sqs.python_backend import dead_letters
from pyflink_sqs.python_backend.batcher import Batcher
from pyflink_sqs.message import MessageFactory
from pyflink_sqs.python_backend.converter import Converter
from pyflink_sqs.python_backend.entries import Entry
from pyflink_sqs.python_backend.sender import Backoff, _classify_call_error
from pyflink_sqs.python_backend.writer import default_level_in_worker


def entries(*sizes, dead_letter=False):
    return [Entry.of("x" * size, size, i, dead_letter=dead_letter)
            for i, size in enumerate(sizes)]


def test_a_batch_is_due_at_the_count_limit_and_not_before():
    batcher = Batcher(max_batch_size=3, max_batch_size_in_bytes=1_000)
    for entry in entries(1, 1):
        batcher.add(entry)
    assert batcher.full_batches() == []
    batcher.add(entries(1)[0])
    assert [len(b) for b in batcher.full_batches()] == [3]
    assert len(batcher) == 0


def test_a_change_of_destination_cuts_the_head_batch_short():
    batcher = Batcher(max_batch_size=10, max_batch_size_in_bytes=1_000)
    queues = ["a", "a", "b", "b", "a"]
    for position, queue in enumerate(queues):
        batcher.add(Entry.of("x", 1, position, queue_url=f"https://sqs/1/{queue}"))
    assert batcher.has_full_batch()
    assert [e.position for e in batcher.next_batch()] == [0, 1]
    assert batcher.has_full_batch()  # b, b then a
    assert [e.position for e in batcher.next_batch()] == [2, 3]
    assert not batcher.has_full_batch()  # a single destination, under both limits
    batcher.add(Entry.of("x", 1, 5, queue_url="https://sqs/1/a"))
    assert not batcher.has_full_batch()
    assert [[e.position for e in b] for b in batcher.all_batches()] == [[4, 5]]


def test_a_batch_never_exceeds_the_byte_limit_and_keeps_arrival_order():
    batcher = Batcher(max_batch_size=10, max_batch_size_in_bytes=100)
    for entry in entries(40, 40, 40, 30, 90, 5):
        batcher.add(entry)
    batches = batcher.full_batches() + batcher.all_batches()
    assert [[e.size for e in b] for b in batches] == [[40, 40], [40, 30], [90, 5]]
    assert [e.position for b in batches for e in b] == [0, 1, 2, 3, 4, 5]


def test_an_entry_of_exactly_the_byte_limit_goes_alone():
    batcher = Batcher(max_batch_size=10, max_batch_size_in_bytes=100)
    for entry in entries(100, 1):
        batcher.add(entry)
    assert [[e.size for e in b] for b in batcher.full_batches()] == [[100]]
    assert [[e.size for e in b] for b in batcher.all_batches()] == [[1]]


def test_dead_letter_copies_never_share_a_batch_with_records_for_the_main_queue():
    batcher = Batcher(max_batch_size=10, max_batch_size_in_bytes=1_000)
    for entry in entries(1, 1) + entries(1, dead_letter=True) + entries(1):
        batcher.add(entry)
    batches = batcher.all_batches()
    assert [[e.dead_letter for e in b] for b in batches] == [[False, False], [True], [False]]


def test_str_and_utf8_bytes_convert_to_the_same_entry():
    converter = Converter(1_000, MessageFactory(False))
    text = converter.convert("héllo")
    raw = converter.convert("héllo".encode("utf-8"))
    assert text.entry.body == raw.entry.body == "héllo"
    assert text.entry.size == raw.entry.size == 6
    assert (text.position, raw.position) == (1, 2)
    assert text.rejection is None and raw.rejection is None


def test_conversion_names_the_reason_a_record_cannot_be_sent():
    converter = Converter(10, MessageFactory(False))
    assert converter.convert(b"\xff\xfe").rejection.reason == NOT_UTF8
    assert converter.convert("a\x00b").rejection.reason == INVALID_CHARACTER
    over = converter.convert("x" * 11).rejection
    assert over.reason == TOO_LARGE and "11 bytes, over max_record_size_in_bytes=10" in \
        over.detail


def test_a_record_that_is_not_text_is_a_type_error_naming_its_type_and_the_fix():
    with pytest.raises(TypeError, match=r"got a dict \(record 1\).*output_type=Types.STRING"):
        Converter(100, MessageFactory(False)).convert({"a": 1})


def test_a_dead_letter_copy_keeps_the_body_and_carries_the_reason():
    copy = dead_letters.copy_of(b"too long", "too long", Rejection(TOO_LARGE, "it is big"), 7,
                                "https://q", 1_000)
    assert copy.dead_letter and copy.body == "too long" and copy.position == 7
    assert copy.attributes[dead_letters.REASON] == ("String", TOO_LARGE)
    assert copy.attributes[dead_letters.POSITION] == ("Number", "7")
    assert copy.size == 8 + sum(len(n) + len(t) + len(v)
                                for n, (t, v) in copy.attributes.items())


def test_a_body_sqs_refuses_is_dead_lettered_as_base64():
    copy = dead_letters.copy_of(b"a\x00b", "a\x00b", Rejection(INVALID_CHARACTER, "nul"), 1,
                                "https://q", 1_000)
    assert copy.attributes[dead_letters.BODY_ENCODING] == ("String", "base64")
    assert base64.b64decode(copy.body) == b"a\x00b"


def test_a_dead_letter_copy_is_truncated_to_fit_the_size_limit():
    body = "y" * 2_000
    copy = dead_letters.copy_of(body.encode(), body, Rejection(TOO_LARGE, "big"), 3,
                                "https://q", 1_000)
    assert copy.size <= 1_000
    assert copy.attributes[dead_letters.TRUNCATED_FROM] == ("Number", "2000")
    assert body.startswith(copy.body) and len(copy.body) > 500


def test_a_size_limit_too_small_for_the_reason_attributes_is_a_clear_error():
    with pytest.raises(dead_letters.CannotDeadLetter,
                       match=r"max_record_size_in_bytes=50 leaves no room"):
        dead_letters.copy_of(b"z" * 60, "z" * 60, Rejection(TOO_LARGE, "big"), 1,
                             "https://q", 50)


def test_backoff_grows_to_its_cap_and_starts_over_after_a_success():
    assert all(Backoff(base=0.1, cap=1.0).next_delay() <= 0.1 for _ in range(200))
    backoff = Backoff(base=0.1, cap=1.0)
    delays = [backoff.next_delay() for _ in range(300)]
    assert all(0 <= d <= 1.0 for d in delays)
    assert max(delays[20:]) > 0.5  # full jitter up to the cap, not stuck near the base
    backoff.reset()
    assert backoff.next_delay() <= 0.1


@pytest.mark.parametrize("error", [
    ConnectionClosedError(endpoint_url="http://q"), ReadTimeoutError(endpoint_url="http://q"),
    ConnectTimeoutError(endpoint_url="http://q"), ConnectionResetError("reset by peer"),
    ClientError({"Error": {"Code": "ServiceUnavailable"},
                 "ResponseMetadata": {"HTTPStatusCode": 503}}, "SendMessageBatch"),
    ClientError({"Error": {"Code": "RequestThrottled"},
                 "ResponseMetadata": {"HTTPStatusCode": 400}}, "SendMessageBatch"),
])
def test_connection_failures_and_throttling_are_retried(error):
    rule, _ = _classify_call_error(error)
    assert rule.action in (Action.RETRY, Action.THROTTLE)


@pytest.mark.parametrize("error", [
    ClientError({"Error": {"Code": "AWS.SimpleQueueService.NonExistentQueue"},
                 "ResponseMetadata": {"HTTPStatusCode": 400}}, "SendMessageBatch"),
    ClientError({"Error": {"Code": "InvalidClientTokenId"},
                 "ResponseMetadata": {"HTTPStatusCode": 403}}, "SendMessageBatch"),
    NoCredentialsError(),
])
def test_errors_that_cannot_heal_are_not_retried(error):
    rule, _ = _classify_call_error(error)
    assert rule.action not in (Action.RETRY, Action.THROTTLE)


def test_concealed_properties_round_trip_and_never_pickle_in_clear():
    import pickle

    from pyflink_sqs.python_backend.concealed import ConcealedProperties

    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    concealed = ConcealedProperties({"aws.credentials.provider.basic.secretkey": secret})
    pickled = pickle.dumps(concealed)
    assert secret.encode() not in pickled and secret not in repr(concealed)
    assert pickle.loads(pickled).reveal() == {"aws.credentials.provider.basic.secretkey": secret}


def test_importing_the_writer_sets_no_logger_level():
    # A subprocess: a loopback MiniCluster runs the writer's open() in the test process.
    code = ("import logging, pyflink_sqs.python_backend.writer; "
            "assert logging.getLogger('pyflink_sqs.python_backend').level == logging.NOTSET")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_worker_default_level_is_info_unless_the_user_set_one():
    unset = logging.getLogger("level_probe_unset.python_backend")
    default_level_in_worker(unset)
    assert unset.level == logging.INFO
    logging.getLogger("level_probe_parent").setLevel(logging.ERROR)
    under_parent = logging.getLogger("level_probe_parent.python_backend")
    default_level_in_worker(under_parent)
    assert under_parent.getEffectiveLevel() == logging.ERROR
    own = logging.getLogger("level_probe_own.python_backend")
    own.setLevel(logging.WARNING)
    default_level_in_worker(own)
    assert own.level == logging.WARNING
