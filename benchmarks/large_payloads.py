"""Large-payload offload, MiB/s per subtask: messages of 1 MiB and 4 MiB through each backend
(bodies to S3, pointers to SQS), next to S3 PUTs alone (our S3PayloadClient with as many PUTs
in flight as the sink allows, no Flink). One no-op endpoint serves both S3 and SQS
(benchmarks/java/NoopSqs.java), with 0 or 20 ms added to every call.

    make bench-large      # results in benchmarks/results/large_payloads.json and .md

The rate of a row is the bodies' bytes over the time from the first PUT's arrival to the
last's (job start-up left out); every row must put and send exactly its count. Benchmarks are
not tests: nothing here asserts a timing.
"""
import datetime
import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pyflink.common import Types  # noqa: E402
from pyflink.common.serialization import SimpleStringSchema  # noqa: E402

from benchmarks import endpoint, jobs  # noqa: E402
from benchmarks.measure import Usage  # noqa: E402
from pyflink_sqs import AWSConfigConstants, SqsSink  # noqa: E402

MIB = 1024 * 1024
IN_FLIGHT = 50  # the sink's default max_in_flight_requests
# (body bytes, records at 0 ms, records at 20 ms)
SIZES = [(1 * MIB, 600, 600), (4 * MIB, 150, 150)]


class Body:
    """A Python map making each record's body: `size` bytes, distinct per record."""

    def __init__(self, size: int):
        self.size = size

    def __call__(self, number: int) -> str:
        head = f"n-{number}:"
        return head + "x" * (self.size - len(head))


def offload_job(backend: str, size: int, count: int, noop):
    env = jobs._environment(1)
    sink = (SqsSink.builder().set_sqs_url(noop.queue_url)
            .set_serialization_schema(SimpleStringSchema())
            .set_sqs_client_properties({**jobs.CREDENTIALS,
                                        AWSConfigConstants.AWS_ENDPOINT: noop.url})
            .set_max_record_size_in_bytes(8 * MIB)
            .set_large_payload_offload("bench", key_prefix="bench/")
            .set_backend(backend).build())
    jobs._numbers(env, count).map(Body(size), output_type=Types.STRING()).sink_to(sink)
    return env


def row(backend: str, size: int, count: int, noop) -> dict:
    noop.reset()
    env = offload_job(backend, size, count, noop)
    with Usage() as usage:
        env.execute(f"bench large {backend} {size}")
    stats = noop.stats()
    if stats["puts"] != count or stats["messages"] != count:
        raise SystemExit(f"{backend} {size}: {stats['puts']} PUTs and {stats['messages']} "
                         f"messages, not {count} of each")
    result = {"row": f"{backend} backend", "size_mib": size / MIB, "latency_ms": noop.latency_ms,
              "records": count,
              "mib_per_second": (count - 1) * size / MIB / stats["put_seconds"],
              "cpu_seconds_per_gib": usage.cpu / (count * size / 2 ** 30),
              "jvm_cpu_seconds_per_gib": usage.jvm_cpu / (count * size / 2 ** 30),
              "python_cpu_seconds_per_gib": usage.python_cpu / (count * size / 2 ** 30),
              "peak_jvm_rss_mib": usage.peak_jvm_rss / MIB,
              "peak_python_rss_mib": usage.peak_python_rss / MIB}
    print(f"{result['row']:>16} {result['size_mib']:.0f} MiB, {noop.latency_ms:>2} ms: "
          f"{result['mib_per_second']:7.1f} MiB/s, {result['cpu_seconds_per_gib']:.1f} CPU s/GiB "
          f"(JVM {result['jvm_cpu_seconds_per_gib']:.1f}, Python "
          f"{result['python_cpu_seconds_per_gib']:.1f}), peak RSS JVM "
          f"{result['peak_jvm_rss_mib']:.0f} MiB, Python {result['peak_python_rss_mib']:.0f} MiB",
          flush=True)
    return result


def markdown(results: dict) -> str:
    lines = [f"# Large-payload offload, {results['date']} ({results['machine']})", "",
             "| size | endpoint | S3 PUTs alone MiB/s | java backend MiB/s | / PUTs alone | "
             "python backend MiB/s | / PUTs alone | CPU s per GiB (java / python) |",
             "|---|---|---|---|---|---|---|---|"]
    for case in results["cases"]:
        alone = case["puts_alone_mib_per_second"]
        java, python = case["java"], case["python"]
        lines.append(
            f"| {case['size_mib']:.0f} MiB | {case['latency_ms']} ms | {alone:.0f} | "
            f"{java['mib_per_second']:.0f} | {java['mib_per_second'] / alone:.2f} | "
            f"{python['mib_per_second']:.0f} | {python['mib_per_second'] / alone:.2f} | "
            f"{java['cpu_seconds_per_gib']:.1f} / {python['cpu_seconds_per_gib']:.1f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    endpoint.build()
    results = {"date": datetime.date.today().isoformat(),
               "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                          f"{platform.python_implementation()} {platform.python_version()}",
               "cases": []}
    for latency in (0, 20):
        noop = endpoint.NoopEndpoint(latency)
        try:
            for size, at_0, at_20 in SIZES:
                count = at_20 if latency else at_0
                alone = endpoint.put_load(noop.url, size, seconds=8,
                                          in_flight=IN_FLIGHT) * size / MIB
                print(f"S3 PUTs alone {size / MIB:.0f} MiB, {latency:>2} ms: {alone:7.1f} MiB/s",
                      flush=True)
                results["cases"].append({
                    "size_mib": size / MIB, "latency_ms": latency,
                    "puts_alone_mib_per_second": alone,
                    "java": row("java", size, count, noop),
                    "python": row("python", size, count, noop)})
        finally:
            noop.stop()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "large_payloads.json"), "w") as f:
        json.dump(results, f, indent=2)
    with open(os.path.join(out, "large_payloads.md"), "w") as f:
        f.write(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"{time.monotonic() - started:.0f} s")
