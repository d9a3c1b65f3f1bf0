"""The benchmark's outputs: a line per row while it runs; results.json, results.md and
results.png in benchmarks/results/; the targets of issue 9 as measured ratios."""
import json
import os


def row_line(row: dict) -> str:
    return (f"{row['latency_ms']:>2} ms  {row['row']:<40} p{row['parallelism']}: "
            f"{row['messages_per_second']:>9,.0f} msg/s "
            f"({row['messages_per_second_whole_run']:,.0f} whole run), "
            f"{row['cpu_seconds_per_100k']:6.1f} CPU s/100k, JVM peak "
            f"{row['peak_jvm_rss_mib']:5.0f} MiB, p50/p99 {row['p50_ms']}/{row['p99_ms']} ms")


def _rate(results, name, parallelism, latency):
    for row in results["rows"]:
        if (row["row"], row["parallelism"], row["latency_ms"]) == (name, parallelism, latency):
            return row["messages_per_second"]
    return None


def _whole_run(results, name, parallelism, latency):
    for row in results["rows"]:
        if (row["row"], row["parallelism"], row["latency_ms"]) == (name, parallelism, latency):
            return row["messages_per_second_whole_run"]
    return None


def _discard(results, parallelism):
    for row in results.get("discard", []):
        if row["parallelism"] == parallelism:
            return row["messages_per_second_whole_run"]
    return None


def targets(results: dict) -> list:
    java1_20 = _rate(results, "java backend", 1, 20)
    java1_0 = _rate(results, "java backend", 1, 0)
    py1_20 = _rate(results, "python backend", 1, 20)
    per_record_20 = _rate(results, "boto3 send_message per record in a map", 1, 20)
    bound = results["bounds"][20]["littles_law"]
    raw_0 = results["bounds"][0]["raw_client"]
    checks = [
        ("java p1 / Little's-law bound at 20 ms", java1_20 / bound, 0.9),
        ("java p1 / raw client at 0 ms", java1_0 / raw_0, 0.8),
        ("java p1 / boto3 per record at 20 ms", java1_20 / per_record_20, 50),
        ("python p1 / boto3 per record at 20 ms", py1_20 / per_record_20, 10),
        ("python p1 / Little's-law bound at 20 ms", py1_20 / bound, 0.5),
    ]
    # Issue 18: the job users write (a Python map in front of the sink).
    discard_1 = _discard(results, 1)
    for backend in ("java", "python"):
        name = f"python map -> {backend} backend"
        at_20, at_0 = _rate(results, name, 1, 20), _whole_run(results, name, 1, 0)
        if at_20 is not None:
            checks.append((f"{name} p1 / Little's-law bound at 20 ms", at_20 / bound, 0.9))
        if at_0 is not None and discard_1:
            checks.append((f"{name} p1 / the same map into a DiscardingSink at 0 ms "
                           f"(whole runs)", at_0 / discard_1, 0.6))
    return [{"target": name, "ratio": round(ratio, 3), "wanted": wanted,
             "met": ratio >= wanted} for name, ratio, wanted in checks]


