"""The builder and the Sink object users pass to ``DataStream.sink_to()``."""
import logging
import sys
import uuid
from typing import Callable, Dict, Mapping, Optional

from pyflink.common.serialization import SerializationSchema, SimpleStringSchema
from pyflink.datastream.connectors.base import Sink, StreamTransformer, SupportsPreprocessing

from pyflink_sqs import config, java_backend, large_payload
from pyflink_sqs.aws_config import AWSConfigConstants
from pyflink_sqs.client_properties import (java_only_provider, masked, normalize,
                                           read_timeout_millis, trust_all_certificates,
                                           validate_credentials)
from pyflink_sqs.elements import to_message_body
from pyflink_sqs.envelope import EnvelopeFunction
from pyflink_sqs.message import MessageFactory, check_group_id
from pyflink_sqs.queue_url import QueueUrl, parse_queue_url, resolve_endpoint, resolve_region
from pyflink_sqs.sink_handle import with_parts

LOG = logging.getLogger(__name__)


class SqsSink(Sink, SupportsPreprocessing):
    """
    A sink that writes each element of a stream as a message to an Amazon SQS queue, with
    at-least-once delivery: every record is sent before the checkpoint after it completes.

    Example::

        from pyflink.common.serialization import SimpleStringSchema
        from pyflink_sqs import SqsSink, AWSConfigConstants

        sink = (SqsSink.builder()
                .set_sqs_url("https://sqs.us-east-1.amazonaws.com/123456789012/orders")
                .set_serialization_schema(SimpleStringSchema())
                .set_sqs_client_properties({AWSConfigConstants.AWS_REGION: "us-east-1"})
                .build())
        stream.sink_to(sink)

    No jar needs to be added: the sink registers its own when it is built and attached.
    """

    def __init__(self, j_sink, transformer: StreamTransformer, description: str):
        super().__init__(j_sink)
        self._transformer = transformer
        self._description = description

    @staticmethod
    def builder() -> "SqsSinkBuilder":
        return SqsSinkBuilder()

    def get_transformer(self) -> Optional[StreamTransformer]:
        return self._transformer

    def __repr__(self):
        return self._description


class _PrepareStream(StreamTransformer):
    """Runs in sink_to(): registers the jar with the job and gives the Java sink strings, or
    message envelopes when the Python builder describes messages. A KeyedStream's elements
    reach Java as Row(key, element); the Java sink gets the elements, through a map that runs
    keyed on the key's subtask (so each key keeps its order, with no shuffle added) and that
    Flink chains with the sink."""

    def __init__(self, converts_to_string: bool, messages: Optional[MessageFactory] = None):
        self._converts_to_string = converts_to_string
        self._messages = messages

    def apply(self, ds):
        from pyflink.common import Types

        j_env = ds._j_data_stream.getExecutionEnvironment()
        java_backend.register_in_pipeline(j_env)
        _default_python_executable(j_env)
        if self._messages is not None:
            # Chained into the Python operator before it when there is one; in order, so
            # message groups keep their order (the handle gives it the sink's parallelism).
            envelopes = ds.map(EnvelopeFunction(self._messages), output_type=Types.STRING())
            return with_parts(envelopes, [(envelopes, "messages")])
        if not self._converts_to_string:
            if _is_keyed(ds):  # the serialization schema takes the elements, as they are typed
                elements = ds.map(_element, output_type=_element_type(ds))
                return with_parts(elements, [(elements, "elements")])
            return ds
        return _as_string_stream(ds)


class _AddPythonWriter(StreamTransformer):
    """Runs in sink_to() for the Python backend: the writer function before the Java sink that
    ends it (java_backend.python_backend_end), whose jar the job then needs too. add_writer's
    stream hands sink_to()'s settings (name, uid, parallelism, ...) to the writer as well."""

    def __init__(self, settings):
        self._settings = settings

    def apply(self, ds):
        from pyflink_sqs.python_backend.system_properties import with_configured_keys
        from pyflink_sqs.python_backend.transform import add_writer

        if self._settings.messages.message_builder is None:
            _require_text_stream(ds)  # a message function takes elements of any type
        j_env = ds._j_data_stream.getExecutionEnvironment()
        if java_backend.links():
            java_backend.register_in_pipeline(j_env)
        _default_python_executable(j_env)
        return add_writer(ds, with_configured_keys(self._settings, j_env))


