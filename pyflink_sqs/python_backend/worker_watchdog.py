"""Ends a Python worker whose task manager is gone, so its calls stop.

A task manager starts each Python worker as pyflink-udf-runner.sh, which runs
`python -m pyflink.fn_execution.beam.beam_boot` (the worker; the script's bash is its parent,
the task manager's JVM the bash's). After `kill -9` of the task manager the worker usually
exits within seconds: its gRPC control stream breaks and Beam's SDK harness returns. Not
always: on the way out, Beam's log handler's close() holds the handler's lock while it joins
the thread that reads the log stream (apache_beam/runners/worker/log_handler.py, close), and
that thread, its stream broken, prints, which PyFlink routes to logging.error
(pyflink/fn_execution/beam/beam_sdk_worker_main.py, print_to_logging), which needs that lock.
Such a worker lives on without a connection (seen: 13 minutes, until killed), and the writer's
calls in it (its worker thread waiting for them at a bundle end, and the threads putting
large payloads to S3) keep retrying without end when SQS or S3 is unreachable.

So the writer starts this watchdog in a worker a task manager started: once a second it checks
that the task manager's process (pid and start time, so a reused pid is not it) still exists,
and when it is gone it ends the process with os._exit. Nothing is lost: what the worker had not
yet delivered at its last checkpoint is sent again by the task's restart. It writes its reason
to stderr with os.write, never through logging (whose lock may be the one held for ever).
Elsewhere (a local job runs the writer in the job's own process) it does nothing.
"""
import os
import sys
import threading
import time
from typing import Callable, Optional, Tuple

POLL_SECONDS = 1.0
# From the worker: the runner script's bash, then the JVM; one more level is tolerated.
MAX_ANCESTORS = 3

_lock = threading.Lock()
_started = False


def read_stat(pid: int) -> Optional[Tuple[int, int, str]]:
    """(parent pid, start time in clock ticks, state) of a process from /proc, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[1]), int(fields[19]), fields[0]


def read_executable(pid: int) -> str:
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        return ""


def is_task_manager_worker(argv0: str) -> bool:
    """Whether this process is a Python worker a task manager started (PyFlink's process
    mode): its main module is PyFlink's beam_boot."""
    return os.path.basename(argv0) == "beam_boot.py"


def task_manager_of(pid: int, stat: Callable = read_stat,
                    executable: Callable = read_executable) -> Optional[Tuple[int, int]]:
    """(pid, start time) of the nearest ancestor of pid (at most MAX_ANCESTORS up) that is a
    JVM, or None when there is none (or no /proc)."""
    current = stat(pid)
    for _ in range(MAX_ANCESTORS):
        if current is None or current[0] <= 1:
            return None
        parent = current[0]
        current = stat(parent)
        if current is not None and executable(parent).startswith("java"):
            return parent, current[1]
    return None


def is_alive(process: Tuple[int, int], stat: Callable = read_stat) -> bool:
    """Whether (pid, start time) still runs: a zombie has ended; a reused pid has another
    start time."""
    now = stat(process[0])
    return now is not None and now[1] == process[1] and now[2] not in ("Z", "X")


def _watch(task_manager: Tuple[int, int]) -> None:
    while is_alive(task_manager):
        time.sleep(POLL_SECONDS)
    try:
        os.write(2, (f"pyflink-sqs: the task manager (pid {task_manager[0]}) that started this "
                     f"Python worker (pid {os.getpid()}) is gone; exiting so that its SQS "
                     f"calls stop (the restarted task sends again what no checkpoint "
                     f"covered)\n").encode())
    except OSError:  # its stderr went to the task manager, which is gone
        pass
    os._exit(1)


def start() -> Optional[Tuple[int, int]]:
    """Starts the watchdog once per process when this is a task manager's Python worker;
    returns the task manager it watches (None: not such a worker, nothing started)."""
    global _started
    if not is_task_manager_worker(sys.argv[0] if sys.argv else ""):
        return None
    task_manager = task_manager_of(os.getpid())
    if task_manager is None:
        return None
    with _lock:
        if not _started:
            threading.Thread(target=_watch, args=(task_manager,), daemon=True,
                             name="pyflink-sqs-task-manager-watchdog").start()
            _started = True
    return task_manager
