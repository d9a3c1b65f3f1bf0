"""Where one benchmark row's CPU goes: the row of `make bench` run once, with the CPU time of
every thread of the Flink JVM and of this process (which hosts the Python worker in a local
job) read from /proc before and after, a Java Flight Recorder recording of the JVM and py-spy
samples of the Python side. (Not named profile.py: benchmarks/ is on sys.path when a script
here runs, and that name shadows the standard library's profile module, which Beam imports.)

    make profile ROW="python map -> java backend" LATENCY=0 P=1
    GIL=1 make profile ...         # py-spy samples only the thread holding the GIL

Prints CPU seconds per thread group (threads named alike, digits dropped), per 100,000
messages, and the hottest methods of each side by samples; the recording and the samples stay
in benchmarks/results/profile/ for a closer look (`jfr print`, py-spy's collapsed stacks).
"""
import collections
import json
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import endpoint, jobs  # noqa: E402
from benchmarks.measure import flink_jvm  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "profile")
TICKS = os.sysconf("SC_CLK_TCK")
JOBS = {"python map -> java backend": jobs.map_then_java_backend,
        "python map -> python backend": jobs.map_then_python_backend,
        "python map -> DiscardingSink": jobs.map_then_discard,
        "java backend": jobs.java_backend, "python backend": jobs.python_backend}


def thread_cpu(pid: int) -> dict:
    """CPU seconds (user + system) of each live thread of pid, by (tid, name)."""
    result = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except FileNotFoundError:  # ended meanwhile
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        result[(tid, name)] = (int(fields[11]) + int(fields[12])) / TICKS
    return result


class ThreadSampler:
    """Reads every thread's CPU time every 200 ms while the job runs and keeps the last reading
    of each: a job's task threads end with it, so one reading after the job would miss them."""

    def __init__(self, pid: int):
        self.pid = pid
        self.before = thread_cpu(pid)
        self.last = dict(self.before)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.2):
            self.last.update(thread_cpu(self.pid))

    def stop(self) -> collections.Counter:
        """CPU used since the start, summed over threads whose names differ only in digits."""
        self._stop.set()
        self._thread.join()
        self.last.update(thread_cpu(self.pid))
        groups = collections.Counter()
        for key, seconds in self.last.items():
            groups[re.sub(r"\d+", "#", key[1])] += seconds - self.before.get(key, 0.0)
        return groups


def process_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


# Whose code a sample is in: the first of these prefixes met walking up from the sampled frame
# (so JDK code our client calls counts as ours), else the thread's own code.
JAVA_OWNERS = [("io/github/pyflinksqs/client", "pyflink-sqs: SQS client (HTTP, signing, JSON)"),
               ("io/github/pyflinksqs", "pyflink-sqs: sink writer"),
               ("org/apache/flink/connector/base", "Flink connector-base (AsyncSinkWriter)"),
               ("org/apache/flink/streaming/api/runners/python", "PyFlink's Java side (Beam)"),
               ("org/apache/flink/python", "PyFlink's Java side (Beam)"),
               ("org/apache/beam", "PyFlink's Java side (Beam)"),
               ("org/apache/flink/streaming/runtime/tasks/mailbox", "Flink task (mailbox)"),
               ("org/apache/flink", "Flink runtime (other)")]


def _owner(frames: list) -> tuple:
    """(owner, the owner's first class met walking up from the sampled frame)."""
    for frame in frames:
        name = frame["method"]["type"]["name"].replace(".", "/")
        for prefix, owner in JAVA_OWNERS:
            if name.startswith(prefix):
                return owner, name.split("$")[0]
    return "JDK and other", frames[-1]["method"]["type"]["name"].split("$")[0]


def hot_java_methods(recording: str, top: int = 20) -> tuple:
    """(samples per owner with its top classes, samples per top method) as shares of all
    execution samples."""
    printed = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample",
                              "--stack-depth", "64", recording], capture_output=True, text=True,
                             check=True).stdout
    owners, methods = collections.Counter(), collections.Counter()
    classes = collections.defaultdict(collections.Counter)
    for event in json.loads(printed)["recording"]["events"]:
        frames = event["values"]["stackTrace"]["frames"]
        if frames:
            method = frames[0]["method"]
            methods[f"{method['type']['name']}.{method['name']}"] += 1
            owner, first_class = _owner(frames)
            owners[owner] += 1
            classes[owner][first_class] += 1
    total = sum(methods.values()) or 1
    return ([(name, n / total, [(c, k / total) for c, k in classes[name].most_common(6)])
             for name, n in owners.most_common()],
            [(name, n / total) for name, n in methods.most_common(top)])


