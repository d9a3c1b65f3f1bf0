"""The watchdog that ends a Python worker once the task manager that started it is gone."""
import os
import signal
import subprocess
import sys

from pyflink_sqs.python_backend import worker_watchdog
from pyflink_sqs.python_backend.worker_watchdog import is_alive, read_stat, task_manager_of

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# pid: (parent pid, start time, state, executable): a task manager's process tree.
TREE = {
    100: (1, 5, "S", "java"),           # the task manager
    200: (100, 7, "S", "bash"),         # pyflink-udf-runner.sh
    300: (200, 8, "S", "python3.11"),   # beam_boot: the worker
    400: (300, 9, "S", "python3.11"),   # something the worker started
}


def stat_of(tree):
    return lambda pid: tree[pid][:3] if pid in tree else None


def executable_of(tree):
    return lambda pid: tree[pid][3] if pid in tree else ""


def test_the_task_manager_is_the_jvm_above_the_runner_script():
    assert task_manager_of(300, stat_of(TREE), executable_of(TREE)) == (100, 5)


def test_no_jvm_within_three_levels_means_no_task_manager():
    assert task_manager_of(400, stat_of(TREE), executable_of(TREE)) == (100, 5)
    deeper = {**TREE, 500: (400, 10, "S", "python3.11")}
    assert task_manager_of(500, stat_of(deeper), executable_of(deeper)) is None
    orphan = {300: (1, 8, "S", "python3.11")}  # its parents gone already: nothing to watch
    assert task_manager_of(300, stat_of(orphan), executable_of(orphan)) is None


def test_a_reused_pid_or_a_zombie_is_not_the_task_manager():
    assert is_alive((100, 5), stat_of(TREE))
    assert not is_alive((100, 5), stat_of({100: (1, 99, "S", "java")}))
    assert not is_alive((100, 5), stat_of({100: (1, 5, "Z", "java")}))
    assert not is_alive((100, 5), stat_of({}))


def test_only_a_worker_a_task_manager_started_gets_a_watchdog():
    # pytest's process, like a local job's, is not PyFlink's beam_boot.
    assert worker_watchdog.start() is None
    assert worker_watchdog.is_task_manager_worker(
        "/venv/lib/python3.11/site-packages/pyflink/fn_execution/beam/beam_boot.py")


def test_the_watched_process_ending_ends_the_worker_with_its_reason_on_stderr():
    watched = subprocess.Popen(["sleep", "600"])
    worker = None
    try:
        start_time = read_stat(watched.pid)[1]
        worker = subprocess.Popen(
            [sys.executable, "-c", "import sys; from pyflink_sqs.python_backend import "
             f"worker_watchdog as w; w._watch(({watched.pid}, {start_time}))"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": ROOT}, stderr=subprocess.PIPE, text=True)
        os.kill(watched.pid, signal.SIGKILL)
        # A zombie until reaped: the watchdog must count it as gone, so it is not reaped here.
        _, stderr = worker.communicate(timeout=60)
        assert worker.returncode == 1
        assert f"the task manager (pid {watched.pid})" in stderr and "is gone" in stderr
    finally:
        watched.kill()
        watched.wait()
        if worker is not None and worker.poll() is None:
            worker.kill()
