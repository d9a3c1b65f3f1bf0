"""One run of the typical job into the Python backend (make bench's "python map -> python
backend", p1) against the no-op endpoint, for A/B comparisons of two checkouts: ROOT names the
checkout whose pyflink_sqs runs (this one by default); DISCARD=1 runs the same map into a
DiscardingSink instead. Prints msg/s after the warm-up (the endpoint's count), over the whole
run, CPU per 100k of the Python process and of the JVM, and the p50 latency.

    ROOT=/tmp/before LATENCY=20 COUNT=700000 .venvs/flink-2.3.0/bin/python benchmarks/typical_row.py

Alternate the checkouts, run each twice: on this 2-core machine runs a minute apart differ by
up to 15 %. A benchmark, not a test.
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.abspath(os.environ.get("ROOT", HERE))
sys.path.insert(0, HERE)  # benchmarks
sys.path.insert(0, ROOT)  # pyflink_sqs, ahead of any other

import pyflink_sqs  # noqa: E402

from benchmarks import endpoint, jobs  # noqa: E402
from benchmarks.measure import Usage  # noqa: E402

LATENCY_MS = int(os.environ.get("LATENCY", 0))
COUNT = int(os.environ.get("COUNT", 700_000))


def main() -> None:
    if not os.path.abspath(pyflink_sqs.__file__).startswith(ROOT + os.sep):
        raise SystemExit(f"pyflink_sqs came from {pyflink_sqs.__file__}, not from {ROOT}")
    discard = bool(os.environ.get("DISCARD"))
    job = jobs.map_then_discard if discard else jobs.map_then_python_backend
    noop = endpoint.NoopEndpoint(LATENCY_MS)
    try:
        env = job(COUNT, 1, noop.url, noop.queue_url)
        with Usage() as usage:
            started = time.monotonic()
            env.execute("typical row")
            wall = time.monotonic() - started
        stats = noop.stats()
    finally:
        noop.stop()
    if discard:
        rate, p50 = COUNT / wall, "-"
    elif stats["messages"] != COUNT:
        raise SystemExit(f"the endpoint got {stats['messages']} messages, not {COUNT}")
    else:
        rate, p50 = stats["messages_after_warm_up"] / stats["seconds_after_warm_up"], \
            stats["p50_ms"]
    print(f"{ROOT} {'discard' if discard else 'python backend'} {LATENCY_MS} ms: {rate:,.0f} "
          f"msg/s, {COUNT / wall:,.0f} over the whole run; CPU s per 100k: Python "
          f"{usage.python_cpu / COUNT * 1e5:.2f}, JVM {usage.jvm_cpu / COUNT * 1e5:.2f}; "
          f"p50 {p50} ms", flush=True)


if __name__ == "__main__":
    main()
