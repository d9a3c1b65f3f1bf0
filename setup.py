"""Builds the Java bridge jar (java-bridge/build.py) as part of building the package."""
import importlib.util
import os
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


class BuildPyWithBridgeJar(build_py):
    def run(self):
        spec = importlib.util.spec_from_file_location(
            "pyflink_sqs_bridge_build", os.path.join(HERE, "java-bridge", "build.py"))
        bridge = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bridge)
        try:
            bridge.build()
        except bridge.BuildError as e:
            if os.environ.get("PYFLINK_SQS_REQUIRE_JAR") == "1":
                raise SystemExit(f"java-bridge: {e}")
            # Still installable: the Python backend works without the jar.
            print(f"WARNING: java-bridge not built, the Java backend will be unavailable: {e}",
                  file=sys.stderr)
        super().run()


setup(cmdclass={"build_py": BuildPyWithBridgeJar})
