"""The Java writer's metrics count every update made from concurrent HTTP threads."""
from tests.support.java import run_java_main

THREADS = 8
CALLS = 200_000


def test_no_update_is_lost_when_http_threads_count_at_once(tmp_path):
    out = run_java_main("io/github/pyflinksqs/sink/MetricsUnderConcurrency.java",
                        [str(THREADS), str(CALLS)], tmp_path)

    total = THREADS * CALLS
    # Each call: 1 record sent, 1 retried (re-buffered) then taken by a call, so 0 buffered.
    assert out.strip() == (f"{total} records sent in {total} batches, {total} retried, "
                           "0 rejected and skipped, 0 sent to the dead-letter queue, "
                           "0 still buffered")
