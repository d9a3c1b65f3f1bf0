"""The builder: every option set reaches the sink of either backend, and validation at build()
raises a ValueError naming the option, before any job starts."""
import pytest
from pyflink.common.serialization import SimpleStringSchema

from pyflink_sqs import AWSConfigConstants, SqsSink, config, large_payload

URL = "https://sqs.us-east-1.amazonaws.com/123456789012/orders"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
PROPS = {
    AWSConfigConstants.AWS_REGION: "us-east-1",
    AWSConfigConstants.AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWSConfigConstants.AWS_SECRET_ACCESS_KEY: SECRET,
}


def builder(**overrides):
    b = (SqsSink.builder().set_sqs_url(URL).set_serialization_schema(SimpleStringSchema())
         .set_sqs_client_properties(PROPS))
    for name, value in overrides.items():
        getattr(b, f"set_{name}")(value)
    return b


def test_a_complete_builder_builds_a_java_sink():
    sink = builder(max_batch_size=5, max_time_in_buffer_ms=100).build()
    assert sink.get_java_function().getClass().getName() == "io.github.pyflinksqs.sink.SqsSink"


# A value other than its default for every option the issue's example sets, and the rejected
# record policy: a setter whose value is lost (the default used instead) fails the tests below.
NOT_DEFAULTS = {
    "fail_on_error": True,
    "max_batch_size": 7,
    "max_in_flight_requests": 3,
    "max_buffered_requests": 123,
    "max_batch_size_in_bytes": 200_000,
    "max_time_in_buffer_ms": 1_234,
    "max_record_size_in_bytes": 100_000,
    "rejected_record_policy": "skip",
}


def test_the_values_set_are_not_the_defaults():
    assert {name: value for name, value in NOT_DEFAULTS.items()
            if config.OPTIONS[name].default == value} == {}


def test_every_setter_of_the_issue_example_reaches_the_java_sink():
    java = builder(**NOT_DEFAULTS).build().get_java_function()
    assert (java.getMaxBatchSize(), java.getMaxInFlightRequests(), java.getMaxBufferedRequests(),
            java.getMaxBatchSizeInBytes(), java.getMaxTimeInBufferMS()) == (7, 3, 123, 200_000,
                                                                           1_234)
    # Our own settings, not AsyncSinkBase's (whose record limit is the inline one, for offload):
    # no getter, the Java sink's toString() shows them.
    text = str(java.toString())
    for shown in ("failOnError=true", "maxRecordSizeInBytes=100000", "rejectedRecordPolicy=SKIP"):
        assert shown in text, text


def test_every_setter_of_the_issue_example_reaches_the_python_sink():
    shown = repr(builder(backend="python", **NOT_DEFAULTS).build())
    for name, value in NOT_DEFAULTS.items():
        assert f"{name}={value!r}" in shown, shown


@pytest.mark.parametrize("missing, message", [
    ("sqs_url", "sqs_url must be a queue URL"),
    ("serialization_schema", "serialization_schema must be set"),
    ("sqs_client_properties", "sqs_client_properties must be set"),
])
def test_a_missing_required_option_is_named(missing, message):
    b = SqsSink.builder()
    if missing != "sqs_url":
        b.set_sqs_url(URL)
    if missing != "serialization_schema":
        b.set_serialization_schema(SimpleStringSchema())
    if missing != "sqs_client_properties":
        b.set_sqs_client_properties(PROPS)
    with pytest.raises(ValueError, match=message):
        b.build()


@pytest.mark.parametrize("name, value, allowed", [
    ("max_batch_size", 0, "1..10"),
    ("max_batch_size", 11, "1..10"),
    ("max_in_flight_requests", 0, "1..2147483647"),
    ("max_buffered_requests", 0, "1..2147483647"),
    ("max_batch_size_in_bytes", -5, "1..1048576"),
    ("max_time_in_buffer_ms", 0, "1..2147483647"),
    ("max_record_size_in_bytes", 0, "1..1048576"),
])
def test_out_of_range_values_name_option_value_and_range(name, value, allowed):
    with pytest.raises(ValueError) as error:
        builder(**{name: value}).build()
    text = str(error.value)
    assert name in text and str(value) in text and allowed in text


def test_record_limit_above_batch_byte_limit_is_rejected_at_build():
    with pytest.raises(ValueError, match="max_record_size_in_bytes .* must not exceed "
                                         "max_batch_size_in_bytes"):
        builder(max_batch_size_in_bytes=100_000, max_record_size_in_bytes=200_000).build()


def test_malformed_queue_url_is_rejected_at_build():
    with pytest.raises(ValueError, match="sqs_url 'https://sqs.us-east-1.amazonaws.com/' does "
                                         "not end in a queue name"):
        builder().set_sqs_url("https://sqs.us-east-1.amazonaws.com/").build()