def markdown(results: dict) -> str:
    lines = [f"Measured {results['date']} on {results['machine']} by `make bench`.", ""]
    for latency, b in results["bounds"].items():
        lines.append(f"- {latency} ms endpoint: its own ceiling {b['endpoint_ceiling']:,.0f} "
                     f"msg/s; our Java client alone {b['raw_client']:,.0f} msg/s"
                     + (f"; Little's-law bound {b['littles_law']:,.0f} msg/s per subtask"
                        if b["littles_law"] else ""))
    lines += ["", "| latency | row | p | msg/s after 2 s | msg/s whole run | CPU s / 100k msgs "
                  "| of which the sink's | peak JVM RSS MiB | p50 / p99 ms |",
              "|---|---|---|---|---|---|---|---|---|"]
    discard_cpu = {d["parallelism"]: d["cpu_seconds_per_100k"] for d in results.get("discard", [])}
    for r in results["rows"]:
        # The sink's share: a map row's CPU over the same map into a DiscardingSink.
        sinks = (f"{r['cpu_seconds_per_100k'] - discard_cpu[r['parallelism']]:.1f}"
                 if r["row"].startswith(("python map", "map ->"))
                 and r["parallelism"] in discard_cpu
                 else "-")
        lines.append(f"| {r['latency_ms']} ms | {r['row']} | {r['parallelism']} | "
                     f"{r['messages_per_second']:,.0f} | "
                     f"{r['messages_per_second_whole_run']:,.0f} | "
                     f"{r['cpu_seconds_per_100k']:.1f} | {sinks} | "
                     f"{r['peak_jvm_rss_mib']:.0f} | {r['p50_ms']} / {r['p99_ms']} |")
    lines += ["", "| endpoint stalled | RSS before MiB | peak RSS during MiB | msgs during "
                  "| recovered |", "|---|---|---|---|---|"]
    for s in results["stall"]:
        lines.append(f"| {s['row']}, {s['stall_seconds']:.0f} s | {s['rss_before_mib']:.0f} | "
                     f"{s['peak_rss_during_mib']:.0f} | {s['messages_during_stall']} | "
                     f"{s['recovered']} |")
    if results.get("bodies"):
        lines += ["", "| latency | bodies, python map -> | MiB/s after 2 s | our Java client "
                      "alone MiB/s | / client alone | CPU s / 100k msgs | p50 / p99 ms |",
                  "|---|---|---|---|---|---|---|"]
        for r in results["bodies"]:
            lines.append(f"| {r['latency_ms']} ms | {r['row']} | {r['mib_per_second']:,.1f} | "
                         f"{r['client_alone_mib_per_second']:,.1f} | "
                         f"{r['mib_per_second'] / r['client_alone_mib_per_second']:.2f} | "
                         f"{r['cpu_seconds_per_100k']:.1f} | {r['p50_ms']} / {r['p99_ms']} |")
    if results.get("discard"):
        lines += ["", "| python map -> DiscardingSink | msg/s whole run | CPU s / 100k msgs |",
                  "|---|---|---|"]
        for d in results["discard"]:
            lines.append(f"| p{d['parallelism']} | {d['messages_per_second_whole_run']:,.0f} | "
                         f"{d['cpu_seconds_per_100k']:.1f} |")
    ls = results["localstack"]
    lines += ["", f"LocalStack: its ceiling (our Java client alone) {ls['localstack_ceiling']:,.0f}"
                  f" msg/s; java backend p2 {ls['java_backend_p2']:,.0f} msg/s ({ls['note']}).",
              "", "| target | measured ratio | wanted | met |", "|---|---|---|---|"]
    for t in results["targets"]:
        lines.append(f"| {t['target']} | {t['ratio']} | ≥ {t['wanted']} | "
                     f"{'yes' if t['met'] else 'no'} |")
    return "\n".join(lines) + "\n"


def chart(results: dict, path: str) -> None:
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharey=False)
    for ax, latency in zip(axes, (0, 20)):
        rows = [r for r in results["rows"] if r["latency_ms"] == latency]
        labels = [f"{r['row'].replace(' in a map', '')}\np{r['parallelism']}" for r in rows]
        ax.barh(labels, [r["messages_per_second"] for r in rows], color="tab:blue")
        b = results["bounds"][latency]
        ax.axvline(b["raw_client"], color="tab:green", linestyle="--", label="our client alone")
        if b["littles_law"]:
            ax.axvline(b["littles_law"], color="tab:red", linestyle=":",
                       label="Little's law, 1 subtask")
        ax.set_xscale("log")
        ax.set_xlim(10, 100_000)
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_title(f"{latency} ms endpoint latency")
        ax.set_xlabel("messages / s (log)")
        ax.legend(loc="lower right", fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
    fig.suptitle(f"pyflink-sqs, {results['date']}, {results['machine']}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def write(results: dict, directory: str) -> None:
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "results.json"), "w") as f:
        json.dump(results, f, indent=2, default=str)
    text = markdown(results)
    with open(os.path.join(directory, "results.md"), "w") as f:
        f.write(text)
    chart(results, os.path.join(directory, "results.png"))
    print("\n" + text)


if __name__ == "__main__":
    # Renders the outputs again from a results.json (for example after changing the chart).
    import sys

    with open(sys.argv[1]) as f:
        saved = json.load(f)
    saved["bounds"] = {int(k): v for k, v in saved["bounds"].items()}
    write(saved, os.path.dirname(os.path.abspath(sys.argv[1])))
