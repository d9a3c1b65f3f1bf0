"""A raw HTTP/1.1 endpoint on 127.0.0.1 whose answers a test writes byte for byte: for the
Python client's handling of answers no real server sends on purpose (a truncated body, a
200 that is not JSON) and of connections (closed after an answer, after idling, never
answered), without LocalStack.

`answer(n, request)` is called for the n-th request (from 1) with its parsed JSON body and
returns the bytes to send, CLOSE (close the connection without answering) or HANG (keep the
connection open, never answer, until the client closes it). After an answer, `close_after`
decides whether the endpoint closes the connection.
"""
import json
import socket
import threading
from typing import Callable, List

CLOSE = "close"
HANG = "hang"


def http_answer(status: int, body: bytes, headers: dict = None) -> bytes:
    head = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}",
            f"Content-Length: {len(body)}"]
    head += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def all_successful(request: dict) -> dict:
    """The answer SQS gives when it stores every entry (MD5 fields left out)."""
    return {"Successful": [{"Id": e["Id"], "MessageId": f"m-{e['Id']}"}
                           for e in request["Entries"]], "Failed": []}


class ScriptedEndpoint:
    def __init__(self, answer: Callable[[int, dict], object],
                 close_after: Callable[[int], bool] = lambda n: False):
        self._answer, self._close_after = answer, close_after
        self._server = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self.requests: List[dict] = []
        self.connections = 0
        self.abandoned = threading.Semaphore(0)  # released when a client gives up a HANG
        self.closed = threading.Semaphore(0)     # released when the endpoint closed one
        self._lock = threading.Lock()
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._stopped = True
        self._server.close()

    def _accept(self):
        while not self._stopped:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket):
        reader = connection.makefile("rb")
        try:
            while True:
                request = _read_request(reader)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                    n = len(self.requests)
                reply = self._answer(n, request)
                if reply == CLOSE:
                    return
                if reply == HANG:
                    reader.read(1)  # returns when the client closes the connection
                    self.abandoned.release()
                    return
                connection.sendall(reply)
                if self._close_after(n):
                    return
        except OSError:
            return
        finally:
            reader.close()
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            connection.close()
            self.closed.release()


def _read_request(reader):
    line = reader.readline()
    if not line:
        return None
    length = 0
    while True:
        header = reader.readline()
        if header in (b"\r\n", b"\n", b""):
            break
        name, _, value = header.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    return json.loads(reader.read(length))
