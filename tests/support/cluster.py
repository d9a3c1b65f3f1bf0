"""A standalone Flink cluster from the distribution apache-flink ships (pyflink/bin), with its
own configuration, pid and log directories, so stopping it stops only what it started."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pyflink

from tests.support.localstack import free_port
from tests.support.processes import child_environment
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
    def __init__(self, slots: int = 2, environment: dict = None):
        self.dir = tempfile.mkdtemp(prefix="pyflink-sqs-cluster-")
        self.conf_dir = os.path.join(self.dir, "conf")
        self.log_dir = os.path.join(self.dir, "log")
        self.pid_dir = os.path.join(self.dir, "pid")
        os.makedirs(self.log_dir)
        os.makedirs(self.pid_dir)
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

    def __enter__(self):
        self._run("start-cluster.sh")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if self.get("/overview")["taskmanagers"] >= 1:
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        self.__exit__()
        raise RuntimeError("the cluster did not start:\n" + self.log_tail())

    def __exit__(self, *exc):
        self._run("stop-cluster.sh")
        shutil.rmtree(self.dir, ignore_errors=True)

    def _run(self, script: str):
        subprocess.run([os.path.join(FLINK_HOME, "bin", script)], env=self.env, check=True,
                       capture_output=True, timeout=120)

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
