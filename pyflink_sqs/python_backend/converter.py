"""Element -> entry, or the reason SQS would never accept it (same checks as the Java side);
with large-payload offload, which entries go to S3 and what they then weigh in SQS."""
from dataclasses import dataclass
from typing import Callable, Optional

from pyflink_sqs.large_payload import (MAX_USER_ATTRIBUTES, RESERVED_ATTRIBUTES,
                                       LargePayloadOffload)
from pyflink_sqs.message import MessageFactory
from pyflink_sqs.message_rules import (NOT_UTF8, TOO_LARGE, TOO_MANY_ATTRIBUTES, MessageError,
                                       Rejection, check_body)
from pyflink_sqs.python_backend.entries import Entry


@dataclass
class Converted:
    entry: Optional[Entry]         # None when the bytes are not UTF-8 text
    serialized: bytes
    rejection: Optional[Rejection]
    position: int


class Converter:
    def __init__(self, max_record_size_in_bytes: int, messages: MessageFactory,
                 deduplicate: Optional[Callable] = None,
                 offload: Optional[LargePayloadOffload] = None,
                 max_message_bytes: Optional[int] = None):
        """deduplicate(group_id, raw_body, attributes) -> id, for FIFO messages without one;
        max_message_bytes: the most an offloaded message may weigh in SQS (a batch's bytes)."""
        self.max_record_size_in_bytes = max_record_size_in_bytes
        self.messages = messages
        self.deduplicate = deduplicate
        self.offload = offload
        self.max_message_bytes = max_message_bytes
        self.position = 0

    def convert(self, element) -> Converted:
        self.position += 1
        message = self.messages(element, self.position)
        if (self.deduplicate is not None and message.group_id is not None
                and message.deduplication_id is None):
            message.deduplication_id = self.deduplicate(message.group_id, message.raw,
                                                        message.attributes)
        if message.body is None:
            return Converted(None, message.raw, Rejection(
                NOT_UTF8, f"its {len(message.raw)} serialized bytes are not UTF-8 text, and "
                          f"SQS message bodies are text"), self.position)
        entry = Entry.of(message.body, len(message.raw), self.position, message.attributes,
                         group_id=message.group_id,
                         deduplication_id=message.deduplication_id,
                         delay_seconds=message.delay_seconds,
                         queue_url=message.queue_url)
        rejection = check_body(entry.body, entry.size, self.max_record_size_in_bytes)
        if self.offload is not None:
            reserved = [name for name in RESERVED_ATTRIBUTES if name in entry.attributes]
            if reserved:
                raise MessageError(
                    f"record {self.position}: attribute name {reserved[0]!r} is the Extended "
                    f"Client's mark of an offloaded message (large-payload offload is on), so "
                    f"a message must not set it")
            if rejection is None and self.offload.is_large(entry.size):
                rejection = self._to_s3(entry, len(message.raw))
        return Converted(entry, message.raw, rejection, self.position)

    def _to_s3(self, entry: Entry, body_bytes: int) -> Optional[Rejection]:
        """Marks an entry over the threshold for S3, sized as the pointer message it becomes;
        or why it cannot go."""
        if len(entry.attributes) > MAX_USER_ATTRIBUTES:
            return Rejection(TOO_MANY_ATTRIBUTES, (
                f"it is {entry.size} bytes, over the offload threshold of "
                f"{self.offload.threshold_bytes}, and has {len(entry.attributes)} attributes; "
                f"an offloaded message has at most {MAX_USER_ATTRIBUTES}, as SQS's 10th holds "
                f"{self.offload.size_attribute}"))
        key = self.offload.new_key()
        size = self.offload.offloaded_size(key, entry.attributes, body_bytes)
        if size > self.max_message_bytes:
            return Rejection(TOO_LARGE, (
                f"it is {entry.size} bytes; with its body in S3 its message would still be "
                f"{size} bytes (the attributes), over max_batch_size_in_bytes="
                f"{self.max_message_bytes}"))
        entry.s3_key, entry.size = key, size
        return None
