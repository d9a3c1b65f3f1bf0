"""build() decides whether the Java bridge can run by linking every class of the jar against
this Flink (LinkageCheck.java): a class the task managers would fail to load, or a Flink
method that is not there, fails build() naming it, instead of a task manager later."""
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile

import pytest

from tests.support.processes import child_environment

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAR = os.path.join(ROOT, "pyflink_sqs", "_jar", "pyflink-sqs-bridge.jar")

# Compiled against stand-ins of Flink API that no Flink line has: what a bridge built for
# another line would hold.
STANDINS = {
    "org/apache/flink/connector/base/sink/writer/NoSuchBuffer.java":
        "package org.apache.flink.connector.base.sink.writer; public class NoSuchBuffer {}",
    "org/apache/flink/api/common/JobID.java":
        "package org.apache.flink.api.common; public class JobID {"
        " public static JobID generate() { return null; }"
        " public String noSuchMethod() { return null; } }",
}
PROBE = """
package io.github.pyflinksqs.sink;

public class LinkageProbe {
    static Object missingClass() {
        return new org.apache.flink.connector.base.sink.writer.NoSuchBuffer();
    }

    static Object missingMethod() {
        return org.apache.flink.api.common.JobID.generate().noSuchMethod();
    }
}
"""


def jar_with_probe(tmp_path) -> str:
    sources = tmp_path / "src"
    for path, text in {**STANDINS, "io/github/pyflinksqs/sink/LinkageProbe.java": PROBE}.items():
        (sources / path).parent.mkdir(parents=True, exist_ok=True)
        (sources / path).write_text(text)
    classes = tmp_path / "classes"
    subprocess.run([shutil.which("javac"), "--release", "11", "-d", str(classes),
                    *[str(p) for p in sources.rglob("*.java")]], check=True)
    site = tmp_path / "site"
    shutil.copytree(os.path.join(ROOT, "pyflink_sqs"), site / "pyflink_sqs",
                    ignore=shutil.ignore_patterns("__pycache__"))
    target = site / "pyflink_sqs" / "_jar" / "pyflink-sqs-bridge.jar"
    with zipfile.ZipFile(JAR) as original, zipfile.ZipFile(target, "w") as jar:
        for item in original.infolist():
            jar.writestr(item, original.read(item))
        jar.write(classes / "io/github/pyflinksqs/sink/LinkageProbe.class",
                  "io/github/pyflinksqs/sink/LinkageProbe.class")
    return str(site)


def test_a_class_or_method_this_flink_lacks_fails_build_naming_it(tmp_path):
    site = jar_with_probe(tmp_path)
    script = tmp_path / "build.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path[:0] = [{site!r}, {ROOT!r}]
        from tests.support.flink import sink_builder
        try:
            sink_builder("https://sqs.us-east-1.amazonaws.com/1/q", "http://127.0.0.1:1").build()
        except ValueError as e:
            print(e)
        """))
    result = subprocess.run([sys.executable, str(script)], env=child_environment(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "backend 'java' (the default) cannot run here" in out, out
    assert "does not link with this Flink (apache-flink" in out, out
    assert ("io.github.pyflinksqs.sink.LinkageProbe needs "
            "org.apache.flink.connector.base.sink.writer.NoSuchBuffer") in out, out
    assert ("io.github.pyflinksqs.sink.LinkageProbe needs "
            "org.apache.flink.api.common.JobID.noSuchMethod()") in out, out
    assert "set_backend('python')" in out


@pytest.mark.smoke
def test_the_shipped_jar_links_with_this_flink():
    from pyflink_sqs import java_backend

    java_backend.check_loadable()
