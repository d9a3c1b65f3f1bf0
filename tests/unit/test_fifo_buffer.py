"""The Java FIFO buffer's group rules (FifoRequestBuffer): one message per free group per
batch, a failed call's messages back at the head of their groups, dead letters apart."""
from tests.support.java import run_java_main


def test_the_java_fifo_buffer_keeps_groups_in_order_through_a_retry(tmp_path):
    out = run_java_main("io/github/pyflinksqs/sink/FifoBufferCheck.java", [], tmp_path)

    assert out.splitlines() == [
        "first: a1 b1 c1",
        "while busy:",
        "after retry: a1 b1",          # the failed messages, before a2 and b2
        "state: dead a2 a3 b2",        # each group's order; a1 and b1 are in flight
        "dead letters apart: dead",
        "size 3 bytes 6",
        "two bytes at most: a2",
    ]
