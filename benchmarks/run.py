"""Throughput, CPU per message, memory and latency of SqsSink's two backends, side by side with
the bound, the raw client and what PyFlink users write without it, measured in one run.

    make bench                     # SCALE=2 make bench: twice the records per row

Every row sends to a no-op SQS endpoint on 127.0.0.1 (benchmarks/java/NoopSqs.java), with
0 ms or 20 ms added latency; its own ceiling is measured first. Throughput is messages per
second at the endpoint between the first and the last arrival (job start-up excluded), and
every row must deliver exactly its count. Like the raw client's (LoadGen), a row's throughput
leaves out its first 2 s (JIT warm-up): messages after that / time after that; the rate over
the whole run is kept in the JSON too. Results go to benchmarks/results/ (JSON, markdown,
PNG). Benchmarks are not tests: nothing here asserts a timing; the targets are printed.
"""
import datetime
import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import endpoint, jobs, report  # noqa: E402
from benchmarks.measure import Usage  # noqa: E402

SCALE = float(os.environ.get("SCALE", 1))
# ONLY="FIFO|builder" make bench: only the rows whose name has one of these (with the bounds
# and the discard ceiling), into results/only.json.
ONLY = os.environ.get("ONLY")
IN_FLIGHT, BATCH = 50, 10  # the sink's defaults
# (row name, job, parallelism, records at 0 ms, records at 20 ms)
ROWS = [
    ("java backend", jobs.java_backend, 1, 300_000, 200_000),
    ("java backend", jobs.java_backend, 2, 400_000, 300_000),
    ("python backend", jobs.python_backend, 1, 300_000, 200_000),
    ("python backend", jobs.python_backend, 2, 300_000, 250_000),
    ("python map -> java backend", jobs.map_then_java_backend, 1, 300_000, 200_000),
    ("python map -> java backend", jobs.map_then_java_backend, 2, 300_000, 250_000),
    ("python map -> python backend", jobs.map_then_python_backend, 1, 300_000, 200_000),
    ("map -> message builder, 3 attributes -> java", jobs.attributes_java_backend, 1,
     300_000, 200_000),
    ("map -> message builder, 3 attributes -> python", jobs.attributes_python_backend, 1,
     200_000, 150_000),
    ("map -> FIFO, 100 groups -> java backend", jobs.fifo_java_backend, 1, 200_000, 60_000),
    ("map -> FIFO, 100 groups -> python backend", jobs.fifo_python_backend, 1, 150_000, 40_000),
    ("boto3 send_message per record in a map", jobs.boto3_per_record, 1, 15_000, 500),
    ("boto3 send_message_batch of 10 in a map", jobs.boto3_batches, 1, 80_000, 5_000),
]
# Bodies of other sizes through the typical pipeline, each backend at p1, in MiB/s against our
# Java client alone sending bodies of that size: (body bytes, records at 0 ms, at 20 ms).
BODY_SIZES = [(1024, 150_000, 100_000), (200 * 1024, 3_000, 2_000)]


def run_row(noop, name, job, parallelism, count) -> dict:
    noop.reset()
    env = job(count, parallelism, noop.url, noop.queue_url)
    with Usage() as usage:
        started = time.monotonic()
        env.execute(f"bench {name} p{parallelism}")
        wall = time.monotonic() - started
    stats = noop.stats()
    if stats["messages"] != count:
        raise SystemExit(f"{name} p{parallelism}: the endpoint got {stats['messages']} messages, "
                         f"not {count}")
    if stats["seconds_after_warm_up"] < 3:
        raise SystemExit(f"{name} p{parallelism}: only {stats['seconds_after_warm_up']:.1f} s "
                         f"after the 2 s warm-up; give the row more records")
    row = {"row": name, "parallelism": parallelism, "latency_ms": noop.latency_ms,
           "messages": count,
           "messages_per_second": stats["messages_after_warm_up"]
           / stats["seconds_after_warm_up"],
           "messages_per_second_whole_run": (count - 1) / stats["arrival_seconds"],
           "wall_seconds": wall, "cpu_seconds_per_100k": usage.cpu / count * 100_000,
           "jvm_cpu_seconds_per_100k": usage.jvm_cpu / count * 100_000,
           "python_cpu_seconds_per_100k": usage.python_cpu / count * 100_000,
           "peak_jvm_rss_mib": usage.peak_jvm_rss / 2 ** 20,
           "peak_python_rss_mib": usage.peak_python_rss / 2 ** 20,
           "p50_ms": stats["p50_ms"], "p99_ms": stats["p99_ms"]}
    print(report.row_line(row), flush=True)
    return row


