"""Java backend vs Python backend, measured in one run against a local LocalStack.

Each round sends the same records through each backend in a fresh job (parallelism 2, the
sink's defaults) and times env.execute() until the job finished, that is until SQS
acknowledged every record. Rounds alternate the backends so a warm-up or a busy moment does not
favour one. Prints records per second and the ratio Java / Python; checks every queue holds
exactly what was sent, so a fast but lossy run cannot look good.

    make bench                       # RECORDS=50000 ROUNDS=3 make bench for a longer run
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.support.flink import numbered_stream, sink_builder  # noqa: E402
from tests.support.localstack import LocalStack  # noqa: E402
from tests.support.queues import create_queue, sqs_client  # noqa: E402

RECORDS = int(os.environ.get("RECORDS", 20_000))
ROUNDS = int(os.environ.get("ROUNDS", 2))
BACKENDS = ("java", "python")


def queue_depth(endpoint: str, queue: str) -> int:
    return int(sqs_client(endpoint).get_queue_attributes(
        QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"])
        ["Attributes"]["ApproximateNumberOfMessages"])


def one_run(endpoint: str, backend: str) -> float:
    from pyflink.datastream import StreamExecutionEnvironment

    queue = create_queue(endpoint, f"bench-{backend}")
    env = StreamExecutionEnvironment.get_execution_environment()
    numbered_stream(env, RECORDS, parallelism=2).sink_to(
        sink_builder(queue, endpoint, backend).build())
    started = time.monotonic()
    env.execute(f"bench {backend}")
    elapsed = time.monotonic() - started
    depth = queue_depth(endpoint, queue)
    if depth != RECORDS:
        raise SystemExit(f"{backend}: the queue holds {depth} messages, not {RECORDS}")
    return elapsed


def main() -> None:
    localstack = LocalStack().start()
    try:
        timings = {backend: [] for backend in BACKENDS}
        for round_number in range(1, ROUNDS + 1):
            for backend in BACKENDS if round_number % 2 else reversed(BACKENDS):
                seconds = one_run(localstack.endpoint, backend)
                timings[backend].append(seconds)
                print(f"round {round_number} {backend:6}: {RECORDS} records in {seconds:.1f} s "
                      f"({RECORDS / seconds:,.0f} records/s)", flush=True)
    finally:
        localstack.stop()
    best = {backend: min(times) for backend, times in timings.items()}
    print(f"\nbest of {ROUNDS} rounds, {RECORDS} records, parallelism 2, default options, "
          f"LocalStack on 127.0.0.1 (job start-up included):")
    for backend in BACKENDS:
        print(f"  {backend:6} {RECORDS / best[backend]:8,.0f} records/s")
    print(f"  ratio java/python: {best['python'] / best['java']:.2f}x")


if __name__ == "__main__":
    main()
