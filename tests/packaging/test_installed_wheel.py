"""The package as users get it: the wheel installed in this venv (the Makefile installs it into
each .venvs/flink-<version> after that apache-flink), with no JDK compiler anywhere on PATH."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from importlib import metadata

import pytest

from tests.support.processes import child_environment
from tests.support.queues import create_queue, drain

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LINES = ("1.20.5", "2.0.2", "2.1.3", "2.2.1", "2.3.0")


def venv_flink_version():
    """The apache-flink this venv was made for: .venvs/flink-<version>."""
    name = os.path.basename(sys.prefix)
    return name[len("flink-"):] if name.startswith("flink-") else None


pytestmark = pytest.mark.skipif(
    venv_flink_version() is None,
    reason="runs in the per-line venvs the Makefile makes (.venvs/flink-<version>)")


@pytest.mark.smoke
def test_installing_the_wheel_left_apache_flink_as_it_was():
    assert metadata.version("apache-flink") == venv_flink_version()
    requirement = next(r for r in metadata.requires("pyflink-sqs") if r.startswith("apache-flink"))
    from packaging.specifiers import SpecifierSet

    specifier = SpecifierSet(requirement[len("apache-flink"):].split(";")[0])
    assert all(line in specifier for line in LINES), requirement


@pytest.mark.smoke
def test_pip_would_change_nothing_installing_the_package_again():
    """What pip would do for `pip install pyflink-sqs[dev]` here, read from its own report."""
    wheel = os.path.join(ROOT, "dist", f"pyflink_sqs-{metadata.version('pyflink-sqs')}-py3-none-any.whl")
    report = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--report", "-",
         f"{wheel}[dev]"], capture_output=True, text=True, check=True)
    planned = {item["metadata"]["name"] for item in json.loads(report.stdout)["install"]}
    assert not planned & {"apache-flink", "apache-flink-libraries", "apache-beam"}, planned


@pytest.mark.smoke
def test_the_installed_wheel_runs_a_java_backend_job_with_no_javac_on_path(localstack, tmp_path):
    queue = create_queue(localstack.endpoint)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # Every tool of the system but the JDK's compiler; java itself from the JDK's bin.
    for directory in ("/usr/local/bin", "/usr/bin", "/bin"):
        for name in os.listdir(directory) if os.path.isdir(directory) else ():
            target = bin_dir / name
            if not name.startswith("javac") and not target.exists():
                target.symlink_to(os.path.join(directory, name))
    java = os.path.realpath(shutil.which("java"))
    (bin_dir / "java").unlink(missing_ok=True)
    (bin_dir / "java").symlink_to(java)
    script = tmp_path / "job.py"
    script.write_text(textwrap.dedent(f"""
        import shutil, sys, os
        assert shutil.which("javac") is None, shutil.which("javac")
        import pyflink_sqs
        assert os.sep + "site-packages" + os.sep in pyflink_sqs.__file__, pyflink_sqs.__file__
        from pyflink.common import Types
        from pyflink.common.serialization import SimpleStringSchema
        from pyflink.datastream import StreamExecutionEnvironment
        from pyflink_sqs import AWSConfigConstants as C, SqsSink
        sink = (SqsSink.builder().set_sqs_url({queue!r})
                .set_serialization_schema(SimpleStringSchema())
                .set_sqs_client_properties({{C.AWS_REGION: "us-east-1",
                    C.AWS_ENDPOINT: {localstack.endpoint!r},
                    C.AWS_ACCESS_KEY_ID: "test", C.AWS_SECRET_ACCESS_KEY: "test"}})
                .set_backend("java").build())
        env = StreamExecutionEnvironment.get_execution_environment()
        env.set_parallelism(2)
        env.from_collection([f"w-{{i}}" for i in range(5000)], type_info=Types.STRING()) \\
            .sink_to(sink)
        env.execute("installed wheel")
        print("JOB DONE", pyflink_sqs.__file__)
        """))
    env = child_environment(PATH=str(bin_dir))
    env.pop("PYTHONPATH", None)
    with tempfile.TemporaryDirectory() as cwd:
        result = subprocess.run([sys.executable, str(script)], env=env, cwd=cwd,
                                capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "JOB DONE" in result.stdout
    received = drain(localstack.endpoint, queue, 5000)
    assert sorted(set(received)) == sorted(f"w-{i}" for i in range(5000))
