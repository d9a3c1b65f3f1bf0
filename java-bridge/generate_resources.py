#!/usr/bin/env python3
"""Writes the jar's resources that come from the Python tables they mirror, so option
defaults, bounds, error codes, the large-payload format, message rules, retry pacing and the
warnings' interval are written once (pyflink_sqs/config.py, error_codes.py, large_payload.py,
message_rules.py, retries.py, python_backend/rate_limited_log.py).

Usage: python generate_resources.py OUTPUT_DIR   (run by Maven in generate-resources)

The modules are loaded without the pyflink_sqs package's __init__: it would need pyflink,
which the jar build does not have.
"""
import importlib
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.join(os.path.dirname(HERE), "pyflink_sqs")
# resource -> (module, function returning its text)
RESOURCES = {
    "io/github/pyflinksqs/sink-options.properties": ("config", "java_defaults_properties"),
    "io/github/pyflinksqs/error-codes.properties": ("error_codes", "java_resource"),
    "io/github/pyflinksqs/large-payload.properties": ("large_payload", "java_resource"),
    "io/github/pyflinksqs/message-rules.properties": ("message_rules", "java_resource"),
    "io/github/pyflinksqs/retries.properties": ("retries", "java_resource"),
    "io/github/pyflinksqs/rate-limited-log.properties": ("python_backend.rate_limited_log",
                                                        "java_resource"),
}


def load(module: str):
    """pyflink_sqs.<module> without running the package's __init__ (which imports pyflink):
    the package is a bare module whose path is the source folder, so the tables' own imports
    of each other (pyflink_sqs.config, ...) work as in the package."""
    if "pyflink_sqs" not in sys.modules:
        package = types.ModuleType("pyflink_sqs")
        package.__path__ = [PACKAGE]
        sys.modules["pyflink_sqs"] = package
    return importlib.import_module("pyflink_sqs." + module)


def main(output_dir: str) -> None:
    for resource, (module, function) in RESOURCES.items():
        text = getattr(load(module), function)()
        path = os.path.join(output_dir, resource)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # Written only when changed, so Maven sees no new input when nothing changed.
        if os.path.exists(path) and open(path, encoding="utf-8").read() == text:
            continue
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
