"""An HTTP proxy on 127.0.0.1 in front of an SQS endpoint that records what crosses the wire.

The sink under test sends to the proxy (aws.endpoint); tests then check the requests as SQS
saw them, not as our own counters report them. A subclass can answer a request itself
(override ``intercept``) to inject faults.
"""
import http.client
import json
import threading
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
    """A response the proxy sends instead of forwarding; status None resets the connection."""
    status: Optional[int]
    body: bytes = b""
    headers: Dict[str, str] = field(default_factory=dict)


class SqsProxy:
    def __init__(self, upstream: str):
        parts = urlsplit(upstream)
        self._upstream = (parts.hostname, parts.port or 80)
        self.requests: List[RecordedRequest] = []
        self._lock = threading.Lock()
        self._local = threading.local()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the clients under test use it

            def do_POST(self):
                proxy._handle(self)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def sent_batches(self) -> List[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.target.endswith(".SendMessageBatch")]

    def intercept(self, request: RecordedRequest) -> Optional[Reply]:
        """None forwards the request; a Reply answers it instead."""
        return None

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        request = RecordedRequest(handler.headers.get("X-Amz-Target", ""),
                                  dict(handler.headers.items()), body)
        with self._lock:
            self.requests.append(request)
        reply = self.intercept(request)
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
