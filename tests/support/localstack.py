"""Starts and stops a LocalStack (SQS, STS and S3) on a free 127.0.0.1 port, without Docker."""
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_PYTHON = os.path.join(ROOT, ".venv-localstack", "bin", "python")
STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalStack:
    def __init__(self, python: str = None):
        self.python = python or os.environ.get("PYFLINK_SQS_LOCALSTACK_PYTHON", DEFAULT_PYTHON)
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._workdir = tempfile.TemporaryDirectory(prefix="pyflink-sqs-localstack-")
        self._log_path = os.path.join(self._workdir.name, "localstack.log")
        self._process = None

    def start(self) -> "LocalStack":
        if not os.path.exists(self.python):
            raise RuntimeError(
                f"LocalStack's Python {self.python} does not exist: run the tests with "
                f"`make test`, which installs LocalStack into .venv-localstack")
        env = {
            **os.environ,
            "SERVICES": "sqs,sts,s3",
            "GATEWAY_LISTEN": f"127.0.0.1:{self.port}",
            # Queue URLs name this host, not one that needs DNS.
            "LOCALSTACK_HOST": f"127.0.0.1:{self.port}",
            "SQS_ENDPOINT_STRATEGY": "path",
            "FILESYSTEM_ROOT": os.path.join(self._workdir.name, "fs"),
            # This machine looks like a container; without this LocalStack writes outside
            # FILESYSTEM_ROOT and probes a private network address.
            "OVERRIDE_IN_DOCKER": "0",
            "SKIP_SSL_CERT_DOWNLOAD": "1",
            "DISABLE_EVENTS": "1",
            "DNS_ADDRESS": "0",
            "LS_LOG": "warn",
        }
        log = open(self._log_path, "wb")
        self._process = subprocess.Popen(
            [self.python, "-m", "localstack.runtime.main"], env=env, stdout=log,
            stderr=subprocess.STDOUT, cwd=self._workdir.name, start_new_session=True)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"LocalStack exited at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.endpoint}/_localstack/health", timeout=2) as r:
                    health = r.read()
                if b'"sqs": "available"' in health or b'"sqs": "running"' in health:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"LocalStack not healthy after {STARTUP_SECONDS}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            with open(self._log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        self._workdir.cleanup()
