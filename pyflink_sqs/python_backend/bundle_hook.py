"""The end of a PyFlink bundle: the one point of the Python runtime that every checkpoint
passes. PyFlink's Java operator finishes the bundle in prepareSnapshotPreBarrier (before the
barrier goes on), at end of input, and when the bundle's size or time limit is reached; the
Python side then calls its operation's finish(). A Python function is not told, so this module
wraps the finish() of the operation that runs the function, found while PyFlink opens it.

This relies on internals of PyFlink's process execution mode (pyflink.fn_execution, the same in
PyFlink 1.20 to 2.3) and of Beam (the instruction id of the bundle being processed, in
apache_beam.runners.worker.statesampler of Beam 2.48 to 2.61). Should either change so that the
hook stops running, the records the writer holds are not sent at a bundle end, and a checkpoint
can complete without them. Two checks catch such a change, neither at the checkpoint itself:
attach() fails at open() when the operation is not found; and the first record of each bundle
(a bundle is one Beam instruction) fails the job, naming the PyFlink version, when Beam reports
no instruction or the bundle before it took records and did not end through the hook.
Guaranteed: the job fails at the first record after such a bundle end. Not guaranteed: a
checkpoint that completed in between may lack records of that bundle still held then (a
restore from it loses them), and if no record follows (an idle source, end of input), nothing
fails.
"""
import inspect
from typing import Callable

JAVA_BACKEND_ADVICE = "use the Java backend (set_backend('java'))"


class BundleHookUnavailable(RuntimeError):
    pass


def _pyflink_version() -> str:
    try:
        from pyflink.version import __version__
        return __version__
    except ImportError:  # pragma: no cover -- every PyFlink we support has it
        return "(unknown version)"


class BundleHook:
    """Runs on_bundle_end() at the start of every bundle end of the operation that runs the
    function calling attach(); its exception fails the bundle, hence the checkpoint or the job.
    The function calls on_record() for every record it takes."""

    def __init__(self, on_bundle_end: Callable[[], None]):
        from apache_beam.runners.worker import statesampler

        self._current_bundle = statesampler.get_current_instruction_id
        self._bundle = None          # the Beam instruction of the last record
        self._unflushed = False      # records taken since the hook last ran
        self.bundle_ends = 0         # how often the hook ran (for tests and the log)
        operation = _calling_operation()
        original_finish = operation.finish

        def finish():
            self._unflushed = False
            self.bundle_ends += 1
            on_bundle_end()
            original_finish()

        operation.finish = finish

    def on_record(self) -> None:
        """Raises BundleHookUnavailable when the bundle of the previous record ended without the
        hook: PyFlink no longer calls the finish() we wrapped."""
        bundle = self._current_bundle()
        if bundle is None:
            raise BundleHookUnavailable(
                f"the Python backend of SqsSink cannot tell PyFlink {_pyflink_version()}'s "
                f"bundles apart (Beam reports no instruction id while a record is processed), "
                f"so it cannot prove that records are sent before each checkpoint; "
                f"{JAVA_BACKEND_ADVICE}")
        if bundle != self._bundle:
            if self._unflushed:
                raise BundleHookUnavailable(
                    f"a PyFlink bundle ended without the Python backend of SqsSink being told "
                    f"(PyFlink {_pyflink_version()} no longer calls the operation's finish() "
                    f"that the backend wraps), so records could have missed a checkpoint; the "
                    f"Python backend does not work with this PyFlink: {JAVA_BACKEND_ADVICE}")
            self._bundle = bundle
        self._unflushed = True


def attach(on_bundle_end: Callable[[], None]) -> BundleHook:
    """Call from the function's open(): hooks the bundle ends of the operation running it."""
    return BundleHook(on_bundle_end)


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
        f"the Python backend of SqsSink cannot attach to the bundles of PyFlink "
        f"{_pyflink_version()}: it did not find the PyFlink operation running it, which it "
        f"finds in PyFlink's process execution mode of PyFlink 1.20 to 2.3 (not in thread "
        f"mode, python.execution-mode: thread); records could miss checkpoints, so it refuses "
        f"to run: {JAVA_BACKEND_ADVICE}")
