"""The end of a PyFlink bundle: the one point of the Python runtime that every checkpoint
passes. PyFlink's Java operator finishes the bundle in prepareSnapshotPreBarrier (before the
barrier goes on), at end of input, and when the bundle's size or time limit is reached; the
Python side then calls its operation's finish(). A Python function is not told, so this module
wraps the finish() of the operation that runs the function, found while PyFlink opens it.

This relies on PyFlink internals (pyflink.fn_execution, 2.x): if they change, attach() fails
loudly at open() rather than let records miss a checkpoint.
"""
import inspect
from typing import Callable


class BundleHookUnavailable(RuntimeError):
    pass


def attach(on_bundle_end: Callable[[], None]) -> None:
    """Runs on_bundle_end() at the start of every bundle end of the calling function's
    operation; its exception fails the bundle, hence the checkpoint or the job."""
    operation = _calling_operation()
    original_finish = operation.finish

    def finish():
        on_bundle_end()
        original_finish()

    operation.finish = finish


def _calling_operation():
    from pyflink.fn_execution.datastream.process.operations import Operation

    frame = inspect.currentframe()
    try:
        while frame is not None:
            candidate = frame.f_locals.get("self")
            if isinstance(candidate, Operation):
                return candidate
            frame = frame.f_back
    finally:
        del frame
    raise BundleHookUnavailable(
        "the Python backend of SqsSink cannot attach to PyFlink's bundle lifecycle (it needs "
        "PyFlink 2.x in process execution mode); records could miss checkpoints, so it refuses "
        "to run: use the Java backend (set_backend('java'))")
