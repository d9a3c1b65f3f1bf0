"""An HTTP proxy on 127.0.0.1 in front of an SQS endpoint that records what crosses the wire.

The sink under test sends to the proxy (aws.endpoint); tests then check the requests as SQS
saw them, not as our own counters report them. A subclass can answer a request itself
(override ``intercept``) to inject faults, including faults of the connection: a reply can
close it (``Reply.close``) or be held back until the client gives up (``Reply.hold_seconds``),
and ``close_after_idle`` closes keep-alive connections left idle. ``stop_listening`` and
``listen_again`` make the endpoint go away (connections refused) and come back on its port.
"""
import http.client
import json
import select
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional, Tuple
from urllib.parse import urlsplit


@dataclass
class RecordedRequest:
    target: str
    headers: Dict[str, str]
    body: bytes
    status: int = 0
    response: bytes = b""

    def json(self):
        return json.loads(self.body)

    @property
    def entries(self) -> List[dict]:
        return self.json().get("Entries", [])


@dataclass
class Reply:
    """A response the proxy sends instead of forwarding; status None resets the connection.

    close: answer with "Connection: close" and close the connection after the answer.
    hold_seconds: send nothing until the client closes the connection or this time passed;
    only then (if the client is still there) send the reply, or with forward=True forward the
    request and send SQS's answer. ``SqsProxy.held`` is told which.
    """
    status: Optional[int]
    body: bytes = b""
    headers: Dict[str, str] = field(default_factory=dict)
    close: bool = False
    hold_seconds: Optional[float] = None
    forward: bool = False


class SqsProxy:
    def __init__(self, upstream: str, close_after_idle: Optional[float] = None):
        """close_after_idle: seconds a keep-alive connection may wait for its next request
        before the proxy closes it (as load balancers and SQS do); None keeps it open."""
        parts = urlsplit(upstream)
        self._upstream = (parts.hostname, parts.port or 80)
        self.close_after_idle = close_after_idle
        self.requests: List[RecordedRequest] = []
        self._lock = threading.Lock()
        self._local = threading.local()
        self._connections = set()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the clients under test use it

            def setup(self):
                super().setup()
                with proxy._lock:
                    proxy._connections.add(self.connection)

            def finish(self):
                with proxy._lock:
                    proxy._connections.discard(self.connection)
                super().finish()

            def handle(self):
                # BaseHTTPRequestHandler's loop, with the idle limit between two requests.
                self.close_connection = True
                self.handle_one_request()
                while not self.close_connection:
                    if proxy.close_after_idle is not None and not _readable(
                            self.connection, proxy.close_after_idle):
                        self.wfile.flush()
                        _shut(self.connection)
                        proxy.closed_idle()
                        return
                    self.handle_one_request()

            def do_POST(self):
                proxy._handle(self)

            def log_message(self, *args):
                pass

        self._handler = Handler
        self._server = self._listen(0)
        self._port = self._server.server_address[1]
        self.endpoint = f"http://127.0.0.1:{self._port}"

    def _listen(self, port: int) -> ThreadingHTTPServer:
        server = ThreadingHTTPServer(("127.0.0.1", port), self._handler)  # SO_REUSEADDR
        server.daemon_threads = True
        return server

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def stop_listening(self) -> None:
        """The endpoint goes away: new connections are refused, open ones are closed."""
        server, self._server = self._server, None
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            _shut(connection)

    def listen_again(self) -> None:
        """The endpoint is back, on the same port."""
        self._server = self._listen(self._port)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def sent_batches(self) -> List[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.target.endswith(".SendMessageBatch")]

    def intercept(self, request: RecordedRequest) -> Optional[Reply]:
        """None forwards the request; a Reply answers it instead."""
        return None

    def held(self, request: RecordedRequest, abandoned: bool) -> None:
        """A held reply ended: the client closed the connection first (abandoned), or the
        hold ran out and the reply was sent."""

    def closed_idle(self) -> None:
        """A keep-alive connection was closed after close_after_idle seconds without a
        request (the socket is shut down when this is called)."""

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        request = RecordedRequest(handler.headers.get("X-Amz-Target", ""),
                                  dict(handler.headers.items()), body)
        with self._lock:
            self.requests.append(request)
        reply = self.intercept(request)
        if reply is not None and reply.hold_seconds is not None:
            abandoned = _client_closes(handler.connection, reply.hold_seconds)
            self.held(request, abandoned)
            if abandoned:
                handler.close_connection = True
                return
            if reply.forward:
                reply = None
        if reply is None:
            status, headers, payload = self.forward(body, dict(handler.headers.items()),
                                                    handler.path)
        elif reply.status is None:
            handler.close_connection = True
            handler.connection.shutdown(2)
            return
        else:
            status, headers, payload = reply.status, list(reply.headers.items()), reply.body
        request.status, request.response = status, payload
        handler.send_response(status)
        for name, value in headers:
            if name.lower() not in ("content-length", "transfer-encoding", "connection", "date",
                                    "server"):
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        if reply is not None and reply.close:
            handler.send_header("Connection", "close")  # also sets handler.close_connection
        handler.end_headers()
        handler.wfile.write(payload)

    def forward(self, body: bytes, headers: Dict[str, str], path: str = "/") \
            -> Tuple[int, list, bytes]:
        """Sends a call upstream as it is (headers but Host and Content-Length kept)."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = http.client.HTTPConnection(*self._upstream,
                                                                            timeout=60)
        headers = {k: v for k, v in headers.items()
                   if k.lower() not in ("host", "content-length")}
        headers["Host"] = f"{self._upstream[0]}:{self._upstream[1]}"
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
        except (http.client.HTTPException, OSError):
            connection.close()  # a stale keep-alive connection: one retry on a fresh one
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
        return response.status, response.getheaders(), response.read()


def _readable(connection: socket.socket, timeout: float) -> bool:
    """Whether the client sent something (or closed) within timeout seconds."""
    return bool(select.select([connection], [], [], timeout)[0])


def _client_closes(connection: socket.socket, timeout: float) -> bool:
    """Waits up to timeout seconds for the client to close the connection; True if it did."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not _readable(connection, remaining):
            return False
        try:
            if connection.recv(1, socket.MSG_PEEK) == b"":
                return True
        except OSError:  # reset by the client
            return True
        # Our clients send one request at a time; bytes here would be a pipelined request,
        # which stays unread for the handler.
        return False


def _shut(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
