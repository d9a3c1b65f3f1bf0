"""The Java backend's SqsClient alone, on its two HTTP transports side by side: messages per
second and the LoadGen JVM's CPU time per message (LoadGen.java's `client` mode: 10-message
calls, encoded and signed each, IN_FLIGHT at a time) against the no-op endpoint at 0 and 20 ms.

    PYTHONPATH=$PWD .venvs/flink-2.3.0/bin/python benchmarks/client_cpu.py
    RUNS=5 SECONDS=8 IN_FLIGHT=50 ...

"ours" is the bridge's own blocking HTTP/1.1 client (client/HttpConnection.java); "jdk" is the
JDK's java.net.http.HttpClient it replaced, selected by the benchmark-only system property
pyflink.sqs.http=jdk (client/JdkHttp.java). Runs alternate between the two so a change in the
machine's load falls on both; each row prints the median and the spread of its runs.
"""
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import endpoint  # noqa: E402

TRANSPORTS = {"jdk": ["-Dpyflink.sqs.http=jdk"], "ours": []}
RUNS = int(os.environ.get("RUNS", 3))
SECONDS = int(os.environ.get("SECONDS", 8))
IN_FLIGHT = int(os.environ.get("IN_FLIGHT", 50))


def run(noop: endpoint.NoopEndpoint, options: list) -> dict:
    command = ["java", *options, "-cp", os.pathsep.join([endpoint.JAR, endpoint.flink_classpath()]),
               "LoadGen", "client", noop.url, noop.queue_url, SECONDS, IN_FLIGHT]
    result = subprocess.run(list(map(str, command)), capture_output=True, text=True,
                            timeout=SECONDS + 60)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise RuntimeError("LoadGen client failed")
    out = json.loads(result.stdout.strip().splitlines()[-1])
    if out["failed_calls"]:
        raise RuntimeError(f"{out['failed_calls']} calls failed")
    messages = out["messages_per_second"] * SECONDS
    return {"msg_per_s": out["messages_per_second"],
            "cpu_us_per_msg": out["cpu_seconds"] * 1e6 / messages}


def spread(values: list) -> str:
    return (f"{statistics.median(values):,.1f} "
            f"[{min(values):,.1f}..{max(values):,.1f}]")


def main() -> None:
    endpoint.build()
    print(f"{RUNS} runs of {SECONDS} s each, {IN_FLIGHT} calls of 10 messages in flight; "
          "median [min..max]", flush=True)
    for latency in (0, 20):
        noop = endpoint.NoopEndpoint(latency)
        try:
            runs = {name: [] for name in TRANSPORTS}
            for _ in range(RUNS):
                for name, options in TRANSPORTS.items():
                    runs[name].append(run(noop, options))
            for name, results in runs.items():
                print(f"{latency:>2} ms  {name:<4}  "
                      f"msg/s {spread([r['msg_per_s'] for r in results])}  "
                      f"CPU us/msg {spread([r['cpu_us_per_msg'] for r in results])}",
                      flush=True)
            ratio = (statistics.median(r["cpu_us_per_msg"] for r in runs["ours"])
                     / statistics.median(r["cpu_us_per_msg"] for r in runs["jdk"]))
            print(f"{latency:>2} ms  CPU per message, ours / jdk: {ratio:.2f}", flush=True)
        finally:
            noop.stop()


if __name__ == "__main__":
    main()