def test_basic_credentials_without_secret_name_the_missing_key():
    props = {AWSConfigConstants.AWS_REGION: "us-east-1",
             AWSConfigConstants.AWS_CREDENTIALS_PROVIDER: "BASIC",
             AWSConfigConstants.AWS_ACCESS_KEY_ID: "AKIDEXAMPLE"}
    with pytest.raises(ValueError, match="BASIC needs aws.credentials.provider.basic.secretkey"):
        builder().set_sqs_client_properties(props).build()


def test_unknown_credentials_provider_lists_the_known_ones():
    props = {**PROPS, AWSConfigConstants.AWS_CREDENTIALS_PROVIDER: "MAGIC"}
    with pytest.raises(ValueError, match="'MAGIC' is not a provider; use one of ENV_VAR"):
        builder().set_sqs_client_properties(props).build()


def test_region_comes_from_the_url_when_not_set():
    props = {k: v for k, v in PROPS.items() if k != AWSConfigConstants.AWS_REGION}
    sink = builder().set_sqs_url("https://sqs.eu-west-1.amazonaws.com/1/q") \
        .set_sqs_client_properties(props).build()
    assert "'aws.region': 'eu-west-1'" in repr(sink)


def test_secret_key_never_shows_in_repr():
    b = builder()
    sink = b.build()
    for text in (repr(b), repr(sink), str(sink), str(sink.get_java_function().toString())):
        assert SECRET not in text
    assert "****" in repr(sink)


def test_env_var_credentials_build_without_keys():
    props = {AWSConfigConstants.AWS_REGION: "us-east-1",
             AWSConfigConstants.AWS_CREDENTIALS_PROVIDER: "ENV_VAR"}
    sink = builder().set_sqs_client_properties(props).build()
    assert "'aws.credentials.provider': 'ENV_VAR'" in repr(sink), repr(sink)


def test_an_unknown_backend_is_named_with_the_choices():
    with pytest.raises(ValueError,
                       match=r"backend must be one of 'java', 'python', got 'rust'"):
        builder(backend="rust").build()


def test_the_python_backend_ends_in_a_sink_that_refuses_java_state_and_hides_the_secret():
    sink = builder(backend="python").build()
    assert sink.get_java_function().getClass().getName() == \
        "io.github.pyflinksqs.sink.PythonBackendSink"
    assert SECRET not in repr(sink) and "backend='python'" in repr(sink)


def test_the_python_backend_needs_simple_string_schema():
    from pyflink.common import Types
    from pyflink.datastream.formats.json import JsonRowSerializationSchema

    schema = JsonRowSerializationSchema.builder().with_type_info(
        Types.ROW_NAMED(["a"], [Types.STRING()])).build()
    with pytest.raises(ValueError, match=r"Python backend .* needs SimpleStringSchema, got "
                                         r"JsonRowSerializationSchema"):
        builder(backend="python").set_serialization_schema(schema).build()


def test_sys_prop_on_the_python_backend_needs_its_keys_in_the_flink_configuration():
    from pyflink.common import Types
    from pyflink.datastream import StreamExecutionEnvironment

    props = {AWSConfigConstants.AWS_REGION: "us-east-1",
             AWSConfigConstants.AWS_CREDENTIALS_PROVIDER: "SYS_PROP"}
    sink = builder(backend="python").set_sqs_client_properties(props).build()
    env = StreamExecutionEnvironment.get_execution_environment()
    ds = env.from_collection(["a"], type_info=Types.STRING())
    with pytest.raises(ValueError, match=r"SYS_PROP on the Python backend reads aws.accessKeyId "
                                         r"and aws.secretAccessKey from the Flink configuration; "
                                         r"it lacks aws.accessKeyId and aws.secretAccessKey"):
        ds.sink_to(sink)


@pytest.mark.parametrize("missing", [AWSConfigConstants.AWS_ROLE_ARN,
                                     AWSConfigConstants.AWS_ROLE_SESSION_NAME])
def test_assume_role_without_its_role_settings_names_the_missing_key(missing):
    props = {AWSConfigConstants.AWS_REGION: "us-east-1",
             AWSConfigConstants.AWS_CREDENTIALS_PROVIDER: "ASSUME_ROLE",
             AWSConfigConstants.AWS_ROLE_ARN: "arn:aws:iam::1:role/r",
             AWSConfigConstants.AWS_ROLE_SESSION_NAME: "s"}
    del props[missing]
    with pytest.raises(ValueError, match=f"ASSUME_ROLE needs {missing}"):
        builder().set_sqs_client_properties(props).build()


