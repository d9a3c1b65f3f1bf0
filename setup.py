"""Builds the Java bridge jar with Maven when the package is built (wheel or sdist install).

The wheel carries the jar (pyflink_sqs/_jar/pyflink-sqs-bridge.jar), so installing the wheel
needs no JDK and no Maven; building it needs both (`mvn` on PATH, a JDK 11+), as building from
the sdist does. The jar is rebuilt only when a file it is made of is newer than it.
"""
import os
import shutil
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
BRIDGE = os.path.join(HERE, "java-bridge")
JAR = os.path.join(HERE, "pyflink_sqs", "_jar", "pyflink-sqs-bridge.jar")
# What the jar is made of, besides java-bridge/src: the Python tables it carries.
TABLES = [os.path.join(HERE, "pyflink_sqs", name) for name in ("config.py", "error_codes.py")]


def jar_inputs():
    files = [os.path.join(BRIDGE, "pom.xml"), os.path.join(BRIDGE, "generate_resources.py"),
             *TABLES]
    for dirpath, _, names in os.walk(os.path.join(BRIDGE, "src", "main")):
        files += [os.path.join(dirpath, name) for name in names]
    return files


def jar_is_current() -> bool:
    if not os.path.isfile(JAR):
        return False
    built = os.path.getmtime(JAR)
    return all(os.path.getmtime(path) <= built for path in jar_inputs())


def build_jar() -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise SystemExit(
            "pyflink-sqs: building the package builds its Java bridge with Maven, and `mvn` is "
            "not on PATH; install Maven and a JDK 11+, or install the released wheel instead "
            "(it carries the jar and needs neither)")
    command = [mvn, "-B", "-q", "-f", os.path.join(BRIDGE, "pom.xml"), "package",
               "-DskipTests", f"-Dpython.executable={sys.executable}"]
    subprocess.check_call(command, cwd=BRIDGE)
    if not os.path.isfile(JAR):
        raise SystemExit(f"pyflink-sqs: Maven finished without writing {JAR}")


class BuildPyWithBridgeJar(build_py):
    def run(self):
        if not jar_is_current():
            build_jar()
        super().run()


setup(cmdclass={"build_py": BuildPyWithBridgeJar})
