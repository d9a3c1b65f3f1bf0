"""A recording proxy in front of SQS that injects faults at configurable rates.

Faults, each drawn per SendMessageBatch call from a seeded random generator:
- reset: the connection is closed without an answer (the call may not have reached SQS);
- server_error: HTTP 500 InternalError, the call not forwarded;
- throttle: HTTP 400 ThrottlingException, the call not forwarded;
- partial: some entries are removed from the call before it is forwarded and reported back
  under "Failed" with a transient code, so only the others reach the queue.
Answers are shaped like SQS's JSON protocol errors.
"""
import json
import random
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from tests.support.sqs_proxy import RecordedRequest, Reply, SqsProxy

TRANSIENT_ENTRY_CODES = ("InternalError", "ServiceUnavailable", "RequestThrottled")


def error_reply(status: int, code: str, message: str, query_code: str = None) -> Reply:
    body = json.dumps({"__type": f"com.amazonaws.sqs#{code}", "message": message}).encode()
    headers = {"Content-Type": "application/x-amz-json-1.0",
               "x-amzn-RequestId": "00000000-0000-0000-0000-fault0000000"}
    if query_code:
        headers["x-amzn-query-error"] = f"{query_code};Sender"
    return Reply(status, body, headers)


@dataclass
class FaultRates:
    reset: float = 0.0
    server_error: float = 0.0
    throttle: float = 0.0
    partial: float = 0.0


class FaultInjectingProxy(SqsProxy):
    def __init__(self, upstream: str, rates: FaultRates, seed: int = 7):
        super().__init__(upstream)
        self.rates = rates
        self.injected = Counter()
        self._random = random.Random(seed)
        self._random_lock = threading.Lock()

    def _draw(self) -> float:
        with self._random_lock:
            return self._random.random()

    def intercept(self, request: RecordedRequest) -> Optional[Reply]:
        if not request.target.endswith(".SendMessageBatch"):
            return None
        draw, r = self._draw(), self.rates
        if draw < r.reset:
            self.injected["reset"] += 1
            return Reply(None)
        draw -= r.reset
        if draw < r.server_error:
            self.injected["server_error"] += 1
            return error_reply(500, "InternalError", "We encountered an internal error.")
        draw -= r.server_error
        if draw < r.throttle:
            self.injected["throttle"] += 1
            return error_reply(400, "ThrottlingException", "Rate exceeded", "RequestThrottled")
        draw -= r.throttle
        if draw < r.partial and len(request.entries) > 1:
            self.injected["partial"] += 1
            return self._partially_fail(request)
        return None

    def _partially_fail(self, request: RecordedRequest) -> Reply:
        call = request.json()
        entries = call["Entries"]
        failing = {e["Id"] for e in entries if self._draw() < 0.5} or {entries[0]["Id"]}
        self.injected["failed_entries"] += len(failing)
        forwarded = {**call, "Entries": [e for e in entries if e["Id"] not in failing]}
        answer = {"Successful": [], "Failed": []}
        if forwarded["Entries"]:
            status, _, payload = self.forward(json.dumps(forwarded).encode(), request.headers)
            if status != 200:
                return Reply(status, payload, {"Content-Type": "application/x-amz-json-1.0"})
            answer = json.loads(payload)
            answer.setdefault("Failed", [])
        for entry_id in sorted(failing):
            code = TRANSIENT_ENTRY_CODES[int(self._draw() * len(TRANSIENT_ENTRY_CODES))]
            answer["Failed"].append({"Id": entry_id, "Code": code, "SenderFault": False,
                                     "Message": "injected by the test proxy"})
        return Reply(200, json.dumps(answer).encode(),
                     {"Content-Type": "application/x-amz-json-1.0"})


class RefusingProxy(SqsProxy):
    """Answers every call with one error, as SQS does for refused credentials."""

    def __init__(self, upstream: str, status: int, code: str, message: str,
                 query_code: str = None):
        super().__init__(upstream)
        self._reply = error_reply(status, code, message, query_code)

    def intercept(self, request: RecordedRequest) -> Optional[Reply]:
        return self._reply
