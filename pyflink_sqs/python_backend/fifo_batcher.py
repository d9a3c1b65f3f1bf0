"""Batches for a FIFO queue that keep each message group in order (the Python twin of
java-bridge's FifoOrder; the reasoning is written there). The two are held to the same cases in
tests/fixtures/fifo_order_cases.json.

A batch takes at most one message per group, and only from groups with no message out: each
busy group has one owner, the entry out in a call. A group is free again once its owner is
delivered: the sender says so after each answer, so a group whose message was delivered goes
on while another group's entry of the same call waits out its backoff; release() of the whole
batch when the call returns frees the rest (delivered, or refused and decided by the policy).
Different groups share batches and go out concurrently. Ungrouped entries (dead-letter copies
for a standard queue) are batched apart. Same interface as Batcher, plus release().
"""
from collections import OrderedDict, deque
from typing import Dict, List, Optional, Tuple

from pyflink_sqs.python_backend.batcher import Batcher
from pyflink_sqs.python_backend.entries import Entry


class FifoBatcher:
    def __init__(self, max_batch_size: int, max_batch_size_in_bytes: int):
        self.max_batch_size = max_batch_size
        self.max_batch_size_in_bytes = max_batch_size_in_bytes
        # A group is (queue, group id): order is kept per group of each queue.
        self._groups: Dict[Tuple[Optional[str], str], deque] = {}
        self._ready: "OrderedDict[Tuple[Optional[str], str], None]" = OrderedDict()
        self._busy: Dict[Tuple[Optional[str], str], Entry] = {}  # group -> its owner
        self._ungrouped = Batcher(max_batch_size, max_batch_size_in_bytes)
        self._count = 0

    def __len__(self):
        return self._count + len(self._ungrouped)

    def add(self, entry: Entry) -> None:
        if entry.group_id is None:
            self._ungrouped.add(entry)
            return
        group = _group(entry)
        self._groups.setdefault(group, deque()).append(entry)
        if group not in self._busy:
            self._ready.setdefault(group)
        self._count += 1

    def has_full_batch(self) -> bool:
        """As AsyncSinkWriter: a batch is due when the buffer holds a batch's count (or
        bytes), then it holds what the free groups offer, however few. Waiting for
        max_batch_size free groups would stall a stream of fewer groups until the bundle
        ends, and hold a full buffer forever."""
        if self._ungrouped.has_full_batch():
            return True
        if not self._ready:
            return False
        if len(self) >= self.max_batch_size:
            return True
        size = 0
        for group in self._ready:
            size += self._groups[group][0].size
            if size >= self.max_batch_size_in_bytes:
                return True
        return False

    def next_batch(self) -> List[Entry]:
        """Ungrouped entries first, else the head of up to max_batch_size free groups of one
        queue; marks those groups busy. Empty when every grouped entry waits for its group."""
        if len(self._ungrouped):
            return self._ungrouped.next_batch()
        batch, size = [], 0
        for group in list(self._ready):
            if len(batch) >= self.max_batch_size:
                break
            if batch and group[0] != _group(batch[0])[0]:
                continue  # a call goes to one queue
            queue = self._groups[group]
            if batch and size + queue[0].size > self.max_batch_size_in_bytes:
                break
            entry = queue.popleft()
            if not queue:
                del self._groups[group]
            del self._ready[group]
            self._busy[group] = entry
            batch.append(entry)
            size += entry.size
        self._count -= len(batch)
        return batch

    def release(self, settled: List[Entry]) -> None:
        """These entries are settled (or their call has returned): their groups are free,
        unless a group's owner is by now another entry (released early, then sent again)."""
        for entry in settled:
            group = _group(entry) if entry.group_id is not None else None
            if group is not None and self._busy.get(group) is entry:
                del self._busy[group]
                if group in self._groups:
                    self._ready.setdefault(group)

    def full_batches(self) -> List[List[Entry]]:
        batches = []
        while self.has_full_batch():
            batch = self.next_batch()
            if not batch:
                break
            batches.append(batch)
        return batches

    def all_batches(self) -> List[List[Entry]]:
        """Every batch that can go now; entries of busy groups wait for release()."""
        batches = []
        while len(self._ungrouped) or self._ready:
            batches.append(self.next_batch())
        return batches


def _group(entry: Entry) -> Tuple[Optional[str], str]:
    return entry.queue_url, entry.group_id
