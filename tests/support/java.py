"""Reaching the bridge's Java classes from tests through PyFlink's Py4J gateway."""
from pyflink_sqs import java_backend


def jvm():
    return java_backend.register_in_client().jvm


def java_class(name: str):
    gateway = java_backend.register_in_client()
    return getattr(gateway.jvm, name)
