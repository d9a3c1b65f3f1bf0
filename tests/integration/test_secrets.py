"""No secret in any log line or output, even with DEBUG logging everywhere, for a job that
fails on purpose (refused credentials) on each backend."""
import os
import shutil
import subprocess
import sys
import textwrap

import pyflink
import pytest

from tests.support.processes import child_environment
from tests.support.queues import create_queue

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEsecret"
TOKEN = "FwoGZXIvYXdzEXAMPLEsessionTOKENvalue0123456789"


def debug_flink_conf(directory) -> str:
    conf = directory / "conf"
    shutil.copytree(os.path.join(os.path.dirname(pyflink.__file__), "conf"), conf)
    for name in os.listdir(conf):
        if name.startswith("log4j") and name.endswith(".properties"):
            with open(conf / name, "a") as f:
                f.write("\nrootLogger.level = DEBUG\n")
    return str(conf)


@pytest.mark.parametrize("backend", ["java", "python"])
def test_a_failing_job_with_debug_logging_never_shows_the_secret(localstack, backend,
                                                                   tmp_path):
    queue = create_queue(localstack.endpoint)
    script = tmp_path / "failing_job.py"
    script.write_text(textwrap.dedent(f"""
        import logging
        import sys
        sys.path.insert(0, {ROOT!r})
        logging.basicConfig(level=logging.DEBUG)
        from pyflink_sqs import AWSConfigConstants as C
        from tests.support.fault_proxy import RefusingProxy
        from tests.support.flink import run_job, sink_builder
        with RefusingProxy({localstack.endpoint!r}, 403, "InvalidClientTokenId",
                           "The security token included in the request is invalid.") as proxy:
            sink = sink_builder({queue!r}, None, {backend!r}).set_sqs_client_properties({{
                C.AWS_REGION: "us-east-1", C.AWS_ENDPOINT: proxy.endpoint,
                C.AWS_ACCESS_KEY_ID: "AKIASECRETTEST", C.AWS_SECRET_ACCESS_KEY: {SECRET!r},
                C.AWS_SESSION_TOKEN: {TOKEN!r}}}).build()
            print("SINK", repr(sink))
            try:
                run_job(["a", "b", "c"], sink, parallelism=1)
            except Exception as e:
                print("FAILED AS EXPECTED:", e)
        """))
    log_dir = tmp_path / "log"
    log_dir.mkdir()
    env = child_environment(FLINK_CONF_DIR=debug_flink_conf(tmp_path),
                            FLINK_LOG_DIR=str(log_dir))
    result = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                            text=True, timeout=300)
    assert "FAILED AS EXPECTED" in result.stdout, result.stdout[-2000:] + result.stderr[-3000:]
    assert "InvalidClientTokenId" in result.stdout
    logs = {path: path.read_text(errors="replace") for path in log_dir.iterdir()}
    assert sum(len(text) for text in logs.values()) > 100_000, "DEBUG logging was not on"
    for secret in (SECRET, TOKEN):
        assert secret not in result.stdout and secret not in result.stderr
        leaks = [line[:400] for text in logs.values() for line in text.splitlines()
                 if secret in line]
        assert leaks == [], leaks[:3]
