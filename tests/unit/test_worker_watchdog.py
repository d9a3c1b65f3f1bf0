"""The watchdog that ends a Python worker once the task manager that started it is gone."""
import os
import shutil
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


def test_a_worker_whose_task_manager_is_killed_exits_with_its_reason_on_stderr(tmp_path):
    # The process tree of a task manager's worker, as start() looks for it: a "java" (bash
    # under that name: start() goes by the executable's name) whose child runs beam_boot.py.
    task_manager = tmp_path / "java"
    shutil.copy(shutil.which("bash"), task_manager)
    worker = tmp_path / "beam_boot.py"
    worker.write_text(
        f"import os, sys, threading\n"
        f"sys.path.insert(0, {ROOT!r})\n"
        f"from pyflink_sqs.python_backend import worker_watchdog\n"
        f"print(os.getpid(), worker_watchdog.start(), flush=True)\n"
        f"threading.Event().wait()\n")
    # "; true": bash would otherwise exec the worker, the task manager's place in the tree.
    started = subprocess.Popen([str(task_manager), "-c", f'"{sys.executable}" "{worker}"; true'],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    worker_pid = None
    try:
        worker_pid, watched = started.stdout.readline().split(" ", 1)
        assert watched.startswith(f"({started.pid}, "), watched  # the task manager, watched
        os.kill(started.pid, signal.SIGKILL)
        # The killed task manager stays a zombie, not reaped, until the worker has exited and
        # closed the pipes it inherited: the watchdog must count a zombie as gone.
        _, stderr = started.communicate(timeout=60)
        assert f"the task manager (pid {started.pid})" in stderr and "is gone" in stderr
        assert f"Python worker (pid {worker_pid})" in stderr
    finally:
        started.kill()
        started.wait()
        if worker_pid is not None and read_stat(int(worker_pid)) is not None:
            os.kill(int(worker_pid), signal.SIGKILL)
