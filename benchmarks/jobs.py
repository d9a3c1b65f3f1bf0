"""The jobs the benchmark times: each sends `count` numbered messages whose bodies end in
":<epoch millis>" (when the element reached the sink or the sending map), so the endpoint can
measure latency."""
import sys
import time

from pyflink.common import Types
from pyflink.common.serialization import SerializationSchema, SimpleStringSchema
from pyflink.common.watermark_strategy import WatermarkStrategy
from pyflink.datastream import MapFunction, StreamExecutionEnvironment
from pyflink.datastream.connectors import Sink
from pyflink.datastream.connectors.number_seq import NumberSequenceSource

from pyflink_sqs import AWSConfigConstants, SqsSink

CREDENTIALS = {AWSConfigConstants.AWS_REGION: "us-east-1",
               AWSConfigConstants.AWS_ACCESS_KEY_ID: "bench",
               AWSConfigConstants.AWS_SECRET_ACCESS_KEY: "bench-secret"}


def _environment(parallelism: int):
    from benchmarks.endpoint import JAR

    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(parallelism)
    env.set_python_executable(sys.executable)
    env.add_jars("file://" + JAR)
    return env


def _numbers(env, count: int):
    return env.from_source(NumberSequenceSource(0, count - 1), WatermarkStrategy.no_watermarks(),
                           "numbers")


def _sink(backend: str, endpoint_url: str, queue_url: str, schema):
    return (SqsSink.builder().set_sqs_url(queue_url).set_serialization_schema(schema)
            .set_sqs_client_properties({**CREDENTIALS,
                                        AWSConfigConstants.AWS_ENDPOINT: endpoint_url})
            .set_backend(backend).build())


def _timestamped(number: int) -> str:
    return f"n-{number}:{time.time_ns() // 1_000_000}"


def _order(number: int) -> str:
    """What the typical PyFlink job's Python map makes: a record of about 100 bytes (no quotes,
    so the endpoint finds the timestamp at its end)."""
    return (f"order-{number};customer-c{number % 97};amount-{number * 1.5:.1f};"
            f"note-{'x' * 40}:{time.time_ns() // 1_000_000}")


def map_then_discard(count, parallelism, endpoint_url, queue_url):
    """The typical pipeline's ceiling: the same source and Python map into a DiscardingSink."""
    from pyflink_sqs.python_backend.transform import discarding_sink

    env = _environment(parallelism)
    _numbers(env, count).map(_order, output_type=Types.STRING()).sink_to(
        Sink(discarding_sink()))
    return env


def map_then_java_backend(count, parallelism, endpoint_url, queue_url):
    """The job PyFlink users write: a Python map in front of the sink."""
    env = _environment(parallelism)
    _numbers(env, count).map(_order, output_type=Types.STRING()).sink_to(
        _sink("java", endpoint_url, queue_url, SimpleStringSchema()))
    return env


def map_then_python_backend(count, parallelism, endpoint_url, queue_url):
    env = _environment(parallelism)
    _numbers(env, count).map(_order, output_type=Types.STRING()).sink_to(
        _sink("python", endpoint_url, queue_url, SimpleStringSchema()))
    return env


class _Body:
    """A Python map making bodies of `size` bytes (ASCII, ending in ":<epoch millis>")."""

    def __init__(self, size: int):
        self.size = size

    def __call__(self, number: int) -> str:
        tail = f"n-{number}:{time.time_ns() // 1_000_000}"
        return "x" * (self.size - len(tail)) + tail


def map_of_bodies_then(backend: str, size: int):
    """The typical pipeline with bodies of `size` bytes (a batch holds as many as 256 KiB, the
    default max_batch_size_in_bytes, takes: 10 of 1 KiB, 1 of 200 KiB)."""
    def job(count, parallelism, endpoint_url, queue_url):
        env = _environment(parallelism)
        _numbers(env, count).map(_Body(size), output_type=Types.STRING()).sink_to(
            _sink(backend, endpoint_url, queue_url, SimpleStringSchema()))
        return env
    return job


def _with_attributes(order: str):
    """A message builder that a typical job has: the body and three attributes (String,
    Number, Binary) taken from the record."""
    from pyflink_sqs import SqsMessage

    fields = order.split(";", 3)
    return SqsMessage(body=order, attributes={"customer": fields[1][len("customer-"):],
                                              "amount": float(fields[2][len("amount-"):]),
                                              "checksum": fields[0].encode("ascii")})


