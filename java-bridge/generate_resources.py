#!/usr/bin/env python3
"""Writes the jar's resources that come from the Python tables they mirror, so option
defaults, bounds and error codes are written once (pyflink_sqs/config.py, error_codes.py).

Usage: python generate_resources.py OUTPUT_DIR   (run by Maven in generate-resources)

The modules are loaded by path: importing the pyflink_sqs package would need pyflink, which
the jar build does not.
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.join(os.path.dirname(HERE), "pyflink_sqs")
# resource -> (module file, function returning its text)
RESOURCES = {
    "io/github/pyflinksqs/sink-options.properties": ("config.py", "java_defaults_properties"),
    "io/github/pyflinksqs/error-codes.properties": ("error_codes.py", "java_resource"),
}


def load(module_file: str):
    name = "_pyflink_sqs_build_" + os.path.splitext(module_file)[0]
    spec = importlib.util.spec_from_file_location(name, os.path.join(PACKAGE, module_file))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while creating classes
    spec.loader.exec_module(module)
    return module


def main(output_dir: str) -> None:
    for resource, (module_file, function) in RESOURCES.items():
        text = getattr(load(module_file), function)()
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
