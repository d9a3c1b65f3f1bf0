"""The threads the Python writer's large-payload PUTs to S3 run on (boto3 blocks; SendMessageBatch
calls run on the call loop instead, call_loop.py).

Not a ThreadPoolExecutor: the interpreter joins its threads when it exits. In a local job the
writer runs in the job's own process, and when such a job is cancelled while its PUTs retry
(an endpoint that stays unreachable: transient errors are retried without end), PyFlink never
closes the writer, so those threads never end and `python job.py` would never exit. Ours are
daemon threads. That loses nothing: a record counts as delivered only once a bundle end (a
checkpoint, or the end of input) has seen its call answered.

Threads start as calls need them, up to `size`, and then stay.
"""
import logging
import queue
import threading
from typing import Callable

LOG = logging.getLogger(__name__)


class CallThreads:
    def __init__(self, size: int, name: str):
        self._size = size
        self._name = name
        self._tasks = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)
        self._threads = []

    def submit(self, call: Callable, *args) -> None:
        if not self._idle.acquire(blocking=False) and len(self._threads) < self._size:
            thread = threading.Thread(target=self._run, daemon=True,
                                      name=f"{self._name}_{len(self._threads)}")
            self._threads.append(thread)
            thread.start()
        self._tasks.put((call, args))

    def shutdown(self) -> None:
        """Drops calls not started yet; each thread ends after the call it is making."""
        try:
            while True:
                self._tasks.get_nowait()
        except queue.Empty:
            pass
        for _ in self._threads:
            self._tasks.put(None)

    def _run(self) -> None:
        while True:
            task = self._tasks.get()
            if task is None:
                return
            call, args = task
            try:
                call(*args)
            except BaseException:  # noqa: BLE001 -- a call hands its own errors back; not this
                LOG.exception("a call raised past its own error handling")
            self._idle.release()
