"""Reaching the bridge's Java classes from tests through PyFlink's Py4J gateway."""
from pyflink_sqs import java_backend


def jvm():
    return java_backend.register_in_client().jvm


def java_class(name: str):
    gateway = java_backend.register_in_client()
    return getattr(gateway.jvm, name)


def run_java_main(source: str, args, work_dir) -> str:
    """Compiles a Java check from tests/unit/java against the bridge jar and Flink's jars,
    runs its main() in a fresh JVM and returns what it printed."""
    import glob
    import os
    import subprocess

    import pyflink

    lib = os.path.join(os.path.dirname(os.path.abspath(pyflink.__file__)), "lib")
    flink_jars = sorted(glob.glob(os.path.join(lib, "*.jar")))
    classpath = os.pathsep.join([java_backend.JAR_PATH, *flink_jars])
    source_path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "unit", "java", source)
    classes = os.path.join(str(work_dir), "classes")
    subprocess.run(["javac", "--release", "11", "-cp", classpath, "-d", classes, source_path],
                   check=True, capture_output=True, text=True)
    main_class = source[:-len(".java")].replace("/", ".")
    done = subprocess.run(["java", "-cp", os.pathsep.join([classes, classpath]), main_class,
                           *args], check=True, capture_output=True, text=True, timeout=120)
    return done.stdout
