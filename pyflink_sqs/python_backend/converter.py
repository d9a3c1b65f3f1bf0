"""Element -> entry, or the reason SQS would never accept it (same checks as the Java side)."""
from dataclasses import dataclass
from typing import Callable, Optional

from pyflink_sqs.message import MessageFactory
from pyflink_sqs.message_rules import NOT_UTF8, Rejection, check_body
from pyflink_sqs.python_backend.entries import Entry


@dataclass
class Converted:
    entry: Optional[Entry]         # None when the bytes are not UTF-8 text
    serialized: bytes
    rejection: Optional[Rejection]
    position: int


class Converter:
    def __init__(self, max_record_size_in_bytes: int, messages: MessageFactory,
                 deduplicate: Optional[Callable] = None):
        """deduplicate(group_id, raw_body, attributes) -> id, for FIFO messages without one."""
        self.max_record_size_in_bytes = max_record_size_in_bytes
        self.messages = messages
        self.deduplicate = deduplicate
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
        return Converted(entry, message.raw,
                         check_body(entry.body, entry.size, self.max_record_size_in_bytes),
                         self.position)
