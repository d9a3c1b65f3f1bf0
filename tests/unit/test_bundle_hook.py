"""The bundle hook's proof that it runs: every record checks that the bundle (Beam instruction)
before its own ended through the hook, and the job fails, naming PyFlink's version and the
Java backend, when one did not. Driven here by hand as PyFlink drives it: open() from a method
of a PyFlink operation, records and finish() inside Beam instructions."""
import pytest
from apache_beam.runners.worker import statesampler
from pyflink.fn_execution.datastream.process.operations import Operation
from pyflink.version import __version__ as PYFLINK_VERSION

from pyflink_sqs.python_backend import bundle_hook
from pyflink_sqs.python_backend.bundle_hook import BundleHookUnavailable


class FakeOperation(Operation):
    """A PyFlink operation without PyFlink: open() runs the function's open() as PyFlink's
    does (so `self` is on the stack), finish() is what PyFlink calls at a bundle end."""

    def __init__(self, function_open):  # noqa: super().__init__ needs a serialized function
        self.function_open = function_open
        self.finished = 0

    def open(self):
        self.function_open()

    def finish(self):
        self.finished += 1


def opened_hook():
    bundle_ends = []
    hooks = []
    operation = FakeOperation(lambda: hooks.append(
        bundle_hook.attach(lambda: bundle_ends.append(statesampler.get_current_instruction_id()))))
    operation.open()
    return operation, hooks[0], bundle_ends


def test_the_hook_runs_before_the_operations_own_finish_at_every_bundle_end():
    operation, hook, bundle_ends = opened_hook()
    for bundle in ("1", "2", "3"):
        with statesampler.instruction_id(bundle):
            hook.on_record()
            hook.on_record()
            operation.finish()
    assert bundle_ends == ["1", "2", "3"]
    assert operation.finished == 3
    assert hook.bundle_ends == 3


def test_a_bundle_that_ended_without_the_hook_fails_the_next_record():
    operation, hook, _ = opened_hook()
    with statesampler.instruction_id("1"):
        hook.on_record()
    # PyFlink ended bundle 1 without calling the finish() the hook wrapped.
    with statesampler.instruction_id("2"):
        with pytest.raises(BundleHookUnavailable) as error:
            hook.on_record()
    assert f"PyFlink {PYFLINK_VERSION} no longer calls the operation's finish()" in str(error.value)
    assert "set_backend('java')" in str(error.value)


def test_records_outside_any_beam_instruction_fail_as_unprovable():
    _, hook, _ = opened_hook()
    with pytest.raises(BundleHookUnavailable, match=f"PyFlink {PYFLINK_VERSION}.*cannot prove"):
        hook.on_record()


def test_a_function_not_run_by_a_pyflink_operation_is_refused_at_open():
    with pytest.raises(BundleHookUnavailable) as error:
        bundle_hook.attach(lambda: None)
    text = str(error.value)
    assert f"PyFlink {PYFLINK_VERSION}" in text
    assert "python.execution-mode: thread" in text and "set_backend('java')" in text
    assert "PyFlink 2.x" not in text
