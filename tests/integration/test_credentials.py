"""Credential providers beyond static keys, on both backends, against LocalStack's STS: what
signs the SendMessageBatch calls is read off the wire through a recording proxy."""
import re

import pytest
from pyflink.datastream import StreamExecutionEnvironment

from pyflink_sqs import AWSConfigConstants as C
from tests.support.flink import Numbered, numbered_stream, run_job, sink_builder
from tests.support.queues import ACCESS_KEY, SECRET_KEY, create_queue, drain, multiset_difference
from tests.support.sqs_proxy import Reply, SqsProxy

BACKENDS = ["java", "python"]
ROLE = "arn:aws:iam::000000000000:role/pyflink-sqs-writer"


def signing_keys(proxy) -> list:
    """The access key of each SendMessageBatch call, in order."""
    return [re.search(r"Credential=([^/]+)/", b.headers["Authorization"]).group(1)
            for b in proxy.sent_batches()]


def with_properties(queue, proxy, backend, properties):
    return (sink_builder(queue, None, backend)
            .set_sqs_client_properties({C.AWS_REGION: "us-east-1",
                                        C.AWS_ENDPOINT: proxy.endpoint, **properties}))


def assume_role(localstack, **extra):
    return {C.AWS_CREDENTIALS_PROVIDER: "ASSUME_ROLE", C.AWS_ROLE_ARN: ROLE,
            C.AWS_ROLE_SESSION_NAME: "pyflink-sqs-test",
            C.AWS_ROLE_STS_ENDPOINT: localstack.endpoint,
            C.AWS_ROLE_CREDENTIALS_PROVIDER: "BASIC",
            C.access_key_id(C.AWS_ROLE_CREDENTIALS_PROVIDER): ACCESS_KEY,
            C.secret_key(C.AWS_ROLE_CREDENTIALS_PROVIDER): SECRET_KEY, **extra}


@pytest.mark.parametrize("backend", BACKENDS)
def test_assume_role_signs_with_the_temporary_key_sts_returned(localstack, backend):
    queue = create_queue(localstack.endpoint)
    records = [f"role-{i}" for i in range(300)]
    with SqsProxy(localstack.endpoint) as proxy:
        run_job(records, with_properties(queue, proxy, backend, assume_role(localstack))
                .build(), parallelism=1)
    keys = signing_keys(proxy)
    assert keys and ACCESS_KEY not in keys
    assert all(k.startswith(("ASIA", "LSIA")) for k in keys), keys  # STS-issued keys
    assert all("X-Amz-Security-Token" in b.headers for b in proxy.sent_batches())
    missing, unexpected = multiset_difference(records, drain(localstack.endpoint, queue, 300))
    assert not missing and not unexpected


