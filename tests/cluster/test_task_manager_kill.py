"""kill -9 of task managers on a standalone cluster of the shipped distribution, on both
backends: a paced job (a checkpointed Java number source, a Python map, our sink) loses no
record while task managers die under it and fresh ones take their place; what it sends again
is counted and printed. No Python worker of a killed task manager outlives it.

The short version is part of `make test`; the soak (`make soak`, marker `soak`) runs a million
records through the fault proxy with ten kills."""
import os
import re
import time

import pytest

from tests.support.cluster import StandaloneCluster, process_alive
from tests.support.fault_proxy import FaultInjectingProxy, FaultRates
from tests.support.memory import tree_rss_bytes
from tests.support.queues import ACCESS_KEY, SECRET_KEY, create_queue, drain, queue_depth
from tests.support.waiting import wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
JOB = os.path.join(HERE, "jobs", "paced_numbers_to_sqs.py")
PARALLELISM = 2
# 50,000 records at 800 a second: about a minute of sending, long enough for two kills and
# their recoveries (each ~20-30 s here: loss noticed, fresh task manager, Python worker up).
COUNT, RATE, KILLS = 50_000, 800, 2
# The soak: a million records, ten kills, at 2,000 a second (~10 minutes of sending).
SOAK_COUNT, SOAK_RATE, SOAK_KILLS = 1_000_000, 2_000, 10
# Low fault rates for the soak: about one call in 20 meets a fault. No hangs (a hang that
# outlives the proxy's limit fails the job on purpose) and md5 mismatches at most once per
# body (three in a row reach the sink's attempt limit, a failure on purpose too).
SOAK_FAULTS = FaultRates(reset=0.005, server_error=0.01, throttle=0.01, partial=0.01,
                         bad_200=0.005, count_mismatch=0.005, md5_mismatch=0.002,
                         connection_close=0.005)
# Generous bounds for a machine whose 2 cores other jobs share; they only bound a hung test.
RECOVERY_TIMEOUT = 240
# Messages a second the drain bound assumes: a third of what LocalStack managed here.
DRAIN_RATE = 500


@pytest.fixture(scope="module")
def cluster():
    # One slot per task manager and parallelism 2: each task manager runs one subtask, so
    # every kill fails a running subtask and only a freshly started task manager can take it.
    with StandaloneCluster(slots=1, task_managers=2, environment={
            "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}, settings={
            # A killed task manager refuses heartbeat RPCs: two refused ones (the default
            # heartbeat.rpc-failure-threshold) at 2 s intervals declare it lost in ~4 s. The
            # timeout (for silent losses only) stays long: a busy machine delays heartbeats.
            "heartbeat.interval": 2_000, "heartbeat.timeout": 30_000}) as started:
        yield started


def command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline") as f:
            return f.read().replace("\0", " ")[:120]
    except OSError:
        return "(gone)"


def subtasks(cluster, job_id):
    """The job's only task (everything is chained), subtask by subtask: status, attempt and
    the resource id of the task manager it runs on."""
    job = cluster.get(f"/jobs/{job_id}")
    assert len(job["vertices"]) == 1, [v["name"] for v in job["vertices"]]
    vertex = cluster.get(f"/jobs/{job_id}/vertices/{job['vertices'][0]['id']}")
    return vertex["subtasks"]


def move_schedule(schedule_file: str, seconds: float) -> None:
    """Moves the start of the job's schedule (jobs/paced_numbers_to_sqs.py) forward."""
    with open(schedule_file) as f:
        started = float(f.read())
    with open(schedule_file + ".new", "w") as f:
        f.write(repr(started + seconds))
    os.replace(schedule_file + ".new", schedule_file)  # the subtasks never read half a file


