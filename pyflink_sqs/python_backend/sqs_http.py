"""SendMessageBatch over a plain HTTP/1.1 keep-alive connection per sending thread, signed
with botocore's SigV4Auth: the Python backend's client.

Every call's CPU time in the Python backend is spent under one GIL, so the client's own cost
bounds the sink: a boto3 client spends most of a call in its own machinery (events, parameter
validation, endpoint rules, response parsing) and in http.client/urllib3.
benchmarks/python_clients.py measures this client against a boto3 client. Each sender thread
does one call at a time, so a connection per thread needs no pool.

It answers as boto3 does (the same response dict; botocore's ClientError and connection
exceptions), so the sender classifies errors the same way, and it takes its credentials from
a boto3 session, so every provider and botocore's refreshing of temporary credentials work.
"""
import json
import socket
import ssl
import threading
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.exceptions import (ClientError, ConnectionClosedError, EndpointConnectionError,
                                 NoCredentialsError, ReadTimeoutError, SSLError)
from botocore.httpsession import get_cert_path

TARGET = "AmazonSQS.SendMessageBatch"
CONTENT_TYPE = "application/x-amz-json-1.0"


class SqsHttpClient:
    def __init__(self, session, region: str, endpoint: str, verify: bool = True,
                 connect_timeout: float = 10, read_timeout: float = 60):
        self._credentials = session.get_credentials()
        self._region = region
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
        answer = _json(data)
        if status != 200:
            raise ClientError(_error_response(status, headers, answer), "SendMessageBatch")
        return answer

    def _request_bytes(self, body: bytes) -> bytes:
        if self._credentials is None:
            raise NoCredentialsError()
        # Refreshable credentials refresh here, before they expire.
        frozen = self._credentials.get_frozen_credentials()
        signed = AWSRequest(method="POST", url=self._url, data=body,
                            headers={"Content-Type": CONTENT_TYPE, "X-Amz-Target": TARGET})
        SigV4Auth(frozen, "sqs", self._region).add_auth(signed)
        head = [f"POST {self._path} HTTP/1.1", f"Host: {self._host_header}"]
        head += [f"{name}: {value}" for name, value in signed.headers.items()]
        head += [f"Content-Length: {len(body)}", "", ""]
        return "\r\n".join(head).encode("latin-1") + body

    def _exchange(self, request: bytes):
        """Sends on this thread's connection and reads the answer. A reused connection the
        server closed while idle fails before any answer byte: then once more on a new one."""
        reused = getattr(self._local, "connection", None) is not None
        try:
            return self._connection().exchange(request)
        except _NoAnswer as error:
            self._drop()
            if not reused:
                raise ConnectionClosedError(endpoint_url=self._url) from error.__cause__
        except (OSError, _BadAnswer) as error:
            self._drop()
            raise self._as_botocore(error) from error
        try:
            return self._connection().exchange(request)
        except (_NoAnswer, _BadAnswer, OSError) as error:
            self._drop()
            raise self._as_botocore(getattr(error, "__cause__", None) or error) from error

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
            sock.settimeout(self._read_timeout)
            connection = self._local.connection = _Connection(sock)
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
    def __init__(self, sock):
        self._sock = sock
        self._file = sock.makefile("rb")

    def exchange(self, request: bytes):
        try:
            self._sock.sendall(request)
            status_line = self._file.readline()
        except (ConnectionError, ssl.SSLEOFError) as error:
            raise _NoAnswer() from error
        if not status_line:
            raise _NoAnswer() from ConnectionResetError("closed before answering")
        try:
            status = int(status_line.split(b" ", 2)[1])
        except (IndexError, ValueError):
            raise _BadAnswer(f"not an HTTP answer: {status_line[:40]!r}") from None
        headers = {}
        while True:
            line = self._file.readline()
            if line in (b"\r\n", b"\n"):
                break
            if not line:
                raise ConnectionResetError("closed in the answer's headers")
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            data = self._chunked()
        else:
            data = self._file.read(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, data

    def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int(self._file.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self._file.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            parts.append(self._file.read(size))
            self._file.readline()

    def close(self) -> None:
        try:
            self._file.close()
            self._sock.close()
        except OSError:
            pass


def _tls_context(verify: bool) -> ssl.SSLContext:
    if not verify:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    # botocore's certificate bundle, as a boto3 client would use.
    return ssl.create_default_context(cafile=get_cert_path(True))


def _json(data: bytes) -> dict:
    try:
        return json.loads(data) if data else {}
    except ValueError:
        return {}


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
