"""A message waiting to be sent, sized as SQS counts it."""
from dataclasses import dataclass, field
from typing import Optional

from pyflink_sqs.message import Attributes, attributes_size


@dataclass
class Entry:
    body: str
    size: int                  # body bytes + attribute names, types and values
    position: int              # 1-based position in the subtask's input; -1 when unknown
    attributes: Attributes = field(default_factory=dict)
    dead_letter: bool = False  # a copy of a rejected record, bound for the dead-letter queue
    group_id: Optional[str] = None
    deduplication_id: Optional[str] = None
    delay_seconds: Optional[int] = None
    queue_url: Optional[str] = None  # None: the sink's queue (or the dead-letter queue)
    # Set while the body is still to go to S3 under this key (large_payload.py); size is
    # then already the offloaded message's.
    s3_key: Optional[str] = None

    @staticmethod
    def of(body: str, body_size: int, position: int, attributes: Attributes = None,
           dead_letter: bool = False, group_id: Optional[str] = None,
           deduplication_id: Optional[str] = None,
           delay_seconds: Optional[int] = None, queue_url: Optional[str] = None) -> "Entry":
        attributes = attributes or {}
        return Entry(body, body_size + attributes_size(attributes), position, attributes,
                     dead_letter, group_id, deduplication_id, delay_seconds, queue_url)

    @property
    def destination(self):
        """Entries of one SendMessageBatch call share this: a call goes to one queue."""
        return self.dead_letter, self.queue_url

    def __repr__(self):
        # Never the body: entries appear in logs and it may hold user data.
        where = f"record {self.position}, " if self.position >= 0 else ""
        return f"Entry({where}{self.size} bytes{', dead letter' if self.dead_letter else ''})"
