"""The upstream Apache connector (org.apache.flink:flink-connector-sqs) side by side with ours,
in the job PyFlink users write (a Python map in front of the sink), measured in one run.

    make bench-upstream

Upstream's newest jar for a Flink line PyFlink has is 5.1.0-1.20, so this runs on apache-flink
1.20.5 (its own venv), ours on the same line in the same run. Upstream is wrapped the way a
PyFlink user wraps it today: env.add_jars(its jars), its Java builder through Py4J,
Sink(j_sink). Same endpoint, same records, the sinks' defaults. Rows go to
benchmarks/results/upstream.json and upstream.md; nothing here asserts a timing.
"""
import datetime
import glob
import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pyflink.common import Types  # noqa: E402
from pyflink.datastream.connectors import Sink  # noqa: E402

from benchmarks import endpoint, jobs  # noqa: E402
from benchmarks.run import SCALE, discard_ceiling, run_row  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
UPSTREAM_LIB = os.path.join(endpoint.BUILD, "upstream-lib")
UPSTREAM = "upstream flink-connector-sqs 5.1.0-1.20"
OURS = "python map -> java backend"


def upstream_jars() -> list:
    jars = sorted(glob.glob(os.path.join(UPSTREAM_LIB, "*.jar")))
    if not any("flink-connector-sqs" in os.path.basename(j) for j in jars):
        raise SystemExit(f"no upstream jars in {UPSTREAM_LIB}: run 'make bench-upstream'")
    return ["file://" + j for j in jars]


def map_then_upstream(count, parallelism, endpoint_url, queue_url):
    """Upstream's sink with its defaults (SimpleStringSchema, batches of 10, 50 in flight)."""
    from pyflink.java_gateway import get_gateway

    env = jobs._environment(parallelism)
    env.add_jars(*upstream_jars())
    jvm = get_gateway().jvm
    properties = jvm.java.util.Properties()
    for key, value in {**jobs.CREDENTIALS, "aws.endpoint": endpoint_url}.items():
        properties.setProperty(key, value)
    j_sink = (jvm.org.apache.flink.connector.sqs.sink.SqsSink.builder().setSqsUrl(queue_url)
              .setSqsClientProperties(properties).build())
    jobs._numbers(env, count).map(jobs._order, output_type=Types.STRING()).sink_to(Sink(j_sink))
    return env


ROWS = [(OURS, jobs.map_then_java_backend), (UPSTREAM, map_then_upstream)]


def main() -> None:
    from pyflink.version import __version__ as flink_version

    endpoint.build()
    count = {0: int(300_000 * SCALE) // 10 * 10, 20: int(200_000 * SCALE) // 10 * 10}
    results = {"date": datetime.date.today().isoformat(),
               "flink": flink_version,
               "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                          f"{platform.python_implementation()} {platform.python_version()}",
               "discard": [discard_ceiling(1, count[0])], "rows": []}
    for latency in (0, 20):
        noop = endpoint.NoopEndpoint(latency)
        try:
            for name, job in ROWS:
                results["rows"].append(run_row(noop, name, job, 1, count[latency]))
        finally:
            noop.stop()
    results["comparison"] = compare(results)
    out = os.path.join(HERE, "results")
    with open(os.path.join(out, "upstream.json"), "w") as f:
        json.dump(results, f, indent=2)
    with open(os.path.join(out, "upstream.md"), "w") as f:
        f.write(markdown(results))
    print(markdown(results))


def _row(results, name, latency):
    return next(r for r in results["rows"] if (r["row"], r["latency_ms"]) == (name, latency))


def compare(results) -> list:
    """Issue 18's targets: >= 1.5x upstream's throughput at 20 ms, <= 0.5x its CPU per message
    at 0 ms; CPU per message is the sink's share (the row's minus the discard pipeline's)."""
    discard_cpu = results["discard"][0]["cpu_seconds_per_100k"]
    ours_20, theirs_20 = _row(results, OURS, 20), _row(results, UPSTREAM, 20)
    ours_0, theirs_0 = _row(results, OURS, 0), _row(results, UPSTREAM, 0)
    return [
        {"target": "ours / upstream, throughput at 20 ms",
         "ratio": round(ours_20["messages_per_second"] / theirs_20["messages_per_second"], 3),
         "wanted": ">= 1.5"},
        {"target": "ours / upstream, throughput at 0 ms",
         "ratio": round(ours_0["messages_per_second"] / theirs_0["messages_per_second"], 3),
         "wanted": "-"},
        {"target": "ours / upstream, CPU per message at 0 ms (whole job)",
         "ratio": round(ours_0["cpu_seconds_per_100k"] / theirs_0["cpu_seconds_per_100k"], 3),
         "wanted": "<= 0.5"},
        {"target": "ours / upstream, CPU per message the sink adds at 0 ms (over the discard "
                   "pipeline's)",
         "ratio": round((ours_0["cpu_seconds_per_100k"] - discard_cpu)
                        / (theirs_0["cpu_seconds_per_100k"] - discard_cpu), 3),
         "wanted": "<= 0.5"},
    ]


def markdown(results) -> str:
    lines = [f"Upstream side by side, {results['date']}, apache-flink {results['flink']}, "
             f"{results['machine']}; a Python map in front of each sink, parallelism 1.", "",
             "| latency | sink | msg/s | CPU s per 100k (whole job) | p50 / p99 ms |",
             "|---|---|---|---|---|"]
    d = results["discard"][0]
    lines.append(f"| - | DiscardingSink (ceiling, whole run) | "
                 f"{d['messages_per_second_whole_run']:,.0f} | {d['cpu_seconds_per_100k']:.1f}"
                 f" | - |")
    for r in results["rows"]:
        lines.append(f"| {r['latency_ms']} ms | {r['row']} | {r['messages_per_second']:,.0f} | "
                     f"{r['cpu_seconds_per_100k']:.1f} | {r['p50_ms']} / {r['p99_ms']} |")
    lines += ["", "| comparison | ratio | wanted |", "|---|---|---|"]
    lines += [f"| {c['target']} | {c['ratio']} | {c['wanted']} |" for c in results["comparison"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
