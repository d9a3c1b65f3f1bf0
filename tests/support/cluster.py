"""A standalone Flink cluster from the distribution apache-flink ships (pyflink/bin), with its
own configuration, pid and log directories, so stopping it stops only what it started."""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Dict, Set, Tuple

import pyflink

from pyflink_sqs.python_backend.worker_watchdog import is_alive as process_alive, read_stat
from tests.support.localstack import free_port
from tests.support.processes import child_environment, descendants
from tests.support.rest import FlinkRest

FLINK_HOME = os.path.dirname(os.path.abspath(pyflink.__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _read_yaml(path: str) -> dict:
    from ruamel.yaml import YAML  # a dependency of apache-flink

    with open(path) as f:
        return YAML(typ="safe").load(f) or {}


def _flatten(tree: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


class StandaloneCluster(FlinkRest):
    def __init__(self, slots: int = 2, environment: dict = None, task_managers: int = 1,
                 settings: dict = None):
        """task_managers: how many to start; settings: more Flink options (they win)."""
        self.dir = tempfile.mkdtemp(prefix="pyflink-sqs-cluster-")
        self.conf_dir = os.path.join(self.dir, "conf")
        self.log_dir = os.path.join(self.dir, "log")
        self.pid_dir = os.path.join(self.dir, "pid")
        os.makedirs(self.log_dir)
        os.makedirs(self.pid_dir)
        os.makedirs(os.path.join(self.dir, "tmp"))
        shutil.copytree(os.path.join(FLINK_HOME, "conf"), self.conf_dir)
        self.rest_port = free_port()
        settings = {
            "jobmanager.rpc.address": "localhost",
            "jobmanager.rpc.port": free_port(),
            "jobmanager.bind-host": "localhost",
            "taskmanager.bind-host": "localhost",
            "taskmanager.host": "localhost",
            "rest.port": self.rest_port,
            "rest.address": "localhost",
            "rest.bind-address": "localhost",
            "taskmanager.numberOfTaskSlots": slots,
            "parallelism.default": 1,
            "jobmanager.memory.process.size": "1024m",
            "taskmanager.memory.process.size": "1728m",
            # Python workers on the task manager run this interpreter, which has the package.
            "python.executable": sys.executable,
            "python.client.executable": sys.executable,
            # Python workers unpack into python-dist-* here; a killed task manager leaves its.
            "io.tmp.dirs": os.path.join(self.dir, "tmp"),
            **(settings or {}),
        }
        config_path = os.path.join(self.conf_dir, "config.yaml")
        # The shipped file's other settings (JVM --add-opens among them) stay; ours win.
        merged = {**_flatten(_read_yaml(config_path)), **settings}
        with open(config_path, "w") as f:
            for key, value in merged.items():
                f.write(f"{key}: {json.dumps(value) if isinstance(value, str) else value}\n")
        with open(os.path.join(ROOT, "docker", "log4j-no-environment.properties")) as f:
            quiet_beam = f.read()
        for name in ("log4j.properties", "log4j-console.properties"):
            with open(os.path.join(self.conf_dir, name), "a") as f:
                f.write("\n" + quiet_beam)
        super().__init__(f"http://localhost:{self.rest_port}")
        self.env = child_environment(
            FLINK_CONF_DIR=self.conf_dir, FLINK_LOG_DIR=self.log_dir, FLINK_PID_DIR=self.pid_dir,
            PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
            **(environment or {}))
        self.task_managers = task_managers
        # Resource id -> pid of each task manager this object started (killed ones included).
        self.task_manager_pids: Dict[str, int] = {}
        # (pid, start time) of what ran under each killed task manager, when it was killed.
        self.killed_task_manager_processes: Dict[str, Set[Tuple[int, int]]] = {}

    def __enter__(self):
        try:
            # What start-cluster.sh does for a localhost worker, with a resource id per task
            # manager: the REST API names task managers by it, the test kills them by pid.
            self._run("jobmanager.sh", "start")
            for _ in range(self.task_managers):
                self.start_task_manager()
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    if self.get("/overview")["taskmanagers"] >= self.task_managers:
                        return self
                except OSError:
                    pass
                time.sleep(0.5)
        except BaseException:
            self.__exit__()
            raise
        self.__exit__()
        raise RuntimeError("the cluster did not start:\n" + self.log_tail())

    def __exit__(self, *exc):
        # The scripts signal the pids in our pid directory only (killed ones were taken out of
        # it, so a pid reused since is never signalled). stop-cluster.sh would not do: it runs
        # `taskmanager.sh stop` once per line of conf/workers, and each stops only the last
        # task manager of the pid file, so one of two started ones lived on after the kill
        # tests (seen: a task manager of a deleted cluster directory, minutes later).
        live = [(pid, read_stat(pid)) for pid in self.live_task_manager_pids()]
        self._run("taskmanager.sh", "stop-all")
        self._run("jobmanager.sh", "stop-all")
        deadline = time.monotonic() + 60
        for pid, stat in live:
            while stat is not None and process_alive((pid, stat[1])):
                if time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)
                    break
                time.sleep(0.1)
        # Processes a killed task manager started and left behind (its Python workers, when
        # they do not end by themselves): ours, so ended here, each by pid and start time.
        for processes in self.killed_task_manager_processes.values():
            for process in processes:
                if process_alive(process):
                    os.kill(process[0], signal.SIGKILL)
        keep = os.environ.get("PYFLINK_SQS_KEEP_CLUSTER_LOGS")  # a directory, for debugging
        if keep:
            kept = os.path.join(keep, os.path.basename(self.dir))
            shutil.copytree(self.log_dir, kept)
            # The Python workers' boot logs (what they wrote to stderr, the watchdog's line too).
            for boot_log in glob.glob(os.path.join(self.dir, "tmp", "python-dist-*", "*.log")):
                shutil.copy(boot_log, os.path.join(
                    kept, os.path.basename(os.path.dirname(boot_log)) + ".log"))
        shutil.rmtree(self.dir, ignore_errors=True)

    def _run(self, script: str, *args):
        subprocess.run([os.path.join(FLINK_HOME, "bin", script), *args], env=self.env,
                       check=True, capture_output=True, timeout=120)

    @property
    def _task_manager_pid_file(self) -> str:
        # flink-<FLINK_IDENT_STRING, $USER by default>-taskexecutor.pid
        found = glob.glob(os.path.join(self.pid_dir, "flink-*-taskexecutor.pid"))
        return found[0] if found else os.path.join(self.pid_dir, "none-taskexecutor.pid")

    def _pid_file_lines(self) -> list:
        try:
            with open(self._task_manager_pid_file) as f:
                return [line.strip() for line in f if line.strip()]
        except FileNotFoundError:
            return []

    def start_task_manager(self) -> str:
        """Starts one more task manager; returns its resource id (does not wait for it to
        register: the REST API's /taskmanagers lists it once it has)."""
        resource_id = f"tm-{len(self.task_manager_pids)}"
        # flink-daemon.sh appends the pid of what it started to the pid file, under a lock.
        self._run("taskmanager.sh", "start", "-D", f"taskmanager.resource-id={resource_id}")
        self.task_manager_pids[resource_id] = int(self._pid_file_lines()[-1])
        return resource_id

    def live_task_manager_pids(self) -> list:
        """The pids of the task managers this cluster started that were not killed."""
        return [pid for resource_id, pid in self.task_manager_pids.items()
                if resource_id not in self.killed_task_manager_processes]

    def registered_task_managers(self) -> Set[str]:
        return {tm["id"] for tm in self.get("/taskmanagers")["taskmanagers"]}

    def kill_task_manager(self, resource_id: str, timeout: float = 30) -> None:
        """kill -9 of the task manager; returns once its process has ended. What ran under it
        is in killed_task_manager_processes[resource_id]."""
        pid = self.task_manager_pids[resource_id]
        stat = read_stat(pid)
        self.killed_task_manager_processes[resource_id] = descendants(pid)
        os.kill(pid, signal.SIGKILL)
        lines = [line for line in self._pid_file_lines() if line != str(pid)]
        with open(self._task_manager_pid_file, "w") as f:
            f.write("".join(line + "\n" for line in lines))
        deadline = time.monotonic() + timeout
        while stat is not None and process_alive((pid, stat[1])):
            if time.monotonic() > deadline:
                raise AssertionError(f"task manager {resource_id} (pid {pid}) outlived kill -9")
            time.sleep(0.05)

    def flink_run(self, *args, timeout: float = 300) -> subprocess.CompletedProcess:
        """`flink run ...` against this cluster; no jar flags."""
        return subprocess.run([os.path.join(FLINK_HOME, "bin", "flink"), "run",
                               "-m", f"localhost:{self.rest_port}", *args],
                              env=self.env, capture_output=True, text=True, timeout=timeout)

    def running_job(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            jobs = [j for j in self.get("/jobs")["jobs"] if j["status"] == "RUNNING"]
            if jobs:
                return jobs[0]["id"]
            time.sleep(0.5)
        raise RuntimeError("no job is running:\n" + self.log_tail())

    def sink_metric(self, job_id: str, suffix: str) -> float:
        """The sum over the sink's subtasks of the metric whose name ends with `suffix`."""
        return self.vertex_metric(job_id, "Sink", suffix)

    def sink_metric_per_subtask(self, job_id: str, suffix: str) -> list:
        return self.vertex_metric_per_subtask(job_id, "Sink", suffix)

    def log_tail(self, lines: int = 60) -> str:
        text = []
        for name in sorted(os.listdir(self.log_dir)):
            if name.endswith(".log"):
                with open(os.path.join(self.log_dir, name), errors="replace") as f:
                    text.append(f"== {name}\n" + "".join(f.readlines()[-lines:]))
        return "\n".join(text)

    def log_lines_containing(self, text: str):
        """(file, line number, line) of every log line containing the text."""
        found = []
        for name in sorted(os.listdir(self.log_dir)):
            with open(os.path.join(self.log_dir, name), errors="replace") as f:
                found += [(name, i, line[:300]) for i, line in enumerate(f, 1) if text in line]
        return found

    def log_text(self) -> str:
        text = []
        for name in sorted(os.listdir(self.log_dir)):
            with open(os.path.join(self.log_dir, name), errors="replace") as f:
                text.append(f.read())
        return "\n".join(text)