def _in_100_groups(order: str):
    """A FIFO message in one of 100 groups (by customer number modulo 100)."""
    from pyflink_sqs import SqsMessage

    number = int(order.split(";", 1)[0][len("order-"):])
    return SqsMessage(body=order, group_id=f"g{number % 100}")


def _builder_job(backend, builder, count, parallelism, endpoint_url, queue_url):
    env = _environment(parallelism)
    sink = (SqsSink.builder().set_sqs_url(queue_url).set_message_builder(builder)
            .set_sqs_client_properties({**CREDENTIALS,
                                        AWSConfigConstants.AWS_ENDPOINT: endpoint_url})
            .set_backend(backend).build())
    _numbers(env, count).map(_order, output_type=Types.STRING()).sink_to(sink)
    return env


def attributes_java_backend(count, parallelism, endpoint_url, queue_url):
    return _builder_job("java", _with_attributes, count, parallelism, endpoint_url, queue_url)


def attributes_python_backend(count, parallelism, endpoint_url, queue_url):
    return _builder_job("python", _with_attributes, count, parallelism, endpoint_url, queue_url)


def fifo_java_backend(count, parallelism, endpoint_url, queue_url):
    return _builder_job("java", _in_100_groups, count, parallelism, endpoint_url,
                        queue_url + ".fifo")


def fifo_python_backend(count, parallelism, endpoint_url, queue_url):
    return _builder_job("python", _in_100_groups, count, parallelism, endpoint_url,
                        queue_url + ".fifo")


def java_backend(count, parallelism, endpoint_url, queue_url):
    from pyflink.java_gateway import get_gateway
    from pyflink.util.java_utils import add_jars_to_context_class_loader

    from benchmarks.endpoint import JAR

    env = _environment(parallelism)
    add_jars_to_context_class_loader(["file://" + JAR])
    schema = SerializationSchema(
        j_serialization_schema=get_gateway().jvm.Thread.currentThread()
        .getContextClassLoader().loadClass("TimestampedNumberSchema").newInstance())
    _numbers(env, count).sink_to(_sink("java", endpoint_url, queue_url, schema))
    return env


def python_backend(count, parallelism, endpoint_url, queue_url):
    env = _environment(parallelism)
    (_numbers(env, count).map(_timestamped, output_type=Types.STRING())
     .sink_to(_sink("python", endpoint_url, queue_url, SimpleStringSchema())))
    return env


class Boto3PerRecord(MapFunction):
    """What PyFlink users write today: one send_message per record."""

    def __init__(self, endpoint_url, queue_url):
        self.endpoint_url, self.queue_url = endpoint_url, queue_url

    def open(self, runtime_context):
        import boto3

        self.client = boto3.client("sqs", region_name="us-east-1", endpoint_url=self.endpoint_url,
                                   aws_access_key_id="bench", aws_secret_access_key="bench-secret")

    def map(self, number):
        self.client.send_message(QueueUrl=self.queue_url, MessageBody=_timestamped(number))
        return number


class Boto3Batches(Boto3PerRecord):
    """The same with a hand-made batch of 10 (send_message_batch). Records left in the batch
    at the end are lost unless the count is a multiple of 10 per subtask, as in this run."""

    def open(self, runtime_context):
        super().open(runtime_context)
        self.batch = []

    def map(self, number):
        self.batch.append({"Id": str(len(self.batch)), "MessageBody": _timestamped(number)})
        if len(self.batch) == 10:
            self.client.send_message_batch(QueueUrl=self.queue_url, Entries=self.batch)
            self.batch = []
        return number


def _boto3_job(function_class, count, parallelism, endpoint_url, queue_url):
    from pyflink_sqs.python_backend.transform import discarding_sink

    env = _environment(parallelism)
    (_numbers(env, count).map(function_class(endpoint_url, queue_url), output_type=Types.LONG())
     .sink_to(Sink(discarding_sink())))
    return env


def boto3_per_record(count, parallelism, endpoint_url, queue_url):
    return _boto3_job(Boto3PerRecord, count, parallelism, endpoint_url, queue_url)


def boto3_batches(count, parallelism, endpoint_url, queue_url):
    return _boto3_job(Boto3Batches, count, parallelism, endpoint_url, queue_url)