# Java refreshes when half of a short session is left; botocore refreshes a session with less
# than 15 minutes left, and STS sessions last 900 s at least (botocore checks).
SHORT_SESSIONS = {"java": "4", "python": "900"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_temporary_credentials_are_refreshed_while_the_job_runs(localstack, backend):
    queue = create_queue(localstack.endpoint)
    properties = assume_role(localstack, **{C.AWS_ROLE_DURATION_SECONDS:
                                            SHORT_SESSIONS[backend]})
    with SqsProxy(localstack.endpoint) as proxy:
        env = StreamExecutionEnvironment.get_execution_environment()
        # 2,000 records over about 10 s, sent in small batches as they come.
        numbered_stream(env, 2_000, Numbered(per_second=200), parallelism=1).sink_to(
            with_properties(queue, proxy, backend, properties)
            .set_max_time_in_buffer_ms(100).build())
        env.execute("refresh")
    keys = signing_keys(proxy)
    assert len(set(keys)) >= 2, f"one key signed all {len(keys)} calls"
    assert len(drain(localstack.endpoint, queue, 2_000)) >= 2_000


class FlakyStsProxy(SqsProxy):
    """In front of STS: every other AssumeRole call answers HTTP 500, as STS does in a blip."""

    def __init__(self, upstream: str):
        super().__init__(upstream)
        self.assume_role_calls = 0
        self.failed = 0

    def intercept(self, request):
        if b"Action=AssumeRole" not in request.body:
            return None
        self.assume_role_calls += 1
        if self.assume_role_calls % 2 == 0:
            self.failed += 1
            return Reply(500, b"<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure"
                              b"</Code><Message>blip</Message></Error></ErrorResponse>",
                         {"Content-Type": "text/xml"})
        return None


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_failing_credentials_refresh_slows_the_job_and_never_fails_it(localstack, backend):
    queue = create_queue(localstack.endpoint)
    with FlakyStsProxy(localstack.endpoint) as sts, SqsProxy(localstack.endpoint) as proxy:
        properties = assume_role(localstack, **{C.AWS_ROLE_DURATION_SECONDS:
                                                SHORT_SESSIONS[backend],
                                                C.AWS_ROLE_STS_ENDPOINT: sts.endpoint})
        env = StreamExecutionEnvironment.get_execution_environment()
        numbered_stream(env, 2_000, Numbered(per_second=200), parallelism=1).sink_to(
            with_properties(queue, proxy, backend, properties)
            .set_max_time_in_buffer_ms(100).build())
        env.execute("flaky sts")
    assert sts.failed >= 1, "STS never failed: the test proved nothing"
    assert len(set(signing_keys(proxy))) >= 2
    received = drain(localstack.endpoint, queue, 2_000)
    assert set(received) == {f"n-{i}" for i in range(2_000)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_web_identity_token_signs_with_the_temporary_key(localstack, backend, tmp_path):
    queue = create_queue(localstack.endpoint)
    token = tmp_path / "token"
    token.write_text("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwaXBlbGluZSJ9.c2lnbmF0dXJl")
    properties = {C.AWS_CREDENTIALS_PROVIDER: "WEB_IDENTITY_TOKEN", C.AWS_ROLE_ARN: ROLE,
                  C.AWS_ROLE_SESSION_NAME: "pyflink-sqs-test",
                  C.AWS_WEB_IDENTITY_TOKEN_FILE: str(token),
                  C.AWS_ROLE_STS_ENDPOINT: localstack.endpoint}
    with SqsProxy(localstack.endpoint) as proxy:
        run_job(["w-1", "w-2", "w-3"], with_properties(queue, proxy, backend, properties)
                .build(), parallelism=1)
    keys = signing_keys(proxy)
    assert keys and all(k.startswith(("ASIA", "LSIA")) for k in keys), keys
    assert sorted(drain(localstack.endpoint, queue, 3)) == ["w-1", "w-2", "w-3"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_profile_of_a_credentials_file_signs(localstack, backend, tmp_path):
    queue = create_queue(localstack.endpoint)
    credentials = tmp_path / "credentials"
    credentials.write_text("[default]\naws_access_key_id = AKIADEFAULTPROFILE\n"
                           "aws_secret_access_key = default-secret\n\n"
                           "[pipeline]\naws_access_key_id = AKIAPIPELINEPROFILE\n"
                           "aws_secret_access_key = pipeline-secret\n")
    properties = {C.AWS_CREDENTIALS_PROVIDER: "PROFILE", C.AWS_PROFILE_PATH: str(credentials),
                  C.AWS_PROFILE_NAME: "pipeline"}
    with SqsProxy(localstack.endpoint) as proxy:
        run_job(["p-1", "p-2"], with_properties(queue, proxy, backend, properties).build(),
                parallelism=1)
    assert set(signing_keys(proxy)) == {"AKIAPIPELINEPROFILE"}
    assert sorted(drain(localstack.endpoint, queue, 2)) == ["p-1", "p-2"]


class MetadataServer:
    """A container-credentials endpoint and an IMDSv2 on 127.0.0.1, as AWS serves them."""

    def __init__(self):
        import datetime
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        expiration = (datetime.datetime.now(datetime.timezone.utc)
                      + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.seen = []
        server = self

        def credentials(key):
            return json.dumps({"AccessKeyId": key, "SecretAccessKey": "metadata-secret",
                               "Token": "metadata-token", "Expiration": expiration}).encode()

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, body: bytes, status=200):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_PUT(self):
                server.seen.append(("PUT", self.path, dict(self.headers)))
                self._answer(b"imds-session-token")

            def do_GET(self):
                server.seen.append(("GET", self.path, dict(self.headers)))
                if self.path == "/container-credentials":
                    ok = self.headers.get("Authorization") == "container-auth"
                    self._answer(credentials("ASIACONTAINERKEY") if ok else b"", 200 if ok
                                 else 401)
                elif self.headers.get("X-aws-ec2-metadata-token") != "imds-session-token":
                    self._answer(b"", 401)
                elif self.path == "/latest/meta-data/iam/security-credentials/":
                    self._answer(b"pipeline-role")
                elif self.path == "/latest/meta-data/iam/security-credentials/pipeline-role":
                    self._answer(credentials("ASIAINSTANCEKEY"))
                else:
                    self._answer(b"", 404)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self):
        self._server.shutdown()


AUTO_JOB = """
import sys
sys.path.insert(0, {root!r})
from tests.support.flink import run_job, sink_builder
from tests.support.sqs_proxy import Reply, SqsProxy
with SqsProxy({endpoint!r}) as proxy:
    sink = (sink_builder({queue!r}, None, {backend!r}).set_sqs_client_properties(
        {{"aws.region": "us-east-1", "aws.endpoint": proxy.endpoint}}).build())
    run_job(["m-1", "m-2"], sink, parallelism=1)
print("AUTH", proxy.sent_batches()[0].headers["Authorization"])
"""


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("step, key", [("container", "ASIACONTAINERKEY"),
                                       ("instance", "ASIAINSTANCEKEY")])
def test_auto_ends_with_the_container_and_instance_metadata_endpoints(
        localstack, backend, step, key, tmp_path):
    import os
    import subprocess
    import sys

    from tests.support.processes import child_environment

    queue = create_queue(localstack.endpoint)
    metadata = MetadataServer()
    try:
        script = tmp_path / "auto_job.py"
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        script.write_text(AUTO_JOB.format(root=root, endpoint=localstack.endpoint, queue=queue,
                                          backend=backend))
        env = {k: v for k, v in child_environment().items() if not k.startswith("AWS_")}
        if step == "container":
            env.update(AWS_CONTAINER_CREDENTIALS_FULL_URI=metadata.url + "/container-credentials",
                       AWS_CONTAINER_AUTHORIZATION_TOKEN="container-auth",
                       AWS_EC2_METADATA_DISABLED="true")
        else:
            env.update(AWS_EC2_METADATA_SERVICE_ENDPOINT=metadata.url,
                       AWS_EC2_METADATA_DISABLED="false")
        env.update(AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
                   AWS_CONFIG_FILE=str(tmp_path / "none"))
        result = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                                text=True, timeout=300)
    finally:
        metadata.stop()
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"Credential={key}/" in result.stdout
    assert sorted(drain(localstack.endpoint, queue, 2)) == ["m-1", "m-2"]


def test_sys_prop_on_the_java_backend_reads_jvm_system_properties(localstack):
    from tests.support.java import jvm

    queue = create_queue(localstack.endpoint)
    system = jvm().java.lang.System
    system.setProperty("aws.accessKeyId", "AKIAJVMPROPERTY")
    system.setProperty("aws.secretAccessKey", "jvm-property-secret")
    try:
        with SqsProxy(localstack.endpoint) as proxy:
            run_job(["s-1"], with_properties(queue, proxy, "java", {
                C.AWS_CREDENTIALS_PROVIDER: "SYS_PROP"}).build(), parallelism=1)
    finally:
        system.clearProperty("aws.accessKeyId")
        system.clearProperty("aws.secretAccessKey")
    assert set(signing_keys(proxy)) == {"AKIAJVMPROPERTY"}
    assert drain(localstack.endpoint, queue, 1) == ["s-1"]


def test_sys_prop_on_the_python_backend_reads_the_flink_configuration(localstack):
    from pyflink.common import Configuration, Types

    queue = create_queue(localstack.endpoint)
    config = Configuration()
    config.set_string("aws.accessKeyId", "AKIAFLINKCONFIG")
    config.set_string("aws.secretAccessKey", "flink-config-secret")
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(1)
    with SqsProxy(localstack.endpoint) as proxy:
        env.from_collection(["c-1", "c-2"], type_info=Types.STRING()).sink_to(
            with_properties(queue, proxy, "python", {C.AWS_CREDENTIALS_PROVIDER: "SYS_PROP"})
            .build())
        env.execute("sys prop")
    assert set(signing_keys(proxy)) == {"AKIAFLINKCONFIG"}
    assert sorted(drain(localstack.endpoint, queue, 2)) == ["c-1", "c-2"]


CUSTOM_PROVIDER = """
package example;

/** A user's provider as the upstream connector takes it: a (Properties) constructor. */
public class PipelineCredentials {
    private final String key;

    public PipelineCredentials(java.util.Properties properties) {
        this.key = properties.getProperty("aws.credentials.provider.custom.key");
    }

    public Credentials resolveCredentials() {
        return new Credentials(key);
    }

    public static class Credentials {
        private final String key;

        Credentials(String key) {
            this.key = key;
        }

        public String accessKeyId() {
            return key;
        }

        public String secretAccessKey() {
            return "custom-secret";
        }
    }
}
"""


def test_a_custom_provider_class_of_the_users_signs_on_the_java_backend(localstack, tmp_path):
    import shutil
    import subprocess
    import zipfile

    source = tmp_path / "src" / "example" / "PipelineCredentials.java"
    source.parent.mkdir(parents=True)
    source.write_text(CUSTOM_PROVIDER)
    classes = tmp_path / "classes"
    subprocess.run([shutil.which("javac"), "--release", "11", "-d", str(classes), str(source)],
                   check=True)
    jar = tmp_path / "custom-credentials.jar"
    with zipfile.ZipFile(jar, "w") as archive:
        for path in classes.rglob("*.class"):
            archive.write(path, str(path.relative_to(classes)))
    queue = create_queue(localstack.endpoint)
    properties = {C.AWS_CREDENTIALS_PROVIDER: "CUSTOM",
                  C.CUSTOM_CREDENTIALS_PROVIDER_CLASS: "example.PipelineCredentials",
                  "aws.credentials.provider.custom.key": "AKIACUSTOMPROVIDER"}
    env = StreamExecutionEnvironment.get_execution_environment()
    env.add_jars(jar.as_uri())
    with SqsProxy(localstack.endpoint) as proxy:
        run_job(["c-1", "c-2"], with_properties(queue, proxy, "java", properties).build(),
                parallelism=1, env=env)
    assert set(signing_keys(proxy)) == {"AKIACUSTOMPROVIDER"}
    assert sorted(drain(localstack.endpoint, queue, 2)) == ["c-1", "c-2"]


def test_a_custom_provider_needs_the_java_backend():
    properties = {C.AWS_REGION: "us-east-1", C.AWS_CREDENTIALS_PROVIDER: "CUSTOM",
                  C.CUSTOM_CREDENTIALS_PROVIDER_CLASS: "example.PipelineCredentials"}
    builder = sink_builder("https://sqs.us-east-1.amazonaws.com/1/q", None, "python") \
        .set_sqs_client_properties(properties)
    with pytest.raises(ValueError, match="CUSTOM names a Java class, which only the Java "
                                         "backend can load"):
        builder.build()
