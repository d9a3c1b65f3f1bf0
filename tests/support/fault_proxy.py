"""A recording proxy in front of SQS that injects faults at configurable rates.

Faults, each drawn per SendMessageBatch call from a seeded random generator (one fault per
call at most; the rates add up to at most 1):
- reset: the connection is closed without an answer (the call may not have reached SQS);
- server_error: HTTP 500 InternalError, the call not forwarded;
- throttle: HTTP 400 ThrottlingException, the call not forwarded;
- partial: some entries are removed from the call before it is forwarded and reported back
  under "Failed" with a transient code, so only the others reach the queue;
- bad_200: HTTP 200 with an HTML page for a body (what a captive portal or a misconfigured
  proxy sends), the call not forwarded;
- count_mismatch: as partial, then the answer leaves out some entries: some of those SQS
  stored (from "Successful") and some of those it did not (from "Failed"), so a sink that
  counts what is not reported failed as sent loses the latter;
- md5_mismatch: forwarded, then MD5OfMessageBody of some "Successful" entries is corrupted
  (the message SQS stored is not the one sent, as far as the sender can tell);
- hang: accepted and never answered, the call not forwarded; the proxy waits for the client
  to give up (counted as hang_abandoned) or, after hang_limit_seconds, answers HTTP 400
  pyflink-sqs.test.ClientKeptWaiting, which fails the job (counted as hang_outlived);
- connection_close: forwarded, answered with "Connection: close", and the connection closed.
Also, not drawn: the first hang_first calls hang; close_after_idle closes keep-alive
connections idle for that many seconds (counted as close_after_idle).
Error answers are shaped like SQS's JSON protocol errors. Counts are in `injected`;
`wait_for_injected` waits for one to reach a number.
"""
import json
import random
import threading
from collections import Counter
from dataclasses import dataclass, replace
from typing import Optional

from tests.support.sqs_proxy import RecordedRequest, Reply, SqsProxy

TRANSIENT_ENTRY_CODES = ("InternalError", "ServiceUnavailable", "RequestThrottled")
JSON = {"Content-Type": "application/x-amz-json-1.0"}
HTML_PAGE = (b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>"
             b"<p>The proxy server received an invalid response.</p></body></html>")
# Ten times the read timeout the hang tests set (2 s): a client that honours its timeout has
# long given up; one that waits this long never would.
HANG_LIMIT_SECONDS = 20.0


def error_reply(status: int, code: str, message: str, query_code: str = None) -> Reply:
    body = json.dumps({"__type": f"com.amazonaws.sqs#{code}", "message": message}).encode()
    headers = {**JSON, "x-amzn-RequestId": "00000000-0000-0000-0000-fault0000000"}
    if query_code:
        headers["x-amzn-query-error"] = f"{query_code};Sender"
    return Reply(status, body, headers)


@dataclass
class FaultRates:
    reset: float = 0.0
    server_error: float = 0.0
    throttle: float = 0.0
    partial: float = 0.0
    bad_200: float = 0.0
    count_mismatch: float = 0.0
    md5_mismatch: float = 0.0
    hang: float = 0.0
    connection_close: float = 0.0


