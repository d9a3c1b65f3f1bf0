"""tests/unit is pure Python logic: a test here that reaches a JVM through Py4J fails, naming
what to do (tests that need the JVM live in tests/jvm)."""
import sys

import pytest
from py4j.java_gateway import GatewayClient
from py4j.protocol import MEMORY_COMMAND_NAME, MEMORY_DEL_SUBCOMMAND_NAME

DETACH = MEMORY_COMMAND_NAME + MEMORY_DEL_SUBCOMMAND_NAME


@pytest.fixture(autouse=True)
def no_jvm():
    # Counted, not refused: raising inside Py4J could leave PyFlink's gateway half set up for
    # the tests that run after this one in the same process.
    commands = []
    send_command = GatewayClient.send_command

    def counted(self, command, *args, **kwargs):
        # Not a detach: Python's garbage collector may free a Java object's proxy an earlier
        # tests/jvm test made while this test runs, and Py4J then tells the JVM (CI: 19 such
        # commands failed a pure-Python test of the writer).
        if not command.startswith(DETACH):
            commands.append(command.split("\n", 1)[0])
        return send_command(self, command, *args, **kwargs)

    gateway_before = _pyflink_gateway()
    GatewayClient.send_command = counted
    try:
        yield
    finally:
        GatewayClient.send_command = send_command
    started = gateway_before is None and _pyflink_gateway() is not None
    if commands or started:
        pytest.fail(f"this unit test used the JVM ({len(commands)} Py4J commands "
                    f"{sorted(set(commands))}; PyFlink's "
                    f"gateway started by it: {started}): tests/unit is pure Python logic, so "
                    f"move the test to tests/jvm", pytrace=False)


def _pyflink_gateway():
    java_gateway = sys.modules.get("pyflink.java_gateway")
    return getattr(java_gateway, "_gateway", None)
