"""SendMessageBatch over plain HTTP/1.1 keep-alive connections, signed as botocore's SigV4Auth
signs (sigv4.py): the Python backend's client. Its calls are coroutines on the writer's call
loop (call_loop.py), one thread for all of a subtask's calls in flight.

Every call's CPU time in the Python backend is spent under one GIL, so the client's own cost
bounds the sink: a boto3 client spends most of a call in its own machinery (events, parameter
validation, endpoint rules, response parsing) and in http.client/urllib3.
benchmarks/python_clients.py measures this client against a boto3 client. A call takes an idle
connection or opens one; at most max_in_flight_requests calls run, so as many connections.

It answers as boto3 does (the same response dict; botocore's ClientError and connection
exceptions), so the sender classifies errors the same way, and it takes its credentials from
a boto3 session, so every provider and botocore's refreshing of temporary credentials work.
Where boto3 is lenient it is not: a 200 whose body is not a JSON object (boto3 makes it
{"message": <body>}, which reads as "nothing failed") is an UnreadableAnswerError, and a
body shorter than its Content-Length a closed connection.

The read timeout (aws.http-client.read-timeout) bounds the whole call, from sending to the
last byte of the answer, not each read: an answer trickling in cannot hold a call (and the
checkpoint waiting for it) longer.
"""
import asyncio
import json
import socket
import ssl
from typing import Optional
from urllib.parse import urlsplit

from botocore.exceptions import (ClientError, ConnectionClosedError, EndpointConnectionError,
                                 HTTPClientError, NoCredentialsError, ReadTimeoutError, SSLError)
from botocore.httpsession import get_cert_path

from pyflink_sqs.client_properties import DEFAULT_READ_TIMEOUT_MILLIS
from pyflink_sqs.python_backend.sigv4 import SigV4Signer

TARGET = "AmazonSQS.SendMessageBatch"
CONTENT_TYPE = "application/x-amz-json-1.0"
HEADERS = {"Content-Type": CONTENT_TYPE, "X-Amz-Target": TARGET}
CONNECT_TIMEOUT_SECONDS = 10  # as the Java backend's (AwsClientProperties.CONNECT_TIMEOUT)
# An answer's head (status line and headers) or a line longer than this is not SQS's (its
# lines are < 200 bytes, its heads < 1,000).
MAX_LINE_BYTES = 65_536


class UnreadableAnswerError(HTTPClientError):
    """SQS (or something in between) answered 200 with a body that is not a JSON object: the
    entries' fate is unknown, so the call failed, as if the connection had broken."""
    fmt = "SQS answered HTTP 200 with a body that is not a JSON object ({detail})"