def _as_string_stream(ds):
    from pyflink.common import Types

    if _is_python_object_stream(ds):
        # A stream of Python objects (no output_type declared): make each a str in Python;
        # Flink chains this map into the Python operator before it.
        texts = ds.map(to_message_body, output_type=Types.STRING())
        return with_parts(texts, [(texts, "to text")])
    _require_text_stream(ds)
    if _is_keyed(ds):
        elements = ds.map(_element, output_type=Types.STRING())
        return with_parts(elements, [(elements, "elements")])
    return ds


def _element(element):
    """A keyed stream's map to its elements: PyFlink hands a keyed map the element alone."""
    return element


def _is_keyed(ds) -> bool:
    from pyflink.datastream import KeyedStream

    return isinstance(ds, KeyedStream)


def _element_type(ds):
    """The type of the stream's elements; for a KeyedStream, whose Java type is Row(key,
    element), the element's type given before key_by()."""
    if _is_keyed(ds):
        return ds._original_data_type_info
    return ds.get_type()


def _is_python_object_stream(ds) -> bool:
    from pyflink.common.typeinfo import PickledBytesTypeInfo

    return isinstance(_element_type(ds), PickledBytesTypeInfo)


def _require_text_stream(ds) -> None:
    """Both backends take strings, or Python objects checked record by record."""
    from pyflink.common import Types

    stream_type = _element_type(ds)
    if stream_type == Types.STRING() or _is_python_object_stream(ds):
        return
    raise TypeError(
        f"SqsSink with SimpleStringSchema needs a stream of strings, but this stream's type "
        f"is {stream_type}; map it to text first, for example "
        f"ds.map(str, output_type=Types.STRING())")


def _default_python_executable(j_env) -> None:
    """
    Flink runs `python.executable` (default: the `python` on PATH) to find pyflink for the
    job's Python operators, also in a local run (`python job.py`), where that `python` is often
    not the interpreter that has pyflink and this package. Default to ours for local runs.
    """
    from pyflink.java_gateway import get_gateway

    jvm = get_gateway().jvm
    env_config = jvm.org.apache.flink.python.util.PythonConfigUtil.getEnvironmentConfig(j_env)
    if env_config.getString("python.executable", None):
        return
    if env_config.getString("execution.target", None) not in (None, "local", "minicluster"):
        return  # a cluster's workers run elsewhere; sys.executable may not exist there
    env_config.setString("python.executable", sys.executable)
    LOG.info("SqsSink: python.executable was not set; using %s", sys.executable)


def _require_text_schema(schema) -> None:
    if not isinstance(schema, SimpleStringSchema):
        raise ValueError(
            f"the Python backend sends str (or UTF-8 bytes) elements and needs "
            f"SimpleStringSchema, got {type(schema).__name__}; use the Java backend for other "
            f"serialization schemas")


def _option_setter(option: config.Option):
    """A setter documented from the option table, so defaults are written once."""

    def setter(self, value):
        config.validate_value(option, value)
        self._values[option.name] = value
        return self

    setter.__name__ = f"set_{option.name}"
    setter.__doc__ = (f"{option.doc}\n\nDefault: {option.default!r}. "
                      f"Must be {option.bounds_text()}; otherwise ValueError.")
    return setter


