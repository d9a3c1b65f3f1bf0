"""SendMessageBatch over a plain HTTP/1.1 keep-alive connection per sending thread, signed
as botocore's SigV4Auth signs (sigv4.py): the Python backend's client.

Every call's CPU time in the Python backend is spent under one GIL, so the client's own cost
bounds the sink: a boto3 client spends most of a call in its own machinery (events, parameter
validation, endpoint rules, response parsing) and in http.client/urllib3.
benchmarks/python_clients.py measures this client against a boto3 client. Each sender thread
does one call at a time, so a connection per thread needs no pool.

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
import json
import socket
import ssl
import threading
import time
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
        self._local = threading.local()

    def send_message_batch(self, QueueUrl: str, Entries: list) -> dict:  # noqa: N803 -- boto3's
        body = json.dumps({"QueueUrl": QueueUrl, "Entries": Entries}).encode("utf-8")
        request = self._request_bytes(body)
        status, headers, data = self._exchange(request)
        answer = _json_object(data)
        if status != 200:
            raise ClientError(_error_response(status, headers, answer or {}), "SendMessageBatch")
        if answer is None:
            raise UnreadableAnswerError(detail=f"{headers.get('content-type') or 'no type'}, "
                                               f"{len(data)} bytes")
        return answer

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

    def _exchange(self, request: bytes):
        """Sends on this thread's connection and reads the answer. A reused connection the
        server closed while idle fails before any answer byte: then once more on a new one.
        A connection the answer closed ("Connection: close") is dropped, not used again."""
        reused = getattr(self._local, "connection", None) is not None
        try:
            return self._answered(self._connection().exchange(request))
        except _NoAnswer as error:
            self._drop()
            if not reused:
                raise ConnectionClosedError(endpoint_url=self._url) from error.__cause__
        except (OSError, _BadAnswer) as error:
            self._drop()
            raise _chained(self._as_botocore(error), error)
        try:
            return self._answered(self._connection().exchange(request))
        except (_NoAnswer, _BadAnswer, OSError) as error:
            self._drop()
            raise _chained(self._as_botocore(getattr(error, "__cause__", None) or error), error)

    def _answered(self, answer):
        if self._local.connection.closed:
            self._local.connection = None
        return answer

    def _connection(self) -> "_Connection":
        connection = getattr(self._local, "connection", None)
        if connection is None:
            try:
                raw = socket.create_connection((self._host, self._port),
                                               timeout=self._connect_timeout)
                raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock = (self._tls.wrap_socket(raw, server_hostname=self._host) if self._tls
                        else raw)
            except socket.gaierror as error:
                raise EndpointConnectionError(endpoint_url=self._url) from error
            except ssl.SSLError as error:
                raise SSLError(endpoint_url=self._url, error=error) from error
            except OSError as error:
                raise EndpointConnectionError(endpoint_url=self._url) from error
            connection = self._local.connection = _Connection(sock, self._read_timeout)
        return connection

    def _drop(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.close()

    def _as_botocore(self, error: BaseException) -> Exception:
        if isinstance(error, ssl.SSLError):
            return SSLError(endpoint_url=self._url, error=error)
        if isinstance(error, socket.timeout):
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
    timeout. Reads straight from the socket (no makefile) so each wait is bounded by what is
    left of the call's time."""

    def __init__(self, sock, read_timeout: float):
        self._sock = sock
        self._read_timeout = read_timeout
        self._buffer = bytearray()
        self._deadline = 0.0
        self.closed = False

    def exchange(self, request: bytes):
        self._deadline = time.monotonic() + self._read_timeout
        try:
            self._sock.settimeout(self._read_timeout)
            self._sock.sendall(request)
            head = self._head()
        except (ConnectionError, ssl.SSLEOFError) as error:
            raise _NoAnswer() from error
        if head is None:
            raise _NoAnswer() from ConnectionResetError("closed before answering")
        # One split of the whole head, not a read per line: ~3 % of the Python backend's GIL.
        status_line, *lines = head.decode("latin-1").splitlines()
        try:
            status = int(status_line.split(" ", 2)[1])
        except (IndexError, ValueError):
            raise _BadAnswer(f"not an HTTP answer: {status_line[:40]!r}") from None
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            data = self._chunked()
        else:
            data = self._read(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, data

    def _fill(self) -> bool:
        """Reads what has arrived into the buffer; False when the server closed."""
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("the answer did not arrive within the read timeout")
        self._sock.settimeout(remaining)
        chunk = self._sock.recv(65_536)
        self._buffer += chunk
        return bool(chunk)

    def _head(self):
        """The status line and headers, without the blank line that ends them; None when the
        server closed before the first byte."""
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            gap = 4
            if end < 0:
                end, gap = self._buffer.find(b"\n\n"), 2
            if end >= 0:
                head = bytes(self._buffer[:end])
                del self._buffer[:end + gap]
                return head
            if len(self._buffer) > MAX_LINE_BYTES:
                raise _BadAnswer(f"the answer's head is over {MAX_LINE_BYTES} bytes")
            if not self._fill():
                if self._buffer:  # an answer began: the request was read, not to be re-sent
                    raise _BadAnswer("the connection closed in the answer's headers")
                return None

    def _line(self) -> bytes:
        """The next line with its end; what is left (maybe b"") when the server closed."""
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[:end + 1])
                del self._buffer[:end + 1]
                return line
            if len(self._buffer) > MAX_LINE_BYTES:
                raise _BadAnswer(f"a line of the answer is over {MAX_LINE_BYTES} bytes")
            if not self._fill():
                line = bytes(self._buffer)
                self._buffer.clear()
                return line

    def _read(self, size: int) -> bytes:
        while len(self._buffer) < size:
            if not self._fill():
                raise ConnectionResetError(f"closed after {len(self._buffer)} of the "
                                           f"answer's {size} body bytes")
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def _chunked(self) -> bytes:
        parts = []
        while True:
            try:
                size = int(self._line().split(b";")[0].strip() or b"0", 16)
            except ValueError:
                raise _BadAnswer("a chunk size that is not a number") from None
            if size == 0:
                while self._line() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            parts.append(self._read(size))
            self._line()

    def close(self) -> None:
        self.closed = True
        try:
            self._sock.close()
        except OSError:
            pass


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
