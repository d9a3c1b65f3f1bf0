"""Where the Python writer's SendMessageBatch calls run: an asyncio event loop, each call a task
on it, that PyFlink's worker thread itself runs, in a short turn after it hands a batch to a
call, and until the calls it waits for have ended at bundle ends and under backpressure.

Not a thread per call, nor a thread for the loop: every Python thread that wakes for an answer
first waits for the GIL, which the worker thread holds while it decodes records and runs the
job's functions, and those hand-offs cost more than the calls. Measured (2026-12-08):
- our client alone against the no-op endpoint at 0 ms, 50 calls at once: 210 us of CPU per
  call on 50 threads, 77 as tasks on one loop (benchmarks/python_clients.py);
- the typical job (python map -> python backend, p1, 0 ms): with calls on 50 threads the
  Python process spent 5.3-6.1 CPU s per 100 k records, 2.6 when the calls were replaced by
  outcomes answered at once, 3.2 with calls on this loop; with the loop on a thread of its own,
  calls waited for that thread to get the GIL (12 ms a call against a 0 ms endpoint).

What the loop not running between turns means: an answer that arrives while the worker waits
for records (a pause in the input) is read at the next record's turn or at the bundle end, and
a retry's backoff may end later than drawn, by as long. Every bundle end (each checkpoint's,
the end of input's, and the one PyFlink's bundle timer starts max_time_in_buffer_ms after a
bundle's first record) runs the loop until every call has ended, so that is the latest a call
waits for the loop; nothing counts as delivered before a bundle end saw its answer, as before.
"""
import asyncio
import logging
from typing import Callable, Coroutine, Optional

LOG = logging.getLogger(__name__)


class CallLoop:
    """Every method on the thread that runs the writer (the worker thread; PyFlink may move a
    function between its threads from bundle to bundle, never run it on two at once)."""

    def __init__(self):
        self._loop = asyncio.new_event_loop()
        self._progress: Optional[asyncio.Future] = None
        self._closed = False
        self._cleanup: Callable[[], None] = lambda: None

    def start(self, call: Callable[..., Coroutine], *args) -> None:
        """call(*args) as a task; it begins at the next turn (or run_until)."""
        self._loop.create_task(_guarded(call, args))

    def turn(self) -> None:
        """Runs what is ready now (answers arrived, calls to begin), without waiting."""
        self._loop.call_soon(self._loop.stop)
        self._loop.run_forever()

    def run_until(self, done: Callable[[], bool]) -> None:
        """Runs the loop until done() holds; done() is checked after every progress() a task
        reports (a call that ended or settled entries)."""
        while not done():
            if self._closed:
                self._close_here()
                raise WriterClosed("the SqsSink writer was closed while it waited for its calls")
            self._progress = self._loop.create_future()
            self._loop.run_until_complete(self._progress)

    def progress(self) -> None:
        """From a task on the loop: something run_until() may be waiting for has happened."""
        if self._progress is not None and not self._progress.done():
            self._progress.set_result(None)

    def shutdown(self, cleanup: Callable[[], None]) -> None:
        """Cancels every call still running (each ends at its next wait), then cleanup() (a
        client closing its connections, which belong to the loop) and closes the loop."""
        if self._loop.is_closed():
            return
        self._closed, self._cleanup = True, cleanup
        if self._loop.is_running():  # on the thread held in run_until(): it closes it there
            self._loop.call_soon_threadsafe(self._cancel_calls)
            return
        self._close_here()

    def _close_here(self) -> None:
        loop = self._loop
        try:
            calls = asyncio.all_tasks(loop)
            for call in calls:
                call.cancel()
            if calls:
                loop.run_until_complete(asyncio.gather(*calls, return_exceptions=True))
            self._cleanup()
        finally:
            loop.close()

    def _cancel_calls(self) -> None:
        for call in asyncio.all_tasks(self._loop):
            call.cancel()
        self.progress()


class WriterClosed(Exception):
    """PyFlink closed the writer on another thread while the worker thread waited in it."""


async def _guarded(call, args) -> None:
    try:
        await call(*args)
    except asyncio.CancelledError:
        raise
    except BaseException:  # noqa: BLE001 -- a call hands its own errors back; not this
        LOG.exception("a SendMessageBatch call raised past its own error handling")