def kill_one_task_manager(cluster, job_id, progress, kill_number, backend, schedule_file):
    """kill -9 of a task manager that runs a subtask, a fresh one started in its place; returns
    once the subtask runs again (a later attempt) and the queue receives more messages. On the
    Python backend, where the worker runs our writer, no process of the killed task manager
    may outlive it (the writer's worker_watchdog); on the Java backend the worker runs only
    the job's map, none of our code, and what outlives it is reported at the end."""
    running = [s for s in subtasks(cluster, job_id) if s["status"] == "RUNNING"]
    assert running, f"kill {kill_number}: no subtask runs (did the job end already?)"
    victim = running[kill_number % len(running)]
    resource_id = victim["taskmanager-id"]
    killed_at = time.time()
    cluster.kill_task_manager(resource_id)
    cluster.start_task_manager()
    workers = cluster.killed_task_manager_processes[resource_id]
    # The subtask runs a Python map, so its task manager ran a Python worker: the check below
    # that none outlives it would otherwise be empty.
    assert workers, f"task manager {resource_id} ran no process of its own"
    if backend == "python":
        # The watchdog polls once a second; 120 s only bounds a hung test.
        wait_until(lambda: not [w for w in workers if process_alive(w)], 120,
                   f"the processes of killed task manager {resource_id} to end")

    def restarted():
        subtask = subtasks(cluster, job_id)[victim["subtask"]]
        # FINISHED: a subtask near the end of its numbers may finish before a poll sees it run.
        return subtask["attempt"] > victim["attempt"] and \
            subtask["status"] in ("RUNNING", "FINISHED")

    try:
        wait_until(restarted, RECOVERY_TIMEOUT,
                   f"subtask {victim['subtask']} to run again after kill {kill_number}", 0.5)
        # The recovery does not count against the schedule: the restarted subtask resumes on
        # it, the one that kept running waits until the schedule reaches it again.
        move_schedule(schedule_file, time.time() - killed_at)
        after_restart = progress()
        # Progress: about a checkpoint interval's worth of records (2 s at 800 a second),
        # or the end.
        wait_until(lambda: progress() >= after_restart + 1_000
                   or cluster.get(f"/jobs/{job_id}")["state"] == "FINISHED", RECOVERY_TIMEOUT,
                   f"the job to deliver again after kill {kill_number}", 0.5)
    except AssertionError as e:
        raise AssertionError(f"{e}; subtasks: {subtasks(cluster, job_id)}\n"
                             f"{cluster.log_tail()}") from None
    print(f"kill {kill_number}: task manager {resource_id} (subtask {victim['subtask']}, "
          f"{cluster.completed_checkpoints(job_id)} checkpoints, "
          f"{len(workers)} processes under it, {len([w for w in workers if process_alive(w)])} "
          f"still alive); running again, "
          f"{progress()} messages in the queue")


