"""The dead-letter copy of a rejected record: the same attributes and encoding as the Java
side's DeadLetters (tests compare what both backends put in a dead-letter queue)."""
import base64

from pyflink_sqs.message_rules import Rejection, check_body
from pyflink_sqs.message import attributes_size
from pyflink_sqs.python_backend.entries import Entry

REASON = "pyflink-sqs.reason"
DETAIL = "pyflink-sqs.detail"
SOURCE_QUEUE = "pyflink-sqs.source-queue"
POSITION = "pyflink-sqs.position"
BODY_ENCODING = "pyflink-sqs.body-encoding"
TRUNCATED_FROM = "pyflink-sqs.truncated-from-bytes"
MAX_DETAIL_CHARS = 500


class CannotDeadLetter(Exception):
    pass


def copy_of(serialized: bytes, body, rejection: Rejection, position: int,
            source_queue_url: str, max_record_size_in_bytes: int) -> Entry:
    attributes = {
        REASON: ("String", rejection.reason),
        DETAIL: ("String", rejection.detail[:MAX_DETAIL_CHARS]),
        SOURCE_QUEUE: ("String", source_queue_url),
    }
    if position >= 0:
        attributes[POSITION] = ("Number", str(position))
    copy = body
    if body is None or check_body(body, 0, 1) is not None:  # empty or forbidden characters
        copy = base64.b64encode(serialized).decode("ascii")
        attributes[BODY_ENCODING] = ("String", "empty" if not serialized else "base64")
        copy = copy or "-"  # SQS needs one character; the encoding attribute says it was empty
    copy_bytes = len(copy.encode("utf-8"))
    if attributes_size(attributes) + copy_bytes > max_record_size_in_bytes:
        room = (max_record_size_in_bytes - attributes_size(attributes)
                - (len(TRUNCATED_FROM) + len("Number") + 20))
        if room < 1:
            raise CannotDeadLetter(
                f"record {position} was rejected ({rejection.reason}: {rejection.detail}) and "
                f"cannot go to the dead-letter queue: max_record_size_in_bytes="
                f"{max_record_size_in_bytes} leaves no room beside the "
                f"{attributes_size(attributes)} bytes of reason attributes")
        attributes[TRUNCATED_FROM] = ("Number", str(copy_bytes))
        copy = copy.encode("utf-8")[:room].decode("utf-8", "ignore")
    return Entry.of(copy, len(copy.encode("utf-8")), position, attributes, dead_letter=True)
