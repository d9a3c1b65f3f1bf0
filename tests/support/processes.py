"""Environments for child processes of a test session."""
import os

# Set in this process once PyFlink ran a Python function here (loopback mode); a child
# that inherits them refuses to start its own Java gateway.
_PYFLINK_RUNTIME_VARIABLES = ("PYFLINK_GATEWAY_DISABLED", "PYFLINK_GATEWAY_PORT",
                              "_PYFLINK_CONN_INFO_PATH", "PYTHON_LOOPBACK_SERVER_ADDRESS",
                              "_python_worker_execution_mode", "BOOT_LOG_DIR")


def child_environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _PYFLINK_RUNTIME_VARIABLES}
    env.update(extra)
    return env
