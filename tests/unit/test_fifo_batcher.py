"""FIFO batches: one message per group out at a time, and a group whose message was delivered
goes on at once, whatever else its call still retries (no head-of-line blocking)."""
from pyflink_sqs.python_backend.entries import Entry
from pyflink_sqs.python_backend.fifo_batcher import FifoBatcher


def entry(group: str, n: int) -> Entry:
    return Entry.of(f"{group}{n}", 2, n, group_id=group)


def test_a_batch_holds_one_message_per_group_and_busy_groups_wait():
    batcher = FifoBatcher(max_batch_size=10, max_batch_size_in_bytes=1_000)
    for e in (entry("a", 1), entry("a", 2), entry("b", 1)):
        batcher.add(e)
    assert [e.body for e in batcher.next_batch()] == ["a1", "b1"]
    assert batcher.next_batch() == []  # a2 waits for a1


def test_a_group_whose_message_was_delivered_goes_on_while_its_call_retries_another():
    batcher = FifoBatcher(max_batch_size=10, max_batch_size_in_bytes=1_000)
    a1, a2, b1 = entry("a", 1), entry("a", 2), entry("b", 1)
    for e in (a1, a2, b1):
        batcher.add(e)
    first = batcher.next_batch()
    batcher.release([a1])  # delivered; b1 is being retried in the same call
    assert [e.body for e in batcher.next_batch()] == ["a2"]
    # The first call returns: b1 is free, and a's owner is a2 now, which stays busy.
    batcher.release(first)
    batcher.add(entry("a", 3))
    assert batcher.all_batches() == []  # a3 waits for a2, not freed by the old call's end
    batcher.release([a2])
    assert [e.body for e in batcher.next_batch()] == ["a3"]


def test_a_batch_goes_to_one_queue_and_each_queues_group_is_its_own():
    batcher = FifoBatcher(max_batch_size=10, max_batch_size_in_bytes=1_000)
    here, there = Entry.of("h", 1, 1, group_id="g"), Entry.of("t", 1, 2, group_id="g",
                                                               queue_url="q2")
    batcher.add(here)
    batcher.add(there)
    # Same group id, other queue: not held behind "h", but not in its call either.
    assert [[e.body for e in b] for b in batcher.all_batches()] == [["h"], ["t"]]


def test_the_standard_batcher_never_mixes_queues_in_a_call():
    from pyflink_sqs.python_backend.batcher import Batcher

    batcher = Batcher(max_batch_size=10, max_batch_size_in_bytes=1_000)
    for n, queue in enumerate([None, None, "q2", None]):
        batcher.add(Entry.of(str(n), 1, n, queue_url=queue))
    assert [[e.body for e in b] for b in batcher.all_batches()] == [["0", "1"], ["2"], ["3"]]
