"""Resident memory of the processes a job runs in: for a local job, the JVM this test process
started (PyFlink's gateway, which runs the MiniCluster) and its children (the Python workers);
on a standalone cluster, a task manager and the Python workers under it."""
import os

from tests.support.processes import descendants


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _is_java(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return os.path.basename(f.read().split(b"\0")[0]) == b"java"
    except OSError:
        return False


def tree_rss_bytes(pid: int) -> int:
    """RSS of a process and everything under it, in bytes."""
    return _rss_bytes(pid) + sum(_rss_bytes(child) for child, _ in descendants(pid))


def job_rss_bytes() -> int:
    """RSS of the JVMs this process started, with everything they started, in bytes."""
    return sum(tree_rss_bytes(pid) for pid, _ in descendants(os.getpid()) if _is_java(pid))
