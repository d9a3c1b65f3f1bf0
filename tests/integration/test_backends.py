"""Both backends against LocalStack, observed on the wire through a recording proxy: every
option means the same on each, and the queue ends up holding the same bodies."""
import json
import os
import subprocess
import sys
import textwrap

import pytest
from pyflink.common import Types
from pyflink.datastream import StreamExecutionEnvironment

from tests.support.flink import run_job, sink_builder
from tests.support.processes import child_environment
from tests.support.queues import create_queue, drain, multiset_difference
from tests.support.sqs_proxy import SqsProxy

BACKENDS = ["java", "python"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def payload_bytes(batch) -> int:
    return sum(len(e["MessageBody"].encode("utf-8")) for e in batch.entries)


@pytest.mark.smoke
@pytest.mark.parametrize("backend", BACKENDS)
def test_ten_thousand_records_at_parallelism_two_all_arrive(localstack, backend):
    queue = create_queue(localstack.endpoint)
    records = [f"record-{i:05d}" for i in range(10_000)]
    with SqsProxy(localstack.endpoint) as proxy:
        run_job(records, sink_builder(queue, proxy.endpoint, backend).build(), parallelism=2)
    missing, unexpected = multiset_difference(records, drain(localstack.endpoint, queue, 10_000))
    assert not missing and not unexpected
    batches = proxy.sent_batches()
    assert all(b.status == 200 for b in batches)
    assert max(len(b.entries) for b in batches) == 10  # the default, observed on the wire
    assert sum(len(b.entries) for b in batches) == 10_000


@pytest.mark.parametrize("backend", BACKENDS)
def test_batches_respect_count_and_byte_limits_on_the_wire(localstack, backend):
    queue = create_queue(localstack.endpoint)
    # Sizes from 50 to 599 bytes: sometimes 7 records fit in 2,000 bytes, sometimes fewer.
    records = [f"{i:04d}-" + "é" * ((i * 37) % 275) + "x" * (45 + (i * 37) % 275 % 2)
               for i in range(2_000)]
    with SqsProxy(localstack.endpoint) as proxy:
        sink = (sink_builder(queue, proxy.endpoint, backend).set_max_batch_size(7)
                .set_max_batch_size_in_bytes(2_000).set_max_record_size_in_bytes(1_000))
        run_job(records, sink.build(), parallelism=2)
    missing, unexpected = multiset_difference(records, drain(localstack.endpoint, queue, 2_000))
    assert not missing and not unexpected
    batches = proxy.sent_batches()
    assert all(len(b.entries) <= 7 for b in batches)
    assert all(payload_bytes(b) <= 2_000 for b in batches)
    # Both limits were reached, so the checks above could have failed.
    assert max(len(b.entries) for b in batches) == 7
    assert max(payload_bytes(b) for b in batches) > 2_000 - 600
    assert any(len(b.entries) < 7 and payload_bytes(b) > 1_400 for b in batches)


UNICODE_BODIES = [
    "ascii", "héllo wörld", "中文字符", "emoji 😀🎉 and flags 🇪🇺", "combining é vs é",
    "tab\tnewline\ncarriage\rreturn", "quotes \" backslash \\ slash /", "json {\"a\": [1, 2]}",
    "\u2028 line separator \u2029", "BMP edge \ufffd \ud7ff \ue000", "astral 𝄞 𐍈 \U0010fffd",
    "<xml attr='1'>&amp;</xml>", " leading and trailing spaces ",
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_unicode_bodies_arrive_byte_identical(localstack, backend):
    queue = create_queue(localstack.endpoint)
    run_job(UNICODE_BODIES, sink_builder(queue, localstack.endpoint, backend).build(),
            parallelism=1)
    received = drain(localstack.endpoint, queue, len(UNICODE_BODIES))
    assert sorted(b.encode("utf-8") for b in received) == \
        sorted(b.encode("utf-8") for b in UNICODE_BODIES)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_stream_of_python_strings_without_declared_type_is_accepted(localstack, backend):
    queue = create_queue(localstack.endpoint)
    records = [f"untyped-{i}" for i in range(300)] + [b"bytes-are-utf8-text"]
    run_job(records, sink_builder(queue, localstack.endpoint, backend).build(), typed=False)
    expected = [r if isinstance(r, str) else r.decode() for r in records]
    missing, unexpected = multiset_difference(expected, drain(localstack.endpoint, queue, 301))
    assert not missing and not unexpected


def group_of(element) -> str:
    return json.loads(element)["group"]


@pytest.mark.parametrize("typed", [True, False], ids=["strings", "python-objects"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_keyed_stream_is_sent_as_its_elements(localstack, backend, typed):
    # PyFlink's KeyedStream is a Java stream of Row(key, element): the queue must get the
    # elements as the job sees them.
    queue = create_queue(localstack.endpoint)
    records = [json.dumps({"group": f"g{i % 7}", "seq": i}) for i in range(700)]
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(2)
    (env.from_collection(records, type_info=Types.STRING() if typed else None)
     .key_by(group_of, key_type=Types.STRING())
     .sink_to(sink_builder(queue, localstack.endpoint, backend).build()))
    env.execute("keyed stream")
    missing, unexpected = multiset_difference(records, drain(localstack.endpoint, queue, 700))
    assert not missing and not unexpected


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_stream_of_ints_is_refused_with_what_to_change(backend):
    env = StreamExecutionEnvironment.get_execution_environment()
    ds = env.from_collection([1, 2, 3], type_info=Types.INT())
    sink = sink_builder("https://sqs.us-east-1.amazonaws.com/1/q", "http://127.0.0.1:1",
                        backend).build()
    with pytest.raises(TypeError, match=r"needs a stream of strings, but this stream's type is "
                                        r"Integer.*ds.map\(str, output_type=Types.STRING\(\)\)"):
        ds.sink_to(sink)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_record_over_the_size_limit_fails_the_job_naming_size_and_limit(localstack, backend):
    queue = create_queue(localstack.endpoint)
    sink = (sink_builder(queue, localstack.endpoint, backend)
            .set_max_record_size_in_bytes(1_000).build())
    with pytest.raises(Exception) as error:
        run_job(["small", "y" * 1_001, "small"], sink, parallelism=1)
    assert "is 1001 bytes, over max_record_size_in_bytes=1000" in str(error.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_env_var_credentials_sign_requests(localstack, backend, tmp_path):
    """ENV_VAR reads the task manager's environment: a job in a process with AWS_* set."""
    queue = create_queue(localstack.endpoint)
    script = tmp_path / "env_job.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {ROOT!r})
        from pyflink.common.serialization import SimpleStringSchema
        from pyflink_sqs import SqsSink
        from tests.support.flink import run_job
        from tests.support.sqs_proxy import SqsProxy
        with SqsProxy({localstack.endpoint!r}) as proxy:
            sink = (SqsSink.builder().set_sqs_url({queue!r})
                    .set_serialization_schema(SimpleStringSchema())
                    .set_sqs_client_properties({{
                        "aws.region": "us-east-1", "aws.endpoint": proxy.endpoint,
                        "aws.credentials.provider": "ENV_VAR"}})
                    .set_backend({backend!r}).build())
            run_job(["from-env-1", "from-env-2"], sink, parallelism=1)
        print("AUTH", proxy.sent_batches()[0].headers["Authorization"])
        """))
    env = child_environment(AWS_ACCESS_KEY_ID="AKIAENVVARTEST", AWS_SECRET_ACCESS_KEY="s3cr3t")
    result = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Credential=AKIAENVVARTEST/" in result.stdout
    assert sorted(drain(localstack.endpoint, queue, 2)) == ["from-env-1", "from-env-2"]