def run_with_kills(cluster, localstack, backend, count, rate, kills, endpoint):
    queue = create_queue(localstack.endpoint)

    peak = {"rss": 0}

    def progress():
        # Memory, sampled with every look at the progress (twice a second): the largest task
        # manager with its Python workers.
        peak["rss"] = max([peak["rss"]] + [tree_rss_bytes(pid) for pid in
                                           cluster.live_task_manager_pids()])
        # Nothing receives before the job ends, so the queue's depth (exact on LocalStack)
        # counts what the job delivered; metrics would restart with each attempt of a task.
        return queue_depth(localstack.endpoint, queue)

    started = time.monotonic()
    schedule_file = os.path.join(cluster.dir, f"schedule-{os.path.basename(queue)}")
    result = cluster.flink_run(
        "-d", "-py", JOB, "--queue-url", queue, "--endpoint", endpoint, "--count", str(count),
        "--rate", str(rate), "--parallelism", str(PARALLELISM), "--backend", backend,
        "--schedule-file", schedule_file)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    job_id = re.search(r"JobID ([0-9a-f]{32})", result.stdout).group(1)
    try:
        for kill in range(kills):
            # Kills spread over the run: the k-th once k/(kills+1) of the records arrived.
            due = count * (kill + 1) // (kills + 1)
            wait_until(lambda: progress() >= due, RECOVERY_TIMEOUT + count / rate,
                       f"{due} messages before kill {kill + 1}", 0.5)
            kill_one_task_manager(cluster, job_id, progress, kill + 1, backend, schedule_file)
        wait_until(lambda: cluster.get(f"/jobs/{job_id}")["state"] in ("FINISHED", "FAILED"),
                   RECOVERY_TIMEOUT + count / rate, "the job to end", 0.5)
        state = cluster.get(f"/jobs/{job_id}")["state"]
        assert state == "FINISHED", f"the job ended {state}:\n{cluster.log_tail()}"
    finally:
        if cluster.get(f"/jobs/{job_id}")["state"] not in ("FINISHED", "FAILED", "CANCELED"):
            cluster.patch(f"/jobs/{job_id}?mode=cancel")
    # LocalStack gives back ~1,650 messages a second here (8 threads): a million need ~10
    # minutes, so the drain's bound grows with the count.
    received = drain(localstack.endpoint, queue, count, threads=8,
                     timeout=max(600, count / DRAIN_RATE))
    sent, distinct = {f"n-{n}" for n in range(count)}, set(received)
    duplicates = len(received) - len(distinct)
    restarts = cluster.get(f"/jobs/{job_id}/exceptions").get("exceptionHistory", {})
    outliving = sorted(process for processes in cluster.killed_task_manager_processes.values()
                       for process in processes if process_alive(process))
    print(f"{backend}: {count} records, {kills} task managers killed, {len(received)} messages "
          f"received, {duplicates} duplicates ({len(distinct)} distinct), "
          f"{len(restarts.get('entries', []))} failures in the job's history, "
          f"{time.monotonic() - started:.0f} s; peak RSS of a task manager with its Python "
          f"workers {peak['rss'] / 2**20:.0f} MiB; processes of killed task managers still "
          f"alive: {[(pid, command_line(pid)) for pid, _ in outliving]}")
    missing, never_sent = sent - distinct, distinct - sent
    assert not missing, f"{len(missing)} records lost: {runs_of(missing)}"
    assert not never_sent, f"bodies that were never sent: {sorted(never_sent)[:5]}"
    return duplicates


def runs_of(bodies, shown: int = 40) -> str:
    """The numbers of bodies n-<n> as runs ("1-5, 9, ..."): where a loss lies tells its cause
    (a checkpoint's worth of one subtask, or scattered entries of batches)."""
    numbers = sorted(int(body[2:]) for body in bodies)
    runs, start = [], numbers[0]
    for previous, number in zip(numbers, numbers[1:] + [None]):
        if number != previous + 1:
            runs.append(f"{start}" if start == previous else f"{start}-{previous}")
            start = number
    return f"{len(runs)} runs: " + ", ".join(runs[:shown]) + (", ..." if len(runs) > shown
                                                             else "")


@pytest.mark.parametrize("backend", ["java", "python"])
def test_killed_task_managers_cost_duplicates_never_records(cluster, localstack, backend):
    run_with_kills(cluster, localstack, backend, COUNT, RATE, KILLS, localstack.endpoint)


@pytest.mark.soak
# About 20 minutes of sending and recoveries, then the drain (up to 2,000 s for a million).
@pytest.mark.timeout(2 * 3600)
@pytest.mark.parametrize("backend", ["java", "python"])
def test_soak_a_million_records_ten_kills_through_faults(cluster, localstack, backend):
    count = int(os.environ.get("PYFLINK_SQS_SOAK_COUNT", SOAK_COUNT))
    kills = int(os.environ.get("PYFLINK_SQS_SOAK_KILLS", SOAK_KILLS))
    with FaultInjectingProxy(localstack.endpoint, SOAK_FAULTS, md5_mismatches_per_body=1) \
            as proxy:
        run_with_kills(cluster, localstack, backend, count, SOAK_RATE, kills, proxy.endpoint)
        print(f"{backend}: faults injected {dict(proxy.injected)}")