class FaultInjectingProxy(SqsProxy):
    def __init__(self, upstream: str, rates: FaultRates, seed: int = 7, hang_first: int = 0,
                 hang_limit_seconds: float = HANG_LIMIT_SECONDS,
                 close_after_idle: Optional[float] = None,
                 md5_mismatches_per_body: Optional[int] = None):
        super().__init__(upstream, close_after_idle=close_after_idle)
        # None: corrupt whatever is drawn. A number: never corrupt one body's digest more
        # often, so a test of "sent again" cannot reach the sink's 3-attempt limit by chance
        # (at 0.1 per call and 1/2 per entry, 2,000 records hit it about one run in five).
        self.md5_mismatches_per_body = md5_mismatches_per_body
        self._corrupted_bodies = Counter()
        self._corrupted_lock = threading.Lock()
        self.rates = rates
        self.hang_first = hang_first
        self.hang_limit_seconds = hang_limit_seconds
        self.injected = Counter()
        self._random = random.Random(seed)
        self._random_lock = threading.Lock()
        self._counted = threading.Condition()
        self._calls = 0

    def _draw(self) -> float:
        with self._random_lock:
            return self._random.random()

    def count(self, kind: str, amount: int = 1) -> None:
        with self._counted:
            self.injected[kind] += amount
            self._counted.notify_all()

    def wait_for_injected(self, kind: str, at_least: int = 1, timeout: float = 60) -> None:
        with self._counted:
            if not self._counted.wait_for(lambda: self.injected[kind] >= at_least, timeout):
                raise AssertionError(f"the proxy injected {self.injected[kind]} {kind}, not "
                                     f"{at_least}, in {timeout} s: {dict(self.injected)}")

    def held(self, request: RecordedRequest, abandoned: bool) -> None:
        self.count("hang_abandoned" if abandoned else "hang_outlived")

    def closed_idle(self) -> None:
        self.count("close_after_idle")

    def intercept(self, request: RecordedRequest) -> Optional[Reply]:
        if not request.target.endswith(".SendMessageBatch"):
            return None
        with self._random_lock:
            self._calls += 1
            first = self._calls <= self.hang_first
        if first:
            return self._hang()
        draw, r = self._draw(), self.rates
        if draw < r.reset:
            self.count("reset")
            return Reply(None)
        draw -= r.reset
        if draw < r.server_error:
            self.count("server_error")
            return error_reply(500, "InternalError", "We encountered an internal error.")
        draw -= r.server_error
        if draw < r.throttle:
            self.count("throttle")
            return error_reply(400, "ThrottlingException", "Rate exceeded", "RequestThrottled")
        draw -= r.throttle
        if draw < r.partial:
            if len(request.entries) < 2:
                return None  # drawn, but a single entry cannot fail partially
            self.count("partial")
            return self._partially_fail(request)
        draw -= r.partial
        if draw < r.bad_200:
            self.count("bad_200")
            return Reply(200, HTML_PAGE, {"Content-Type": "text/html"})
        draw -= r.bad_200
        if draw < r.count_mismatch:
            return self._leave_out_entries(request) if len(request.entries) > 1 else None
        draw -= r.count_mismatch
        if draw < r.md5_mismatch:
            return self._corrupt_md5(request)
        draw -= r.md5_mismatch
        if draw < r.hang:
            return self._hang()
        draw -= r.hang
        if draw < r.connection_close:
            self.count("connection_close")
            status, _, payload = self.forward(request.body, request.headers)
            return Reply(status, payload, JSON, close=True)
        return None

    def _hang(self) -> Reply:
        self.count("hang")
        return replace(error_reply(400, "pyflink-sqs.test.ClientKeptWaiting",
                                   f"the client waited {self.hang_limit_seconds} s for the "
                                   f"answer of a call the test proxy never answers"),
                       hold_seconds=self.hang_limit_seconds)

    def _partially_fail(self, request: RecordedRequest) -> Reply:
        answer = self._fail_some(request)
        if isinstance(answer, Reply):
            return answer
        return Reply(200, json.dumps(answer).encode(), JSON)

    def _fail_some(self, request: RecordedRequest):
        """Forwards some entries; the answer dict with the others under Failed (or the
        upstream's error Reply)."""
        call = request.json()
        entries = call["Entries"]
        failing = {e["Id"] for e in entries if self._draw() < 0.5} or {entries[0]["Id"]}
        self.count("failed_entries", len(failing))
        forwarded = {**call, "Entries": [e for e in entries if e["Id"] not in failing]}
        answer = {"Successful": [], "Failed": []}
        if forwarded["Entries"]:
            status, _, payload = self.forward(json.dumps(forwarded).encode(), request.headers)
            if status != 200:
                return Reply(status, payload, JSON)
            answer = json.loads(payload)
            answer.setdefault("Failed", [])
        for entry_id in sorted(failing):
            code = TRANSIENT_ENTRY_CODES[int(self._draw() * len(TRANSIENT_ENTRY_CODES))]
            answer["Failed"].append({"Id": entry_id, "Code": code, "SenderFault": False,
                                     "Message": "injected by the test proxy"})
        return answer

    def _leave_out_entries(self, request: RecordedRequest) -> Reply:
        answer = self._fail_some(request)
        if isinstance(answer, Reply):
            return answer
        self.count("count_mismatch")
        for kind in ("Successful", "Failed"):
            listed = answer.get(kind, [])
            # Each listed entry is left out with probability 1/2, at least one per list.
            kept = [e for e in listed if self._draw() >= 0.5]
            if listed and len(kept) == len(listed):
                kept = listed[1:]
            self.count(f"left_out_{kind.lower()}", len(listed) - len(kept))
            answer[kind] = kept
        return Reply(200, json.dumps(answer).encode(), JSON)

    def _corrupt_md5(self, request: RecordedRequest) -> Reply:
        status, _, payload = self.forward(request.body, request.headers)
        if status != 200:
            return Reply(status, payload, JSON)
        answer = json.loads(payload)
        successful = answer.get("Successful", [])
        bodies = {e["Id"]: e.get("MessageBody", "") for e in request.entries}
        limit = self.md5_mismatches_per_body
        with self._corrupted_lock:
            candidates = [e for e in successful if limit is None
                          or self._corrupted_bodies[bodies.get(e["Id"])] < limit]
            corrupted = [e for e in candidates if self._draw() < 0.5] or candidates[:1]
            for entry in corrupted:
                self._corrupted_bodies[bodies.get(entry["Id"])] += 1
        if not corrupted:
            return Reply(200, payload, JSON)
        for entry in corrupted:
            entry["MD5OfMessageBody"] = "0" * 32
        self.count("md5_mismatch")
        self.count("md5_corrupted_entries", len(corrupted))
        return Reply(200, json.dumps(answer).encode(), JSON)


