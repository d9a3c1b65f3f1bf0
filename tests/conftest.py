import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# AUTO credentials end with the instance metadata service (both backends): never probe its
# address from tests, here or in child processes; the test of that step sets its own endpoint.
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

from tests.support.localstack import LocalStack  # noqa: E402


@pytest.fixture(scope="session")
def localstack():
    """One LocalStack for the whole run, on a free port of 127.0.0.1; stopped at the end."""
    instance = LocalStack().start()
    try:
        yield instance
    finally:
        instance.stop()