def hot_python_functions(collapsed: str, top: int = 25) -> list:
    """Self samples per function, from py-spy's raw (collapsed) output."""
    counts = collections.Counter()
    with open(collapsed) as f:
        for line in f:
            stack, _, n = line.rstrip().rpartition(" ")
            leaf = stack.split(";")[-1]
            counts[re.sub(r" \(.*/site-packages/", " (", leaf)] += int(n)
    total = sum(counts.values()) or 1
    return [(name, n / total) for name, n in counts.most_common(top)]


def main() -> None:
    name = os.environ.get("ROW", "python map -> java backend")
    latency = int(os.environ.get("LATENCY", 0))
    parallelism = int(os.environ.get("P", 1))
    count = int(os.environ.get("COUNT", 300_000))
    os.makedirs(OUT, exist_ok=True)
    recording = os.path.join(OUT, "flink-jvm.jfr")
    collapsed = os.path.join(OUT, "python.txt")
    endpoint.build()
    noop = endpoint.NoopEndpoint(latency)
    try:
        env = JOBS[name](count, parallelism, noop.url, noop.queue_url)
        jvm = flink_jvm().pid
        subprocess.run(["jcmd", str(jvm), "JFR.start", "name=row", "settings=default",
                        f"filename={recording}"], check=True, capture_output=True)
        # GIL=1: only the samples of the thread holding the GIL (py-spy --gil). Without it,
        # threads blocked in a socket call or on a lock can count as busy.
        spy = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "py-spy"),
                                "record", "--format", "raw", "--rate", "97", "--nonblocking",
                                *(["--gil"] if os.environ.get("GIL") else []),
                                "--output", collapsed, "--pid", str(os.getpid())],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        jvm_threads, python_threads = ThreadSampler(jvm), ThreadSampler(os.getpid())
        jvm_total, python_total = process_cpu(jvm), process_cpu(os.getpid())
        started = time.monotonic()
        env.execute(f"profile {name}")
        wall = time.monotonic() - started
        jvm_groups, python_groups = jvm_threads.stop(), python_threads.stop()
        jvm_total = process_cpu(jvm) - jvm_total
        python_total = process_cpu(os.getpid()) - python_total
        spy.send_signal(2)  # py-spy writes its samples on SIGINT
        spy.wait(60)
        subprocess.run(["jcmd", str(jvm), "JFR.stop", "name=row"], check=True,
                       capture_output=True)
        delivered = noop.stats()["messages"] if name != "python map -> DiscardingSink" else count
    finally:
        noop.stop()
    per = 100_000 / count
    print(f"{name}, p{parallelism}, {latency} ms: {count:,} messages ({delivered:,} at the "
          f"endpoint) in {wall:.1f} s; CPU s per 100k: Flink JVM {jvm_total * per:.2f}, "
          f"Python process {python_total * per:.2f}")
    for side, groups, total in (("Flink JVM", jvm_groups, jvm_total),
                                ("Python process", python_groups, python_total)):
        # Threads that ended between two samples are missing: on 2026-12-03 the groups held
        # a third to two thirds of the JVM's total (three runs), so read them as a floor.
        print(f"\n{side}: CPU s per 100k messages by thread group (the groups hold "
              f"{sum(groups.values()) * per:.2f} of the process's {total * per:.2f})")
        for group, seconds in groups.most_common(15):
            if seconds * per >= 0.05:
                print(f"  {seconds * per:6.2f}  {group}")
    owners, methods = hot_java_methods(recording)
    print("\nFlink JVM: execution samples by whose code they are in")
    for owner, share, top_classes in owners:
        print(f"  {share:6.1%}  {owner}")
        for name, class_share in top_classes:
            print(f"            {class_share:6.1%}  {name}")
    print("\nFlink JVM: hottest methods (share of execution samples)")
    for method, share in methods:
        print(f"  {share:6.1%}  {method}")
    if os.path.exists(collapsed):
        print("\nPython process: hottest functions (share of py-spy samples, idle excluded)")
        for function, share in hot_python_functions(collapsed):
            print(f"  {share:6.1%}  {function}")


if __name__ == "__main__":
    main()