class RefusingProxy(SqsProxy):
    """Answers every call with one error, as SQS does for refused credentials."""

    def __init__(self, upstream: str, status: int, code: str, message: str,
                 query_code: str = None):
        super().__init__(upstream)
        self._reply = error_reply(status, code, message, query_code)

    def intercept(self, request: RecordedRequest) -> Optional[Reply]:
        return self._reply


class OutageProxy(SqsProxy):
    """A proxy whose endpoint can fail as a whole, as when SQS or the network in between is
    down: `begin(kind)` until `end()`, either every connection refused ("refused") or every
    call answered HTTP 503 ServiceUnavailable ("503"). `answered_503` counts those answers."""

    KINDS = ("refused", "503")

    def __init__(self, upstream: str):
        super().__init__(upstream)
        self.kind = None
        self.answered_503 = 0

    def begin(self, kind: str) -> None:
        assert kind in self.KINDS, kind
        self.kind = kind
        if kind == "refused":
            self.stop_listening()

    def end(self) -> None:
        if self.kind == "refused":
            self.listen_again()
        self.kind = None

    def delivered(self) -> int:
        """Entries SQS stored, as its answers to the calls the proxy forwarded say."""
        with self._lock:
            answered = [r for r in self.requests
                        if r.target.endswith(".SendMessageBatch") and r.status == 200
                        and r.response]
        return sum(len(json.loads(r.response).get("Successful", [])) for r in answered)

    def intercept(self, request: RecordedRequest) -> Optional[Reply]:
        if self.kind != "503":
            return None
        with self._lock:
            self.answered_503 += 1
        return error_reply(503, "ServiceUnavailable",
                           "The request has failed due to a temporary failure of the server.")
