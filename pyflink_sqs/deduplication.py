"""Deduplication ids for FIFO messages that have none, on the Python backend (the Java backend
computes the same in RecordDeduplication.java and ContentDeduplication.java; both are held to
tests/fixtures/deduplication_ids.json).

- 'per_record' (the default): SHA-256 of a nonce (random per built sink), an epoch (the Java
  writer's restored checkpoint; here the task's attempt, as a Python function cannot see
  checkpoints), the subtask, and the message's content digest with its occurrence (how many
  identical messages of the group this writer gave an id before): identical messages all
  arrive, and a record replayed after a failover gets a new id and may arrive twice (at-least-
  once). Because the content is hashed too, an id can only ever drop a copy of the same
  message, never another one.
- 'content': SHA-256 of group id, body and attributes, each length-prefixed: identical
  messages of a group within SQS's 5-minute window arrive once, and so does any replay.
"""
import hashlib
from typing import Dict

from pyflink_sqs.message import Attributes

# Occurrence counts start over (a new rotation, part of the id) after this many distinct
# messages, bounding memory (as RecordDeduplication.MAX_COUNTED).
MAX_COUNTED = 100_000


def content_deduplication_id(group_id: str, raw_body: bytes, attributes: Attributes) -> str:
    """SHA-256 of what makes the message: the same record replayed gives the same id."""
    digest = hashlib.sha256()
    for part in (group_id.encode(), raw_body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    for name in sorted(attributes):
        kind, value = attributes[name]
        for part in (name.encode(), kind.encode(),
                     value if isinstance(value, bytes) else value.encode()):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return digest.hexdigest()


def record_deduplication_id(nonce: str, epoch: str, subtask: int, rotation: int, message: str,
                            occurrence: int) -> str:
    """The id of the occurrence-th copy of a message (its content digest) written by a
    subtask in an epoch."""
    digest = hashlib.sha256()
    for part in (nonce, epoch, str(subtask), str(rotation), message, str(occurrence)):
        data = part.encode("utf-8")
        digest.update(bytes([len(data)]))
        digest.update(data)
    return digest.hexdigest()


class RecordDeduplication:
    def __init__(self, nonce: str, epoch: str, subtask: int):
        self.nonce = nonce
        self.epoch = epoch
        self.subtask = subtask
        self.rotation = 0
        self._occurrences: Dict[str, int] = {}

    def id_for(self, group_id: str, raw_body: bytes, attributes: Attributes) -> str:
        message = content_deduplication_id(group_id, raw_body, attributes)
        if len(self._occurrences) >= MAX_COUNTED and message not in self._occurrences:
            self._occurrences.clear()
            self.rotation += 1
        occurrence = self._occurrences.get(message, 0)
        self._occurrences[message] = occurrence + 1
        return record_deduplication_id(self.nonce, self.epoch, self.subtask, self.rotation,
                                       message, occurrence)
