"""CPU time and peak memory of the processes a local PyFlink job runs in: the JVM that Py4J
started (MiniCluster: job manager and task manager) and this Python process (which hosts the
Python workers in local runs)."""
import threading

import psutil


def flink_jvm() -> psutil.Process:
    from pyflink.java_gateway import get_gateway

    get_gateway()
    javas = [p for p in psutil.Process().children(recursive=True)
             if "org.apache.flink.client.python.PythonGatewayServer" in p.cmdline()]
    if len(javas) != 1:
        raise RuntimeError(f"expected one PyFlink JVM under this process, found {len(javas)}")
    return javas[0]


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


class Usage:
    """CPU seconds used and peak RSS (sampled every 100 ms) while the block runs."""

    def __init__(self):
        self.jvm = flink_jvm()
        self.python = psutil.Process()
        self.peak_jvm_rss = 0
        self.peak_python_rss = 0
        self.samples = []  # (seconds since start, JVM RSS bytes)
        self._stop = threading.Event()

    def __enter__(self):
        self._jvm_start, self._python_start = cpu_seconds(self.jvm), cpu_seconds(self.python)
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.jvm_cpu = cpu_seconds(self.jvm) - self._jvm_start
        self.python_cpu = cpu_seconds(self.python) - self._python_start
        self.cpu = self.jvm_cpu + self.python_cpu

    def _sample(self):
        import time

        started = time.monotonic()
        while not self._stop.wait(0.1):
            jvm_rss = self.jvm.memory_info().rss
            self.samples.append((time.monotonic() - started, jvm_rss))
            self.peak_jvm_rss = max(self.peak_jvm_rss, jvm_rss)
            self.peak_python_rss = max(self.peak_python_rss, self.python.memory_info().rss)