def body_rows(noop, latency: int) -> list:
    """The typical pipeline with bodies of 1 KiB and 200 KiB, each backend, in MiB/s beside
    our Java client alone sending the same bodies."""
    rows = []
    for size, at_0, at_20 in BODY_SIZES:
        names = [f"python map -> {backend} backend, {size // 1024} KiB bodies"
                 for backend in ("java", "python")]
        if ONLY and not any(part in name for part in ONLY.split("|") for name in names):
            continue
        alone = endpoint.load("client", noop.url, noop.queue_url, seconds=8,
                              in_flight=IN_FLIGHT, body_bytes=size, key="mib_per_second")
        print(f"{latency} ms, {size // 1024} KiB bodies: our Java client alone "
              f"{alone:,.1f} MiB/s", flush=True)
        count = int((at_20 if latency else at_0) * SCALE) // 10 * 10
        for backend, name in zip(("java", "python"), names):
            row = run_row(noop, name, jobs.map_of_bodies_then(backend, size), 1, count)
            row.update(body_bytes=size, client_alone_mib_per_second=alone,
                       mib_per_second=row["messages_per_second"] * size / 2 ** 20)
            print(f"    {row['mib_per_second']:,.1f} MiB/s, "
                  f"{row['mib_per_second'] / alone:.2f} of the client alone", flush=True)
            rows.append(row)
    return rows


def discard_ceiling(parallelism: int, count: int) -> dict:
    """The typical pipeline (source, Python map) into a DiscardingSink: what the map rows could
    reach with a sink that costs nothing. No endpoint sees it, so its rate is over the whole
    run (start-up included), as the map rows' whole-run rates are, which it is compared with."""
    env = jobs.map_then_discard(count, parallelism, None, None)
    with Usage() as usage:
        started = time.monotonic()
        env.execute(f"bench discard p{parallelism}")
        wall = time.monotonic() - started
    result = {"parallelism": parallelism, "messages": count,
              "messages_per_second_whole_run": count / wall,
              "cpu_seconds_per_100k": usage.cpu / count * 100_000,
              "jvm_cpu_seconds_per_100k": usage.jvm_cpu / count * 100_000,
              "python_cpu_seconds_per_100k": usage.python_cpu / count * 100_000}
    print(f"python map -> DiscardingSink p{parallelism}: "
          f"{result['messages_per_second_whole_run']:,.0f} msg/s whole run, "
          f"{result['cpu_seconds_per_100k']:.1f} CPU s/100k", flush=True)
    return result


def stalled(noop, job, name, seconds: float) -> dict:
    """RSS of the JVM while the endpoint holds every call for `seconds`, and after."""
    noop.reset()
    env = job(5_000_000, 1, noop.url, noop.queue_url)
    with Usage() as usage:
        client = env.execute_async(f"bench stall {name}")
        endpoint.wait_until(lambda: noop.stats()["messages"] > 20_000, 120)
        before = usage.jvm.memory_info().rss
        noop.stall(seconds)
        first_sample = len(usage.samples)
        time.sleep(2)  # calls already under way finish
        held_from = noop.stats()["messages"]
        time.sleep(seconds - 2)
        during = noop.stats()["messages"] - held_from
        peak_during = max(rss for _, rss in usage.samples[first_sample:])
        after_stall = noop.stats()["messages"]
        recovered = endpoint.wait_until(lambda: noop.stats()["messages"] > after_stall + 5_000,
                                        60)
        client.cancel().result()
    result = {"row": name, "stall_seconds": seconds, "rss_before_mib": before / 2 ** 20,
              "peak_rss_during_mib": peak_during / 2 ** 20,
              "messages_during_stall": during, "recovered": recovered}
    print(f"stall {name}: RSS {result['rss_before_mib']:.0f} MiB before, "
          f"{result['peak_rss_during_mib']:.0f} MiB at most during {seconds:.0f} s; "
          f"{during} messages during; recovered: {recovered}", flush=True)
    return result