class SqsHttpClient:
    """Calls run as coroutines on one event loop (the writer's call loop, call_loop.py); the
    client is not thread-safe: every call and close() on that loop's thread."""

    def __init__(self, session, region: str, endpoint: str, verify: bool = True,
                 connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
                 read_timeout: float = DEFAULT_READ_TIMEOUT_MILLIS / 1000):
        self._credentials = session.get_credentials()
        self._signer = SigV4Signer(region)
        self._url = endpoint.rstrip("/") + "/"
        parts = urlsplit(self._url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        default_port = (self._https and self._port == 443) or (not self._https and
                                                                self._port == 80)
        self._host_header = self._host if default_port else f"{self._host}:{self._port}"
        self._path = parts.path or "/"
        self._connect_timeout, self._read_timeout = connect_timeout, read_timeout
        self._tls = _tls_context(verify) if self._https else None
        self._idle = []  # keep-alive connections between calls, the last used on top

    async def send_message_batch(self, QueueUrl: str, Entries: list) -> dict:  # noqa: N803
        body = json.dumps({"QueueUrl": QueueUrl, "Entries": Entries}).encode("utf-8")
        request = self._request_bytes(body)
        status, headers, data = await self._exchange(request)
        answer = _json_object(data)
        if status != 200:
            raise ClientError(_error_response(status, headers, answer or {}), "SendMessageBatch")
        if answer is None:
            raise UnreadableAnswerError(detail=f"{headers.get('content-type') or 'no type'}, "
                                               f"{len(data)} bytes")
        return answer

    def close(self) -> None:
        """Closes the idle connections (a call still running closes its own when it ends)."""
        while self._idle:
            self._idle.pop().close()

    def _request_bytes(self, body: bytes) -> bytes:
        if self._credentials is None:
            raise NoCredentialsError()
        # Refreshable credentials refresh here, before they expire.
        frozen = self._credentials.get_frozen_credentials()
        signed = self._signer.signed_headers(frozen, self._path, self._host_header, HEADERS,
                                             body)
        head = [f"POST {self._path} HTTP/1.1", f"Host: {self._host_header}"]
        head += [f"{name}: {value}" for name, value in signed.items()]
        head += [f"Content-Length: {len(body)}", "", ""]
        return "\r\n".join(head).encode("latin-1") + body

    async def _exchange(self, request: bytes):
        """Sends on an idle connection (or a new one) and reads the answer. A reused connection
        the server closed while idle fails before any answer byte: then once more on a new
        one. A connection the answer closed ("Connection: close") is dropped, not used again."""
        connection = self._idle_connection()
        reused = connection is not None
        try:
            if connection is None:
                connection = await self._connect()
            return self._answered(connection, await connection.exchange(request))
        except _NoAnswer as error:
            connection.close()
            if not reused:
                raise ConnectionClosedError(endpoint_url=self._url) from error.__cause__
        except (OSError, _BadAnswer, asyncio.TimeoutError) as error:
            if connection is not None:
                connection.close()
            raise _chained(self._as_botocore(error), error)
        except BaseException:  # cancelled: the connection is in an unknown state
            if connection is not None:
                connection.close()
            raise
        connection = None
        try:
            connection = await self._connect()
            return self._answered(connection, await connection.exchange(request))
        except (_NoAnswer, _BadAnswer, OSError, asyncio.TimeoutError) as error:
            if connection is not None:
                connection.close()
            raise _chained(self._as_botocore(getattr(error, "__cause__", None) or error), error)
        except BaseException:
            if connection is not None:
                connection.close()
            raise

    def _idle_connection(self) -> "Optional[_Connection]":
        while self._idle:
            connection = self._idle.pop()
            if connection.usable():
                return connection
            connection.close()
        return None

    def _answered(self, connection: "_Connection", answer):
        if not connection.closed:
            self._idle.append(connection)
        return answer

    async def _connect(self) -> "_Connection":
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(
                self._host, self._port, ssl=self._tls,
                server_hostname=self._host if self._tls else None, limit=MAX_LINE_BYTES),
                self._connect_timeout)
        except socket.gaierror as error:
            raise EndpointConnectionError(endpoint_url=self._url) from error
        except ssl.SSLError as error:
            raise SSLError(endpoint_url=self._url, error=error) from error
        except (OSError, asyncio.TimeoutError) as error:
            raise EndpointConnectionError(endpoint_url=self._url) from error
        return _Connection(reader, writer, self._read_timeout)

    def _as_botocore(self, error: BaseException) -> Exception:
        if isinstance(error, ssl.SSLError):
            return SSLError(endpoint_url=self._url, error=error)
        if isinstance(error, (socket.timeout, asyncio.TimeoutError)):
            return ReadTimeoutError(endpoint_url=self._url)
        if isinstance(error, (EndpointConnectionError, SSLError)):
            return error
        return ConnectionClosedError(endpoint_url=self._url)


class _NoAnswer(Exception):
    """The connection failed before the first byte of an answer."""


class _BadAnswer(Exception):
    """Not an HTTP/1.1 answer we can read."""


