"""Child processes of a test session: their environments, and finding them in /proc."""
import os
from typing import Dict, Set, Tuple

from pyflink_sqs.python_backend.worker_watchdog import read_stat

# Set in this process once PyFlink ran a Python function here (loopback mode); a child
# that inherits them refuses to start its own Java gateway.
_PYFLINK_RUNTIME_VARIABLES = ("PYFLINK_GATEWAY_DISABLED", "PYFLINK_GATEWAY_PORT",
                              "_PYFLINK_CONN_INFO_PATH", "PYTHON_LOOPBACK_SERVER_ADDRESS",
                              "_python_worker_execution_mode", "BOOT_LOG_DIR")


def child_environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _PYFLINK_RUNTIME_VARIABLES}
    env.update(extra)
    return env


def descendants(pid: int) -> Set[Tuple[int, int]]:
    """(pid, start time) of every process under pid, read from /proc."""
    children: Dict[int, list] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = read_stat(int(entry))
            if stat is not None:
                children.setdefault(stat[0], []).append((int(entry), stat[1]))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child[0])
    return found
