"""Flink's REST API, of a standalone cluster or of a local MiniCluster started with rest.port."""
import json
import time
import urllib.request

# How the Python backend's writer operator ("<sink name>: Python writer") appears in the names
# of its metrics.
PYTHON_WRITER_SCOPE = "Python_writer."


class FlinkRest:
    def __init__(self, base_url: str):
        self.base_url = base_url

    def get(self, path: str):
        with urllib.request.urlopen(self.base_url + path, timeout=5) as response:
            return json.loads(response.read())

    def patch(self, path: str):
        request = urllib.request.Request(self.base_url + path, method="PATCH")
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.read()

    def post(self, path: str, body: dict = None):
        request = urllib.request.Request(
            self.base_url + path, data=json.dumps(body or {}).encode(), method="POST",
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read() or b"{}")

    def completed_checkpoints(self, job_id: str) -> int:
        return self.get(f"/jobs/{job_id}/checkpoints")["counts"]["completed"]

    def trigger_checkpoint(self, job_id: str, timeout: float = 60) -> None:
        """Triggers a checkpoint and waits until it completed."""
        before = self.completed_checkpoints(job_id)
        self.post(f"/jobs/{job_id}/checkpoints")
        self.wait_for(lambda: self.completed_checkpoints(job_id) > before, timeout,
                      "the triggered checkpoint did not complete")

    def stop_with_savepoint(self, job_id: str, directory: str, drain: bool = False,
                            timeout: float = 120) -> str:
        """Stops the job with a savepoint into directory; returns the savepoint's path."""
        request = self.post(f"/jobs/{job_id}/stop", {"targetDirectory": directory,
                                                     "drain": drain})["request-id"]
        status = {}

        def completed():
            status.update(self.get(f"/jobs/{job_id}/savepoints/{request}"))
            return status.get("status", {}).get("id") == "COMPLETED"

        self.wait_for(completed, timeout, "the savepoint did not complete")
        operation = status["operation"]
        if "failure-cause" in operation:
            raise AssertionError(f"the savepoint failed: {operation['failure-cause']}")
        return operation["location"]

    def _vertex_metric(self, job_id: str, vertex_name_part: str, suffix: str):
        """(the vertex, its subtasks' URL, the full name of the metric ending with suffix)."""
        job = self.get(f"/jobs/{job_id}")
        vertex = next(v for v in job["vertices"] if vertex_name_part in v["name"])
        base = f"/jobs/{job_id}/vertices/{vertex['id']}/subtasks"
        listed = [m["id"] for m in self.get(f"{base}/metrics")]
        names = [name for name in listed if name.endswith(suffix)]
        # The Python backend's writer is a Python operator chained before a Java sink that
        # sends nothing: Flink's sink-writer metrics (numRecordsSend...) exist on both, and the
        # Java one reads 0. The Python writer's are the sink's.
        names.sort(key=lambda name: PYTHON_WRITER_SCOPE not in name)
        if not names:
            raise KeyError(f"no metric ending in {suffix!r} on {vertex['name']} "
                           f"(it has {sorted(listed)})")
        return vertex, base, names[0]

    def vertex_metric(self, job_id: str, vertex_name_part: str, suffix: str) -> float:
        """The sum over the subtasks of the vertex of the metric whose name ends with suffix."""
        _, base, name = self._vertex_metric(job_id, vertex_name_part, suffix)
        return float(self.get(f"{base}/metrics?get={name}&agg=sum")[0]["sum"])

    def vertex_metric_per_subtask(self, job_id: str, vertex_name_part: str,
                                  suffix: str) -> list:
        """The metric whose name ends with suffix, of each subtask of the vertex, in subtask
        order. A histogram of a subtask that never recorded a value reads NaN, and so does a
        metric the subtask never registered (a Python function's, before it reported)."""
        vertex, base, name = self._vertex_metric(job_id, vertex_name_part, suffix)
        values = []
        for index in range(vertex["parallelism"]):
            found = self.get(f"{base}/{index}/metrics?get={name}")
            values.append(float(found[0]["value"]) if found else float("nan"))
        return values

    @staticmethod
    def wait_for(condition, timeout: float, message: str, interval: float = 0.5):
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            try:
                if condition():
                    return
            except (KeyError, OSError, StopIteration) as e:
                last_error = e
            time.sleep(interval)
        raise AssertionError(message + (f" (last error: {last_error!r})" if last_error else ""))
