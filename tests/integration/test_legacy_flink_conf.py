"""Flink 1.20 still reads a legacy flink-conf.yaml when a conf directory has no config.yaml, and
then parses list options such as pipeline.jars split at ';', not as YAML. The Java backend adds
its jar to pipeline.jars: written the YAML way there, the job would not even be submitted (the
list's one element, "['file:...']", is no URL). Flink 2.x reads config.yaml alone.

The job's JVM loads the legacy file as `flink run` does (GlobalConfiguration.loadConfiguration,
which sets the legacy parsing for the process); a local job then builds its job graph from
pipeline.jars as a cluster submission does."""
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from pyflink.version import __version__ as pyflink_version

from pyflink_sqs.java_backend import JAR_PATH
from tests.support.processes import child_environment
from tests.support.queues import create_queue, drain, multiset_difference

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def legacy_conf_dir(tmp_path) -> str:
    conf = tmp_path / "conf"
    conf.mkdir()
    # The form of Flink 1.19 and before: flat "key: value" lines.
    (conf / "flink-conf.yaml").write_text("parallelism.default: 1\n"
                                          "taskmanager.numberOfTaskSlots: 2\n")
    return str(conf)


@pytest.mark.smoke
@pytest.mark.skipif(not pyflink_version.startswith("1."),
                    reason="Flink 2.x reads no flink-conf.yaml (config.yaml only)")
def test_with_a_legacy_flink_conf_the_java_backend_job_runs_beside_a_users_jar(
        localstack, tmp_path):
    queue = create_queue(localstack.endpoint)
    users_jar = tmp_path / "users.jar"  # a jar of the user's own, added with env.add_jars()
    shutil.copyfile(JAR_PATH, users_jar)
    records = [f"legacy-{i}" for i in range(25)]
    script = tmp_path / "legacy_conf_job.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {ROOT!r})
        from pyflink.datastream import StreamExecutionEnvironment
        from pyflink.java_gateway import get_gateway
        from tests.support.flink import run_job, sink_builder

        jvm = get_gateway().jvm
        jvm.org.apache.flink.configuration.GlobalConfiguration.loadConfiguration(
            {legacy_conf_dir(tmp_path)!r})
        print("STANDARD YAML", jvm.org.apache.flink.configuration.GlobalConfiguration
              .isStandardYaml())
        env = StreamExecutionEnvironment.get_execution_environment()
        env.add_jars("file://" + {str(users_jar)!r})
        run_job({records!r}, sink_builder({queue!r}, {localstack.endpoint!r}, "java").build(),
                parallelism=1, env=env)
        config = jvm.org.apache.flink.python.util.PythonConfigUtil.getEnvironmentConfig(
            env._j_stream_execution_environment)
        print("JARS", config.getString("pipeline.jars", None))
        """))
    result = subprocess.run([sys.executable, str(script)], timeout=300, capture_output=True,
                            text=True, env=child_environment())
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "STANDARD YAML False" in result.stdout, result.stdout  # else this proves nothing
    (jars,) = [line[len("JARS "):] for line in result.stdout.splitlines()
               if line.startswith("JARS ")]
    assert jars.split(";") == ["file://" + str(users_jar), "file://" + JAR_PATH]
    missing, unexpected = multiset_difference(records, drain(localstack.endpoint, queue,
                                                             len(records)))
    assert not missing and not unexpected
