"""The Python backend's writer (python_backend/writer.py) driven without PyFlink's runtime or
SQS: opened by a stand-in PyFlink operation with a stand-in runtime context, its SQS client a
fake that answers, or holds a call until told to answer. Backpressure at max_buffered_requests
and at a round of batches waiting for calls, and the bundle end that waits for every call, as
the job's worker thread meets them."""
import asyncio
import threading

import pytest
from apache_beam.runners.worker import statesampler
from pyflink.fn_execution.datastream.process.operations import Operation
from pyflink.fn_execution.metrics.process.metric_impl import GenericMetricGroup

from pyflink_sqs.aws_config import AWSConfigConstants
from pyflink_sqs.message import MessageFactory
from pyflink_sqs.message_md5 import body_md5
from pyflink_sqs.python_backend import writer
from pyflink_sqs.python_backend.concealed import ConcealedProperties
from pyflink_sqs.python_backend.settings import WriterSettings
from tests.support.waiting import wait_until

QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/orders"


class HoldingSqs:
    """A SendMessageBatch client: stores every body, and holds each call until released."""

    def __init__(self):
        self.released = threading.Event()
        self.closed = False
        self.bodies = []
        self.calls_started = 0
        self._lock = threading.Lock()

    async def send_message_batch(self, QueueUrl, Entries):  # noqa: N803 -- boto3's names
        with self._lock:
            self.calls_started += 1
        for _ in range(6_000):  # the test releases it from a thread of its own
            if self.released.is_set():
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("the test never released the held call")
        with self._lock:
            self.bodies += [entry["MessageBody"] for entry in Entries]
        return {"Successful": [{"Id": entry["Id"], "MessageId": f"m-{entry['Id']}",
                                "MD5OfMessageBody": body_md5(entry["MessageBody"])}
                               for entry in Entries], "Failed": []}

    def close(self):
        self.closed = True


class RuntimeContext:
    """What the writer asks of PyFlink's RuntimeContext."""

    def get_index_of_this_subtask(self):
        return 0

    def get_attempt_number(self):
        return 0

    def get_metrics_group(self):
        return GenericMetricGroup(None, None)  # the root, as PyFlink's operation makes it


class WriterOperation(Operation):
    """Runs the writer as PyFlink's operation does: open() on the stack of an Operation method
    (where the bundle hook finds it), finish() at each bundle end."""

    def __init__(self, function):  # noqa: super().__init__ needs a serialized function
        self.function = function

    def open(self):
        self.function.open(RuntimeContext())

    def finish(self):
        pass


def settings(**options):
    values = dict(
        queue_url=QUEUE, region="us-east-1", endpoint="https://sqs.us-east-1.amazonaws.com",
        client_properties=ConcealedProperties({
            AWSConfigConstants.AWS_REGION: "us-east-1",
            AWSConfigConstants.AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
            AWSConfigConstants.AWS_SECRET_ACCESS_KEY: "not-a-secret"}),
        trust_all_certificates=False, read_timeout_ms=60_000, fail_on_error=False,
        max_batch_size=10, max_in_flight_requests=50, max_buffered_requests=5_000,
        max_batch_size_in_bytes=256 * 1024, max_time_in_buffer_ms=5_000,
        max_record_size_in_bytes=256 * 1024, rejected_record_policy="fail",
        dead_letter_queue_url=None, messages=MessageFactory(False))
    return WriterSettings(**{**values, **options})


@pytest.fixture
def opened(monkeypatch):
    """(operation, function, sqs): a writer opened with the fake client; closed afterwards."""
    sqs = HoldingSqs()
    monkeypatch.setattr(writer, "sqs_client", lambda *args, **kwargs: sqs)
    logger_level = writer.LOG.level  # open() sets INFO on it, as in a worker

    def open_writer(**options):
        function = writer.SqsWriterFunction(settings(**options))
        operation = WriterOperation(function)
        operation.open()
        opened.functions.append(function)
        return operation, function, sqs

    opened.functions = []
    yield open_writer
    sqs.released.set()
    for function in opened.functions:
        function.close()
    writer.LOG.setLevel(logger_level)


def feed(function, records, fed):
    """Hands the records to the writer on a thread of its own, as PyFlink's worker thread
    would, inside one bundle; `fed` counts those process_element returned from."""
    def run():
        with statesampler.instruction_id("bundle-1"):
            for record in records:
                function.process_element(record, None)
                fed.append(record)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("in_flight, buffered, returned", [
    # 20 records in the two calls allowed (held by the fake), then 15 buffered: the 35th
    # process_element waits for room, so 34 return.
    (2, 15, 34),
    # Room for 100, but the 30th record makes a second full batch waiting for the one call:
    # MAX_BATCHES_WAITING, as many as the writer forms ahead of its calls, so 29 return.
    (1, 100, 9 + 10 * writer.MAX_BATCHES_WAITING)])
def test_the_worker_thread_is_held_once_max_buffered_requests_records_or_a_round_wait(
        opened, in_flight, buffered, returned):
    operation, function, sqs = opened(max_in_flight_requests=in_flight,
                                      max_buffered_requests=buffered)
    records = [f"held-{i}" for i in range(100)]
    fed = []
    feeder = feed(function, records, fed)
    wait_until(lambda: len(fed) >= returned and sqs.calls_started >= in_flight, 30,
               f"{returned} records taken by the writer and {in_flight} calls started")
    assert len(fed) == returned and feeder.is_alive()
    assert sqs.calls_started == in_flight  # max_in_flight_requests
    sqs.released.set()
    feeder.join(30)
    assert not feeder.is_alive() and fed == records
    with statesampler.instruction_id("bundle-1"):
        operation.finish()  # the bundle end: sends what is buffered, waits for every answer
    assert sorted(sqs.bodies) == sorted(records)


def test_a_bundle_end_returns_only_once_every_call_was_answered(opened):
    operation, function, sqs = opened(max_in_flight_requests=4)
    records = [f"flushed-{i}" for i in range(35)]  # 3 full batches and a partial one
    fed = []
    feed(function, records, fed).join(30)
    assert fed == records
    wait_until(lambda: sqs.calls_started == 3, 30, "the 3 full batches' calls")
    stored_when_it_returned = []

    def bundle_end():
        with statesampler.instruction_id("bundle-1"):
            operation.finish()
        stored_when_it_returned.append(len(sqs.bodies))

    ending = threading.Thread(target=bundle_end, daemon=True)
    ending.start()
    # The bundle end starts the partial batch's call too; all four are held until released.
    wait_until(lambda: sqs.calls_started == 4, 30, "the partial batch's call")
    sqs.released.set()
    ending.join(30)
    assert stored_when_it_returned == [len(records)]
    assert sorted(sqs.bodies) == sorted(records)