def localstack_rows() -> dict:
    from tests.support.localstack import LocalStack
    from tests.support.queues import create_queue, queue_depth

    localstack = LocalStack().start()
    try:
        queue = create_queue(localstack.endpoint, "bench")
        ceiling = endpoint.load("client", localstack.endpoint + "/", queue, seconds=8)
        queue = create_queue(localstack.endpoint, "bench")
        count = int(20_000 * SCALE)
        env = jobs.java_backend(count, 2, localstack.endpoint, queue)
        started = time.monotonic()
        env.execute("bench localstack")
        wall = time.monotonic() - started
        depth = queue_depth(localstack.endpoint, queue)
        if depth != count:
            raise SystemExit(f"LocalStack holds {depth} messages, not {count}")
    finally:
        localstack.stop()
    result = {"localstack_ceiling": ceiling, "java_backend_p2": count / wall,
              "note": "java backend: wall clock of the job, start-up included"}
    print(f"LocalStack: its ceiling with our client {ceiling:,.0f} msg/s; java backend p2 "
          f"{count / wall:,.0f} msg/s (start-up included)", flush=True)
    return result


def main() -> None:
    endpoint.build()
    results = {"date": datetime.date.today().isoformat(),
               "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                          f"{platform.python_implementation()} {platform.python_version()}",
               "rows": [], "bounds": {}, "stall": [], "localstack": None,
               "discard": [discard_ceiling(p, int(300_000 * SCALE)) for p in (1, 2)]}
    for latency in (0, 20):
        noop = endpoint.NoopEndpoint(latency)
        try:
            b = results["bounds"][latency] = {
                "endpoint_ceiling": endpoint.load("http", noop.url, seconds=8, in_flight=200),
                "raw_client": endpoint.load("client", noop.url, noop.queue_url, seconds=8,
                                            in_flight=IN_FLIGHT),
                "littles_law": IN_FLIGHT * BATCH / (latency / 1000) if latency else None}
            print(f"{latency} ms endpoint: its ceiling {b['endpoint_ceiling']:,.0f} msg/s, "
                  f"our Java client alone {b['raw_client']:,.0f} msg/s"
                  + (f", Little's law {b['littles_law']:,.0f} msg/s per subtask"
                     if latency else ""), flush=True)
            for name, job, parallelism, at_0, at_20 in ROWS:
                if ONLY and not any(part in name for part in ONLY.split("|")):
                    continue
                count = int((at_20 if latency else at_0) * SCALE) // 10 * 10
                results["rows"].append(run_row(noop, name, job, parallelism, count))
            results.setdefault("bodies", []).extend(body_rows(noop, latency))
            if latency == 0 and not ONLY:
                for name, job in (("java backend", jobs.java_backend),
                                  ("python backend", jobs.python_backend)):
                    results["stall"].append(stalled(noop, job, name,
                                                    float(os.environ.get("STALL_SECONDS", 30))))
        finally:
            noop.stop()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
    if ONLY:  # some rows: their JSON apart, the full run's outputs left as they are
        with open(os.path.join(out, "only.json"), "w") as f:
            json.dump(results, f, indent=2, default=str)
        return
    results["localstack"] = localstack_rows()
    results["targets"] = report.targets(results)
    report.write(results, out)


if __name__ == "__main__":
    main()
