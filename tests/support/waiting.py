"""Waiting for a condition, never for a fixed time: polls until it holds or a deadline passes.
The deadline only bounds a hung test; a test's verdict never depends on how long things took."""
import time
from typing import Callable


def wait_until(condition: Callable[[], object], timeout: float, what: str,
               interval: float = 0.05):
    """Returns the condition's first truthy value; raises AssertionError naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting after {timeout} s for {what}")
        time.sleep(interval)