class SqsSinkBuilder:
    """
    Builds an :class:`SqsSink`. The setters mirror the Java ``SqsSinkBuilder`` of the Flink
    SQS sink documentation in snake_case; ``build()`` checks every option and raises
    ValueError naming the option, the value and what is allowed.
    """

    def __init__(self):
        self._sqs_url = None
        self._serialization_schema = None
        self._client_properties = None
        self._values: Dict[str, object] = config.defaults()
        self._message_builder = None
        self._large_payload: Optional[large_payload.LargePayloadOffload] = None
        # Whether max_record_size_in_bytes was set: with offload, its default is
        # large_payload.MAX_RECORD_BYTES, or no record could ever go to S3.
        self._record_size_set = False

    def set_sqs_url(self, sqs_url: str) -> "SqsSinkBuilder":
        """Required. The URL of the queue, e.g. https://sqs.<region>.amazonaws.com/<acct>/<q>."""
        self._sqs_url = sqs_url
        return self

    def set_serialization_schema(self, schema: SerializationSchema) -> "SqsSinkBuilder":
        """Turns an element into the message body, e.g. SimpleStringSchema(). Required unless
        set_message_builder() is used (then the function makes the body)."""
        self._serialization_schema = schema
        return self

    def set_message_builder(self, message_builder: Callable) -> "SqsSinkBuilder":
        """A Python function element -> :class:`~pyflink_sqs.SqsMessage` (or str/bytes for a
        plain body) that describes each message: body, message group id, deduplication id,
        delay seconds and attributes. Runs in the Python worker, for both backends. Errors in
        what it returns (an 11th attribute, a bad name, a delay on a FIFO queue, ...) fail the
        job naming the record; see pyflink_sqs.message."""
        if not callable(message_builder):
            raise ValueError(f"message_builder must be a function element -> SqsMessage, got "
                             f"{type(message_builder).__name__}")
        self._message_builder = message_builder
        return self

    def set_sqs_client_properties(self, properties: Dict[str, str]) -> "SqsSinkBuilder":
        """Required. Region, credentials and endpoint: keys of AWSConfigConstants."""
        self._client_properties = properties
        return self

    set_fail_on_error = _option_setter(config.FAIL_ON_ERROR)
    set_max_batch_size = _option_setter(config.MAX_BATCH_SIZE)
    set_max_in_flight_requests = _option_setter(config.MAX_IN_FLIGHT_REQUESTS)
    set_max_buffered_requests = _option_setter(config.MAX_BUFFERED_REQUESTS)
    set_max_batch_size_in_bytes = _option_setter(config.MAX_BATCH_SIZE_IN_BYTES)
    set_max_time_in_buffer_ms = _option_setter(config.MAX_TIME_IN_BUFFER_MS)

    def set_max_record_size_in_bytes(self, value: int) -> "SqsSinkBuilder":
        option = config.MAX_RECORD_SIZE_IN_BYTES
        # Above 1 MiB only with offload, which may be set after this: build() checks.
        if not (isinstance(value, int) and not isinstance(value, bool)
                and option.maximum < value <= large_payload.MAX_RECORD_BYTES):
            self._validate_record_size(value, offload=self._large_payload is not None)
        self._values[option.name] = value
        self._record_size_set = True
        return self

    set_max_record_size_in_bytes.__doc__ = (
        f"{config.MAX_RECORD_SIZE_IN_BYTES.doc}\n\nDefault: "
        f"{config.MAX_RECORD_SIZE_IN_BYTES.default!r}. Must be "
        f"{config.MAX_RECORD_SIZE_IN_BYTES.bounds_text()}; up to "
        f"{large_payload.MAX_RECORD_BYTES} with set_large_payload_offload(), where it must "
        f"exceed threshold_bytes and is {large_payload.MAX_RECORD_BYTES} unless set; "
        f"otherwise ValueError (at build() for a value over 1 MiB without offload).")

    def set_large_payload_offload(self, s3_bucket: str,
                                  threshold_bytes: int = large_payload.DEFAULT_THRESHOLD_BYTES,
                                  key_prefix: str = "", legacy_size_attribute: bool = False,
                                  s3_endpoint: Optional[str] = None) -> "SqsSinkBuilder":
        """Messages over threshold_bytes (body plus attributes, as SQS counts them) go to S3,
        in the Amazon SQS Extended Client's format, so its consumers (Java or Python) read
        the full body: the body is put to s3_bucket under key_prefix + a random UUID, and the
        message carries a pointer to it and the ExtendedPayloadSize attribute (the body's
        bytes; SQSLargePayloadSize with legacy_size_attribute, the Java library's default
        name). A message at most threshold_bytes stays inline. The object is written before
        its message is sent. max_record_size_in_bytes may then exceed 1 MiB (up to 2 GiB -
        1 MiB), and is that unless set (set, it must exceed threshold_bytes).

        The bucket is reached with the sink's credentials and region, at s3_endpoint when
        given, else at aws.endpoint when that is set and not one of AWS's (an emulator
        serving both; an SQS VPC or FIPS endpoint answers SQS only), else at AWS's S3 endpoint
        of the region (a FIPS user sets s3_endpoint). Both backends."""
        self._large_payload = large_payload.LargePayloadOffload(
            s3_bucket, threshold_bytes, key_prefix, legacy_size_attribute, s3_endpoint)
        return self
    set_rejected_record_policy = _option_setter(config.REJECTED_RECORD_POLICY)
    set_dead_letter_queue_url = _option_setter(config.DEAD_LETTER_QUEUE_URL)
    set_message_group_id = _option_setter(config.MESSAGE_GROUP_ID)
    set_message_group_id_field = _option_setter(config.MESSAGE_GROUP_ID_FIELD)
    set_fifo_deduplication = _option_setter(config.FIFO_DEDUPLICATION)
    set_base64_binary_bodies = _option_setter(config.BASE64_BINARY_BODIES)
    set_backend = _option_setter(config.BACKEND)

    def build(self) -> SqsSink:
        queue = parse_queue_url(self._sqs_url)
        messages = self._message_factory(queue)
        schema = self._serialization_schema
        if schema is None and self._message_builder is not None:
            schema = SimpleStringSchema()
        if schema is None:
            raise ValueError("serialization_schema must be set, e.g. SimpleStringSchema()")
        if messages is not None and not isinstance(schema, SimpleStringSchema):
            raise ValueError(
                f"message group ids, set_message_builder and base64_binary_bodies take str or "
                f"bytes elements (the builder's function makes the body), so they work with "
                f"SimpleStringSchema only, got {type(schema).__name__}")
        if not isinstance(schema, SerializationSchema):
            raise ValueError(
                f"serialization_schema must be a pyflink SerializationSchema such as "
                f"SimpleStringSchema(), got {type(schema).__name__}")
        if self._client_properties is None:
            raise ValueError(
                "sqs_client_properties must be set: a dict with at least aws.region "
                "(and credentials, unless they come from the environment)")
        properties = normalize(self._client_properties)
        self._validate_options()
        if self._values[config.DEAD_LETTER_QUEUE_URL.name]:
            dead_letter_queue = parse_queue_url(
                self._values[config.DEAD_LETTER_QUEUE_URL.name], config.DEAD_LETTER_QUEUE_URL.name)
            self._values[config.DEAD_LETTER_QUEUE_URL.name] = dead_letter_queue.url
            if dead_letter_queue.is_fifo:
                raise ValueError(
                    f"dead_letter_queue_url {dead_letter_queue.url} "
                    f"is a FIFO queue; the dead-letter queue must be a standard queue")
        validate_credentials(properties)
        trust_all = trust_all_certificates(properties)
        read_timeout_ms = read_timeout_millis(properties)
        region = resolve_region(queue, properties)
        endpoint = resolve_endpoint(region, properties)
        if messages is not None:
            messages.region = region
        if trust_all:
            LOG.warning("SqsSink: %s is set, so the TLS certificate of %s is not checked; use "
                        "it only for a test endpoint, never for AWS",
                        AWSConfigConstants.TRUST_ALL_CERTIFICATES, endpoint)
        # Neither backend parses the URL again: both get the region we resolved.
        properties = {**properties, AWSConfigConstants.AWS_REGION: region}
        description = self._describe(masked(properties))
        if self._choose_backend(schema) == "java":
            j_sink = java_backend.build_java_sink(
                schema._j_serialization_schema, queue.url, properties, self._values,
                envelopes=messages is not None, large_payload=self._large_payload)
            return SqsSink(j_sink, _PrepareStream(isinstance(schema, SimpleStringSchema),
                                                  messages), description)
        return self._python_sink(queue.url, region, endpoint, properties, trust_all,
                                 read_timeout_ms, description, messages)

    def _validate_options(self) -> None:
        offload = self._large_payload
        record_size = config.MAX_RECORD_SIZE_IN_BYTES.name
        if offload is not None and not self._record_size_set:
            self._values[record_size] = large_payload.MAX_RECORD_BYTES
        for option in config.OPTIONS.values():
            if option is config.MAX_RECORD_SIZE_IN_BYTES:
                self._validate_record_size(self._values[option.name], offload is not None)
            else:
                config.validate_value(option, self._values[option.name])
        config.validate_combination(
            self._values, offload.threshold_bytes if offload is not None else None)
        if offload is not None and self._values[record_size] <= offload.threshold_bytes:
            raise ValueError(
                f"max_record_size_in_bytes ({self._values[record_size]}) must exceed "
                f"set_large_payload_offload's threshold_bytes ({offload.threshold_bytes}), or "
                f"no record could go to S3: raise it (up to {large_payload.MAX_RECORD_BYTES}) "
                f"or leave it unset (with offload its default is "
                f"{large_payload.MAX_RECORD_BYTES})")

    @staticmethod
    def _validate_record_size(value, offload: bool) -> None:
        option = config.MAX_RECORD_SIZE_IN_BYTES
        if offload:
            config.validate_value(option, value, maximum=large_payload.MAX_RECORD_BYTES)
            return
        try:
            config.validate_value(option, value)
        except ValueError as e:
            if isinstance(value, int) and option.maximum < value <= large_payload.MAX_RECORD_BYTES:
                raise ValueError(f"{e}; records up to {large_payload.MAX_RECORD_BYTES} bytes "
                                 f"need set_large_payload_offload()") from None
            raise

    def _message_factory(self, queue: QueueUrl) -> Optional[MessageFactory]:
        """How elements become messages beyond a plain body; None when they do not."""
        group_id = self._values[config.MESSAGE_GROUP_ID.name]
        group_id_field = self._values[config.MESSAGE_GROUP_ID_FIELD.name]
        shortcuts = [name for name, value in (
            ("set_message_group_id", group_id),
            ("set_message_group_id_field", group_id_field)) if value is not None]
        if len(shortcuts) > 1 or (shortcuts and self._message_builder is not None):
            used = shortcuts + (["set_message_builder"] if self._message_builder else [])
            raise ValueError(f"use one of {', '.join(used)}: the message function can set "
                             f"the group id itself")
        if group_id_field == "":
            raise ValueError("message_group_id_field must be a field name, got ''")
        if group_id is not None:
            check_group_id(group_id)
        fifo = queue.is_fifo
        if fifo and not (shortcuts or self._message_builder):
            raise ValueError(
                f"sqs_url {queue.url} is a FIFO queue, whose messages need a message group id: "
                f"set_message_group_id(<id>), set_message_group_id_field(<field>) or "
                f"set_message_builder(<function returning SqsMessage(group_id=...)>)")
        base64_bodies = self._values[config.BASE64_BINARY_BODIES.name]
        if not (fifo or shortcuts or self._message_builder or base64_bodies):
            return None
        return MessageFactory(fifo, self._message_builder, group_id, group_id_field,
                              base64_bodies, queue_url=queue.url)

    def _python_sink(self, queue_url, region, endpoint, properties, trust_all, read_timeout_ms,
                     description, messages):
        from pyflink_sqs.python_backend.concealed import ConcealedProperties
        from pyflink_sqs.python_backend.settings import WriterSettings

        # The writer's settings are the builder's options (but the backend choice and the
        # message options, which `messages` carries) and more.
        skipped = (config.BACKEND.name, config.MESSAGE_GROUP_ID.name,
                   config.MESSAGE_GROUP_ID_FIELD.name, config.BASE64_BINARY_BODIES.name)
        options = {name: value for name, value in self._values.items() if name not in skipped}
        settings = WriterSettings(
            deduplication_nonce=uuid.uuid4().hex,
            queue_url=queue_url, region=region, endpoint=endpoint,
            client_properties=ConcealedProperties(properties), trust_all_certificates=trust_all,
            read_timeout_ms=read_timeout_ms, messages=messages or MessageFactory(False),
            large_payload=self._large_payload, **options)
        return SqsSink(java_backend.python_backend_end(queue_url, settings.messages.fifo),
                       _AddPythonWriter(settings), description)

    def _choose_backend(self, schema) -> str:
        """The backend asked for, never silently another: their semantics and state differ."""
        backend = self._values[config.BACKEND.name]
        if backend == "python":
            _require_text_schema(schema)
            java_only = java_only_provider(normalize(self._client_properties))
            if java_only:
                raise ValueError(f"{java_only[0]} {java_only[1]} names a Java class, which only "
                                 f"the Java backend can load; use set_backend('java')")
            return backend
        try:
            java_backend.check_loadable()
        except java_backend.BridgeUnavailable as e:
            raise ValueError(
                f"backend 'java' (the default) cannot run here: {e}\n"
                f"To send from Python instead, choose set_backend('python') (the same options; "
                f"its savepoints are not interchangeable with the Java backend's)") from None
        return "java"

    def _describe(self, shown_properties) -> str:
        options = ", ".join(f"{name}={value!r}" for name, value in self._values.items())
        if self._message_builder is not None:
            name = getattr(self._message_builder, "__name__", type(self._message_builder).__name__)
            options += f", message_builder={name!r}"
        if self._large_payload is not None:
            options += f", large_payload_offload={large_payload.describe(self._large_payload)!r}"
        return (f"SqsSink(sqs_url={self._sqs_url!r}, {options}, "
                f"sqs_client_properties={shown_properties!r})")

    def __repr__(self):
        shown = self._client_properties
        if isinstance(shown, Mapping):
            shown = masked(shown)
        return "SqsSinkBuilder" + self._describe(shown)[len("SqsSink"):]