def test_the_provider_signing_assume_role_calls_is_checked_too():
    props = {AWSConfigConstants.AWS_REGION: "us-east-1",
             AWSConfigConstants.AWS_CREDENTIALS_PROVIDER: "ASSUME_ROLE",
             AWSConfigConstants.AWS_ROLE_ARN: "arn:aws:iam::1:role/r",
             AWSConfigConstants.AWS_ROLE_SESSION_NAME: "s",
             AWSConfigConstants.AWS_ROLE_CREDENTIALS_PROVIDER: "BASIC",
             "aws.credentials.provider.role.provider.basic.secretkey": SECRET}
    with pytest.raises(ValueError, match="aws.credentials.provider.role.provider BASIC needs "
                                         "aws.credentials.provider.role.provider.basic."
                                         "accesskeyid") as error:
        builder().set_sqs_client_properties(props).build()
    assert SECRET not in str(error.value)


@pytest.mark.parametrize("backend", ["java", "python"])
@pytest.mark.parametrize("bad", ["0", "-5", "2.5", "soon", " 1e3"])
def test_a_read_timeout_that_is_not_a_positive_number_of_milliseconds_is_named(backend, bad):
    props = {**PROPS, AWSConfigConstants.HTTP_CLIENT_READ_TIMEOUT_MILLIS: bad}
    with pytest.raises(ValueError, match=rf"aws.http-client.read-timeout must be a positive "
                                         rf"number of milliseconds, got '{bad}'"):
        builder(backend=backend).set_sqs_client_properties(props).build()


def test_both_backends_default_to_the_same_read_timeout():
    from pyflink_sqs.client_properties import DEFAULT_READ_TIMEOUT_MILLIS
    from tests.support.java import java_class

    properties = java_class("java.util.Properties")()
    java = java_class("io.github.pyflinksqs.config.AwsClientProperties").readTimeout(properties)
    assert java.toMillis() == DEFAULT_READ_TIMEOUT_MILLIS


def test_records_over_1_mib_need_large_payload_offload():
    with pytest.raises(ValueError, match=rf"max_record_size_in_bytes must be an integer in "
                                         rf"1\.\.1048576, got 2097152; records up to "
                                         rf"{large_payload.MAX_RECORD_BYTES} bytes need "
                                         rf"set_large_payload_offload"):
        builder(max_record_size_in_bytes=2 * 1024 * 1024, backend="python").build()
    sink = (builder(max_record_size_in_bytes=2 * 1024 * 1024, backend="python")
            .set_large_payload_offload("payloads", key_prefix="in/").build())
    assert "large_payload_offload='s3://payloads/in/* over 262144 bytes'" in repr(sink)
    with pytest.raises(ValueError, match=rf"must be an integer in 1\.\."
                                         rf"{large_payload.MAX_RECORD_BYTES}, got 2147483648$"):
        (builder(backend="python").set_large_payload_offload("payloads")
         .set_max_record_size_in_bytes(2 ** 31))
    # Without offload, a value over offload's bound is not told to turn it on.
    with pytest.raises(ValueError, match=r"1\.\.1048576, got 2147483648$"):
        builder(backend="python").set_max_record_size_in_bytes(2 ** 31)


@pytest.mark.parametrize("backend", ["java", "python"])
def test_with_offload_the_record_limit_defaults_to_its_bound_and_must_exceed_the_threshold(
        backend):
    # Left at SQS's 256 KiB, the limit would equal the threshold: nothing could go to S3.
    sink = builder(backend=backend).set_large_payload_offload("payloads").build()
    assert f"max_record_size_in_bytes={large_payload.MAX_RECORD_BYTES}" in repr(sink)
    with pytest.raises(ValueError, match=r"max_record_size_in_bytes \(262144\) must exceed "
                                         r"set_large_payload_offload's threshold_bytes "
                                         r"\(262144\), or no record could go to S3"):
        (builder(max_record_size_in_bytes=262_144, backend=backend)
         .set_large_payload_offload("payloads").build())


def test_both_backends_build_with_large_payload_offload():
    java = (builder(max_record_size_in_bytes=2 * 1024 * 1024)
            .set_large_payload_offload("payloads", threshold_bytes=1000).build())
    assert "largePayloadOffload=s3://payloads/* over 1000 bytes" in str(
        java.get_java_function().toString())
    python = (builder(backend="python")
              .set_large_payload_offload("payloads", legacy_size_attribute=True).build())
    assert "s3://payloads/* over 262144 bytes" in repr(python)


def test_the_offload_threshold_must_fit_a_batch():
    with pytest.raises(ValueError, match=r"threshold_bytes \(300000\) must not exceed "
                                         r"max_batch_size_in_bytes \(262144\)"):
        (builder(backend="python")
         .set_large_payload_offload("payloads", threshold_bytes=300_000).build())