class _Connection:
    """One keep-alive HTTP/1.1 connection: a request out, its answer in, within the read
    timeout, which a timer enforces by aborting the connection (no task per call, as
    asyncio.wait_for would start: ~15 us of the call loop's time each)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 read_timeout: float):
        self._reader, self._writer = reader, writer
        self._read_timeout = read_timeout
        self._timed_out = False
        self.closed = False

    def usable(self) -> bool:
        """False once the server closed it while idle (the request would be lost on it)."""
        return not (self._reader.at_eof() or self._writer.is_closing())

    async def exchange(self, request: bytes):
        timer = asyncio.get_running_loop().call_later(self._read_timeout, self._time_out)
        try:
            return await self._exchange(request)
        except (Exception, asyncio.CancelledError):
            if self._timed_out:
                raise socket.timeout("the answer did not arrive within the read timeout") \
                    from None
            raise
        finally:
            timer.cancel()

    def _time_out(self) -> None:
        self._timed_out = True
        self.close()

    async def _exchange(self, request: bytes):
        reader = self._reader
        try:
            self._writer.write(request)
            status_line = await reader.readline()
        except (ConnectionError, ssl.SSLEOFError) as error:
            raise _NoAnswer() from error
        except ValueError:  # a line over the reader's limit
            raise _BadAnswer(f"a line of the answer is over {MAX_LINE_BYTES} bytes") from None
        if not status_line:
            raise _NoAnswer() from ConnectionResetError("closed before answering")
        try:
            status = int(status_line.split(b" ", 2)[1])
        except (IndexError, ValueError):
            raise _BadAnswer(f"not an HTTP answer: {status_line[:40]!r}") from None
        headers, head_bytes = {}, len(status_line)
        while True:
            try:
                line = await reader.readline()
            except ValueError:
                raise _BadAnswer(f"a line of the answer is over {MAX_LINE_BYTES} "
                                 f"bytes") from None
            if not line.endswith(b"\n"):  # an answer began: the request was read
                raise _BadAnswer("the connection closed in the answer's headers")
            if line in (b"\r\n", b"\n"):
                break
            head_bytes += len(line)
            if head_bytes > MAX_LINE_BYTES:
                raise _BadAnswer(f"the answer's head is over {MAX_LINE_BYTES} bytes")
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            data = await self._chunked()
        else:
            data = await self._read(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, data

    async def _read(self, size: int) -> bytes:
        try:
            return await self._reader.readexactly(size)
        except asyncio.IncompleteReadError as error:
            raise ConnectionResetError(f"closed after {len(error.partial)} of the answer's "
                                       f"{size} body bytes") from None

    async def _line(self) -> bytes:
        try:
            return await self._reader.readline()
        except ValueError:
            raise _BadAnswer(f"a line of the answer is over {MAX_LINE_BYTES} bytes") from None

    async def _chunked(self) -> bytes:
        parts = []
        while True:
            try:
                size = int((await self._line()).split(b";")[0].strip() or b"0", 16)
            except ValueError:
                raise _BadAnswer("a chunk size that is not a number") from None
            if size == 0:
                while (await self._line()) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            parts.append(await self._read(size))
            await self._line()

    def close(self) -> None:
        self.closed = True
        self._writer.transport.abort()  # at once: no answer is awaited on it any more


def _chained(error: Exception, cause: BaseException) -> Exception:
    """error with cause as its __cause__, unless they are one exception (botocore's own errors,
    such as the SSLError _connection() raises, pass through _as_botocore unchanged): an
    exception that is its own cause makes every walk along the chain endless."""
    if error is not cause:
        error.__cause__ = cause
    return error


def _tls_context(verify: bool) -> ssl.SSLContext:
    if not verify:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    # botocore's certificate bundle, as a boto3 client would use.
    return ssl.create_default_context(cafile=get_cert_path(True))


def _json_object(data: bytes):
    """The answer's JSON object; None when the body is something else (an empty body is one:
    SQS's answers, errors included, always carry an object)."""
    try:
        answer = json.loads(data)
    except ValueError:  # UnicodeDecodeError included
        return None
    return answer if isinstance(answer, dict) else None


def _error_response(status: int, headers: dict, answer: dict) -> dict:
    """The dict botocore's ClientError carries, from a JSON-protocol error answer."""
    code = str(answer.get("__type", "")).rsplit("#", 1)[-1]
    error = {"Code": code, "Message": answer.get("message") or answer.get("Message", "")}
    query_error = headers.get("x-amzn-query-error", "")
    if query_error:
        error["QueryErrorCode"] = query_error.split(";", 1)[0]
    metadata = {"HTTPStatusCode": status}
    if headers.get("x-amzn-requestid"):
        metadata["RequestId"] = headers["x-amzn-requestid"]
    return {"Error": error, "ResponseMetadata": metadata}
