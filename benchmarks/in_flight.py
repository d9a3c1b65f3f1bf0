"""Where the Java backend's calls in flight go in the typical job (issue 18): runs the job of
`make bench`'s row "python map -> java backend" (or the Java-only row) at p1 against the no-op
endpoint, samples the sink's gauges sqs.inFlightRequests and sqs.bufferedRecords through the
REST API every 100 ms (Flink's metric fetcher set to 100 ms: its default 10 s served stale
values), and prints their spread beside the rate.

    PYTHONPATH=$PWD .venvs/flink-2.3.0/bin/python benchmarks/in_flight.py          # map row
    KIND=java BUNDLE=10000 ... benchmarks/in_flight.py   # Java-only row; the map's bundle size

With the task thread's stack sampled meanwhile (jstack), this showed where the map row loses its
calls in flight: the thread waits in PyFlink's finish of a Python bundle, and the answers that
would start the next calls wait in its mailbox (docs/benchmarks.md). A benchmark, not a test.
"""
import json
import os
import statistics
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pyflink.common import Configuration, Types  # noqa: E402
from pyflink.common.serialization import SimpleStringSchema  # noqa: E402

from benchmarks import endpoint, jobs  # noqa: E402
from tests.support.localstack import free_port  # noqa: E402

COUNT = int(os.environ.get("COUNT", 400_000))
KIND = os.environ.get("KIND", "map")
BUNDLE = os.environ.get("BUNDLE")  # python.fn-execution.bundle.size of the map; PyFlink's 1,000
LATENCY_MS = int(os.environ.get("LATENCY_MS", 20))
GAUGES = ("sqs.inFlightRequests", "sqs.bufferedRecords")


def get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def job(noop, port: int):
    conf = Configuration()
    conf.set_string("rest.port", str(port))
    conf.set_string("metrics.fetcher.update-interval", "100")
    if BUNDLE:
        conf.set_string("python.fn-execution.bundle.size", BUNDLE)
    if KIND == "map":
        env = jobs._environment(1)
        jobs._numbers(env, COUNT).map(jobs._order, output_type=Types.STRING()).sink_to(
            jobs._sink("java", noop.url, noop.queue_url, SimpleStringSchema()))
    else:
        env = jobs.java_backend(COUNT, 1, noop.url, noop.queue_url)
    env.configure(conf)
    return env


def sample(noop, base: str, job_id: str) -> dict:
    """Gauge name -> values, until the endpoint got every message."""
    samples = {name: [] for name in GAUGES}
    names, errors = None, 0
    while noop.stats()["messages"] < COUNT and errors < 100:
        try:
            vertex = get(f"{base}/jobs/{job_id}")["vertices"][0]["id"]
            metrics = f"{base}/jobs/{job_id}/vertices/{vertex}/subtasks"
            if names is None:
                listed = [m["id"] for m in get(f"{metrics}/metrics")]
                found = [n for n in listed if n.endswith(GAUGES)]
                names = found if len(found) == len(GAUGES) else None
            if names:
                for m in get(f"{metrics}/0/metrics?get=" + ",".join(names)):
                    samples[next(g for g in GAUGES if m["id"].endswith(g))].append(
                        float(m["value"]))
        except OSError:
            errors += 1  # the job not yet (or no longer) listed
        time.sleep(0.1)
    return samples


def main() -> None:
    endpoint.build()
    noop = endpoint.NoopEndpoint(LATENCY_MS)
    port = free_port()
    try:
        client = job(noop, port).execute_async(f"in flight, {KIND}")
        samples = sample(noop, f"http://127.0.0.1:{port}", str(client.get_job_id()))
        client.get_job_execution_result().result()
        stats = noop.stats()
        rate = stats["messages_after_warm_up"] / stats["seconds_after_warm_up"]
        print(f"{KIND} p1, {LATENCY_MS} ms, bundle {BUNDLE or 'default'}: {rate:,.0f} msg/s")
        for name, values in samples.items():
            values = values[len(values) // 5:]  # the first fifth: start-up and JIT warm-up
            if len(values) < 10:
                print(f"  {name}: too few samples ({len(values)})")
                continue
            deciles = statistics.quantiles(values, n=10)
            print(f"  {name}: {len(values)} samples, mean {statistics.mean(values):.1f}, "
                  f"p10 {deciles[0]:.0f}, p50 {statistics.median(values):.0f}, "
                  f"p90 {deciles[-1]:.0f}")
    finally:
        noop.stop()


if __name__ == "__main__":
    main()
