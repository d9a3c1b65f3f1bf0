#!/usr/bin/env python3
"""Builds the Java bridge jar against the jars of the installed apache-flink.

Usage: python java-bridge/build.py [--output PATH] [--force]

Needs only a JDK (javac 11+) and apache-flink installed in the running interpreter (or
PYFLINK_HOME pointing at a pyflink directory). The jar also carries resources generated
from the Python tables they mirror (option defaults, error codes). Skips the build when
nothing it is made of changed.
"""
import argparse
import glob
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SOURCES = os.path.join(HERE, "src", "main", "java")
RESOURCES = os.path.join(HERE, "src", "main", "resources")
DEFAULT_OUTPUT = os.path.join(ROOT, "pyflink_sqs", "_jar", "pyflink-sqs-bridge.jar")
# Jar resources generated from the Python tables they mirror: resource -> (module, function).
GENERATED_RESOURCES = {
    "io/github/pyflinksqs/sink-options.properties":
        (os.path.join(ROOT, "pyflink_sqs", "config.py"), "java_defaults_properties"),
    "io/github/pyflinksqs/error-codes.properties":
        (os.path.join(ROOT, "pyflink_sqs", "error_codes.py"), "java_resource"),
}
# 2024-01-01: a fixed timestamp makes the jar byte-identical for identical inputs.
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


class BuildError(Exception):
    pass


def find_pyflink_home() -> str:
    home = os.environ.get("PYFLINK_HOME")
    if home:
        return home
    spec = importlib.util.find_spec("pyflink")
    if spec is None or not spec.submodule_search_locations:
        raise BuildError(
            "apache-flink is not installed in this Python; install it first "
            "(pip install apache-flink==2.3.*) or set PYFLINK_HOME to a pyflink directory")
    return list(spec.submodule_search_locations)[0]


def flink_classpath(pyflink_home: str) -> str:
    jars = sorted(glob.glob(os.path.join(pyflink_home, "lib", "*.jar")))
    jars += sorted(glob.glob(os.path.join(pyflink_home, "opt", "flink-python-*.jar")))
    if not any(os.path.basename(j).startswith("flink-dist") for j in jars):
        raise BuildError(f"no flink-dist jar under {pyflink_home}/lib")
    return os.pathsep.join(jars)


def generated_resource(module_path: str, function: str) -> bytes:
    # Loaded by path: importing the pyflink_sqs package would need pyflink at build time.
    name = "_pyflink_sqs_build_" + os.path.splitext(os.path.basename(module_path))[0]
    spec = importlib.util.spec_from_file_location(name, module_path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while creating classes
    spec.loader.exec_module(module)
    return getattr(module, function)().encode("utf-8")


def input_files():
    files = []
    for base in (SOURCES, RESOURCES):
        for dirpath, _, names in os.walk(base):
            files += [os.path.join(dirpath, n) for n in names]
    generators = sorted({module for module, _ in GENERATED_RESOURCES.values()})
    return sorted(files) + generators + [os.path.abspath(__file__)]


def fingerprint(classpath: str) -> str:
    digest = hashlib.sha256(classpath.encode())
    for path in input_files():
        digest.update(path.encode())
        with open(path, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


def compile_classes(classpath: str, classes_dir: str) -> None:
    javac = shutil.which("javac")
    if javac is None:
        raise BuildError("javac not found: install a JDK (11 or newer) to build the bridge jar")
    sources = [f for f in input_files() if f.endswith(".java")]
    command = [javac, "--release", "11", "-encoding", "UTF-8", "-Xlint:unchecked",
               "-cp", classpath, "-d", classes_dir] + sources
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError("javac failed:\n" + result.stdout + result.stderr)
    if result.stderr.strip():
        sys.stderr.write(result.stderr)


def write_jar(classes_dir: str, output: str, stamp: str) -> None:
    entries = {}
    for base in (classes_dir, RESOURCES):
        for dirpath, _, names in os.walk(base):
            for name in names:
                path = os.path.join(dirpath, name)
                entries[os.path.relpath(path, base).replace(os.sep, "/")] = path
    os.makedirs(os.path.dirname(output), exist_ok=True)
    partial = output + ".partial"
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as jar:
        def add(name, data):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            jar.writestr(info, data)

        add("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nCreated-By: pyflink-sqs\n\n")
        for resource, (module_path, function) in GENERATED_RESOURCES.items():
            add(resource, generated_resource(module_path, function))
        add("META-INF/pyflink-sqs.fingerprint", stamp)
        for name in sorted(entries):
            with open(entries[name], "rb") as f:
                add(name, f.read())
    os.replace(partial, output)


def current_stamp(output: str):
    try:
        with zipfile.ZipFile(output) as jar:
            return jar.read("META-INF/pyflink-sqs.fingerprint").decode()
    except (OSError, KeyError, zipfile.BadZipFile):
        return None


def build(output: str = DEFAULT_OUTPUT, force: bool = False) -> bool:
    """Returns True when it built, False when the jar was already up to date."""
    classpath = flink_classpath(find_pyflink_home())
    stamp = fingerprint(classpath)
    if not force and current_stamp(output) == stamp:
        return False
    with tempfile.TemporaryDirectory(prefix="pyflink-sqs-classes-") as classes_dir:
        compile_classes(classpath, classes_dir)
        write_jar(classes_dir, output, stamp)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=DEFAULT_OUTPUT)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    try:
        built = build(args.output, args.force)
    except BuildError as e:
        print(f"java-bridge: {e}", file=sys.stderr)
        return 1
    print(f"java-bridge: {'built' if built else 'up to date'}: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
