"""The benchmark's Java helpers (no-op SQS endpoint, load generator, timestamping schema):
compiled with javac into benchmarks/build/bench.jar, and run."""
import glob
import json
import os
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")
JAR = os.path.join(BUILD, "bench.jar")


def flink_classpath() -> str:
    import pyflink

    home = os.path.dirname(os.path.abspath(pyflink.__file__))
    from pyflink_sqs.java_backend import JAR_PATH

    return os.pathsep.join(glob.glob(os.path.join(home, "lib", "*.jar")) + [JAR_PATH])


def build() -> str:
    sources = sorted(glob.glob(os.path.join(HERE, "java", "*.java")))
    if os.path.exists(JAR) and all(os.path.getmtime(s) < os.path.getmtime(JAR) for s in sources):
        return JAR
    classes = os.path.join(BUILD, "classes")
    os.makedirs(classes, exist_ok=True)
    subprocess.run(["javac", "--release", "11", "-nowarn", "-cp", flink_classpath(), "-d",
                    classes, *sources], check=True)
    subprocess.run(["jar", "cf", JAR, "-C", classes, "."], check=True)
    return JAR


def java_command(main: str, *args) -> list:
    return ["java", "-cp", os.pathsep.join([JAR, flink_classpath()]), main, *map(str, args)]


class NoopEndpoint:
    def __init__(self, latency_ms: int, error_rate: float = 0.0):
        from tests.support.localstack import free_port

        self.latency_ms = latency_ms
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.queue_url = f"{self.url}000000000000/bench"
        self._process = subprocess.Popen(
            java_command("NoopSqs", self.port, latency_ms, error_rate),
            stdout=subprocess.PIPE, text=True)
        if "listening" not in self._process.stdout.readline():
            raise RuntimeError("the no-op endpoint did not start")

    def _call(self, method: str, path: str) -> dict:
        request = urllib.request.Request(self.url.rstrip("/") + path, method=method,
                                         data=b"" if method == "POST" else None)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def stats(self) -> dict:
        return self._call("GET", "/stats")

    def reset(self) -> None:
        self._call("POST", "/reset")

    def stall(self, seconds: float) -> None:
        self._call("POST", f"/stall?ms={int(seconds * 1000)}")

    def stop(self) -> None:
        self._process.kill()
        self._process.wait()


def load(mode: str, endpoint_url: str, queue_url: str = None, seconds: int = 8,
         in_flight: int = 50, body_bytes: int = 0, key: str = "messages_per_second") -> float:
    """Messages per second a load generator achieves (see LoadGen.java); with body_bytes (client
    mode), bodies of that size, and key="mib_per_second" gives MiB/s of bodies."""
    args = [mode, endpoint_url] + ([queue_url] if mode == "client" else []) + [seconds, in_flight]
    if body_bytes:
        args.append(body_bytes)
    result = subprocess.run(java_command("LoadGen", *args), capture_output=True, text=True,
                            timeout=seconds + 60)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise RuntimeError(f"LoadGen {mode} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])[key]


def put_load(endpoint_url: str, size: int, seconds: int = 8, in_flight: int = 50) -> float:
    """Objects per second our S3PayloadClient puts, of `size` bytes each (LoadGen s3)."""
    result = subprocess.run(java_command("LoadGen", "s3", endpoint_url, size, seconds, in_flight),
                            capture_output=True, text=True, timeout=seconds + 120)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise RuntimeError("LoadGen s3 failed")
    return json.loads(result.stdout.strip().splitlines()[-1])["objects_per_second"]


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False
