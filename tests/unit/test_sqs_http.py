"""The Python backend's HTTP client against an endpoint that answers byte for byte what the
test says: answers that are not what they claim, and connections that end or stall."""
import json
import time

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError

from pyflink_sqs.error_codes import Action
from pyflink_sqs.python_backend.sender import _classify_call_error
from pyflink_sqs.python_backend.sqs_http import SqsHttpClient
from tests.support.on_a_loop import OnALoop
from tests.support.scripted_endpoint import (CLOSE, HANG, ScriptedEndpoint, _read_request,
                                             all_successful, http_answer)

QUEUE = "http://127.0.0.1/000000000000/q"
ENTRIES = [{"Id": "0", "MessageBody": "a"}, {"Id": "1", "MessageBody": "b"}]
JSON = {"Content-Type": "application/x-amz-json-1.0"}


@pytest.fixture(autouse=True)
def loop():
    """The loop every call of a test runs on (see `call`)."""
    loop.current = OnALoop()
    yield
    loop.current.close()


class client:  # noqa: N801 -- reads as the client it stands for
    """SqsHttpClient with calls that run to their end on the test's loop."""

    def __init__(self, endpoint: ScriptedEndpoint, read_timeout: float = 10):
        session = boto3.Session(aws_access_key_id="AKIDEXAMPLE",
                                aws_secret_access_key="secret", region_name="us-east-1")
        self.sqs = SqsHttpClient(session, "us-east-1", endpoint.endpoint,
                                 read_timeout=read_timeout)

    def send_message_batch(self, **arguments):
        return loop.current(self.sqs.send_message_batch(**arguments))


def ok(request) -> bytes:
    return http_answer(200, json.dumps(all_successful(request)).encode(), JSON)


def test_a_200_whose_body_is_not_json_is_a_transient_failure_not_an_empty_success():
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    with ScriptedEndpoint(lambda n, r: http_answer(200, page, {"Content-Type": "text/html"})) \
            as endpoint:
        with pytest.raises(Exception) as error:
            client(endpoint).send_message_batch(QueueUrl=QUEUE, Entries=ENTRIES)
    rule, description = _classify_call_error(error.value)
    assert rule.action is Action.RETRY
    assert "HTTP 200" in description and "not a JSON object" in description
    assert "Bad Gateway" not in description  # the body is not repeated in logs


def test_a_200_whose_body_ends_early_is_a_connection_failure():
    def truncated(n, request):
        whole = ok(request)
        return whole[:len(whole) - 10]  # Content-Length promises 10 bytes more

    with ScriptedEndpoint(truncated, close_after=lambda n: True) as endpoint:
        with pytest.raises(Exception) as error:
            client(endpoint).send_message_batch(QueueUrl=QUEUE, Entries=ENTRIES)
    assert _classify_call_error(error.value)[0].action is Action.RETRY


def test_answers_with_connection_close_are_followed_by_a_new_connection_without_an_error():
    close = lambda n, r: http_answer(200, json.dumps(all_successful(r)).encode(),  # noqa: E731
                                     {**JSON, "Connection": "close"})
    with ScriptedEndpoint(close, close_after=lambda n: True) as endpoint:
        sqs = client(endpoint)
        for _ in range(3):
            answer = sqs.send_message_batch(QueueUrl=QUEUE, Entries=ENTRIES)
            assert [e["Id"] for e in answer["Successful"]] == ["0", "1"]
        assert endpoint.connections == 3


def test_a_keep_alive_connection_the_server_closed_while_idle_is_replaced_without_an_error():
    with ScriptedEndpoint(lambda n, r: ok(r), close_after=lambda n: n == 1) as endpoint:
        sqs = client(endpoint)
        sqs.send_message_batch(QueueUrl=QUEUE, Entries=ENTRIES)
        assert endpoint.closed.acquire(timeout=10)  # the server closed the idle connection
        answer = sqs.send_message_batch(QueueUrl=QUEUE, Entries=ENTRIES)
        assert len(answer["Successful"]) == 2
        assert endpoint.connections == 2 and len(endpoint.requests) == 2


def test_a_connection_closed_without_an_answer_on_a_new_connection_is_a_failure():
    with ScriptedEndpoint(lambda n, r: CLOSE) as endpoint:
        with pytest.raises(Exception) as error:
            client(endpoint).send_message_batch(QueueUrl=QUEUE, Entries=ENTRIES)
    assert _classify_call_error(error.value)[0].action is Action.RETRY
    assert len(endpoint.requests) == 1  # not sent again by the client: the sender decides


def test_a_call_never_answered_times_out_and_the_next_one_uses_a_new_connection():
    with ScriptedEndpoint(lambda n, r: HANG if n == 1 else ok(r)) as endpoint:
        sqs = client(endpoint, read_timeout=0.5)
        with pytest.raises(ReadTimeoutError) as error:
            sqs.send_message_batch(QueueUrl=QUEUE, Entries=ENTRIES)
        assert _classify_call_error(error.value)[0].action is Action.RETRY
        assert endpoint.abandoned.acquire(timeout=10)  # the client closed the hung connection
        assert len(sqs.send_message_batch(QueueUrl=QUEUE, Entries=ENTRIES)["Successful"]) == 2
        assert endpoint.connections == 2


def test_an_answer_trickling_in_byte_by_byte_cannot_outlast_the_read_timeout():
    # Each byte arrives well within the read timeout, so a timeout per read never fires; the
    # whole answer is due within it. After 30 bytes (6 s, 12 read timeouts) the endpoint
    # sends the rest: a client still waiting then would have accepted a call that took 12
    # times its timeout.
    class Trickling(ScriptedEndpoint):
        def _serve(self, connection):
            whole = ok(_read_request(connection.makefile("rb")))
            try:
                for i in range(30):
                    connection.sendall(whole[i:i + 1])
                    time.sleep(0.2)
                connection.sendall(whole[30:])
            except OSError:
                pass  # the client gave up
            connection.close()

    with Trickling(lambda n, r: None) as endpoint:
        with pytest.raises(ReadTimeoutError):
            client(endpoint, read_timeout=0.5).send_message_batch(QueueUrl=QUEUE,
                                                                  Entries=ENTRIES)


def test_an_answer_cut_in_its_headers_is_a_failure_and_the_request_is_not_sent_again():
    # The endpoint read the request (an answer began): sending it again at once would be a
    # retry without a backoff; the sender retries it after one instead.
    def cut(n, request):  # the second call, on the kept-alive connection, is cut
        return ok(request) if n == 1 else ok(request).split(b"\r\n\r\n", 1)[0][:-5]

    with ScriptedEndpoint(cut, close_after=lambda n: n == 2) as endpoint:
        sqs = client(endpoint)
        sqs.send_message_batch(QueueUrl=QUEUE, Entries=ENTRIES)
        with pytest.raises(Exception) as error:
            sqs.send_message_batch(QueueUrl=QUEUE, Entries=ENTRIES)
        assert len(endpoint.requests) == 2
    assert _classify_call_error(error.value)[0].action is Action.RETRY


def test_an_answer_whose_lines_end_in_bare_line_feeds_is_read():
    def bare(n, request):
        return ok(request).replace(b"\r\n", b"\n")

    with ScriptedEndpoint(bare) as endpoint:
        answer = client(endpoint).send_message_batch(QueueUrl=QUEUE, Entries=ENTRIES)
    assert [e["Id"] for e in answer["Successful"]] == ["0", "1"]
