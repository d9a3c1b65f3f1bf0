"""One SendMessageBatch call and its retries, decided by pyflink_sqs/error_codes.py. Knows
nothing about batching: it gets a batch and reports what became of each entry.

An entry counts as delivered only when the answer lists it under Successful with digests that
match what was sent (pyflink_sqs/message_md5.py; an answer without them is accepted, as some
emulators leave them out). An entry the answer does not mention is sent again; an answer that
names an entry not sent, or one entry twice, fails the job: it cannot be matched to records.
"""
import asyncio
import base64
import random
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional

from botocore.exceptions import (ClientError, ConnectionError as BotoConnectionError,
                                 ConnectTimeoutError, CredentialRetrievalError,
                                 EndpointConnectionError, HTTPClientError,
                                 MetadataRetrievalError, NoCredentialsError,
                                 PartialCredentialsError, ReadTimeoutError, SSLError)

from pyflink_sqs.error_codes import (Action, classify_call_failure, classify_entry,
                                     classify_request)
from pyflink_sqs.message_md5 import attributes_md5, body_md5
from pyflink_sqs.python_backend.entries import Entry
from pyflink_sqs.retries import BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS, MD5_ATTEMPTS


class Backoff:
    """Full jitter: a delay drawn from [0, min(cap, base * 2^failures)]; failures count
    consecutive failed calls of the subtask and reset at the first call that fully succeeds."""

    def __init__(self, base: float = BACKOFF_BASE_SECONDS, cap: float = BACKOFF_CAP_SECONDS):
        self.base, self.cap = base, cap
        self._failures = 0
        self._lock = threading.Lock()

    def next_delay(self) -> float:
        with self._lock:
            attempt = min(self._failures, 20)
            self._failures += 1
        return random.uniform(0, min(self.cap, self.base * (2 ** attempt)))

    def reset(self) -> None:
        with self._lock:
            self._failures = 0


class SinkFailure(Exception):
    """The job must fail: the message names the queue, the code and what to check."""


@dataclass
class Refused:
    entry: Entry
    code: str
    message: str


@dataclass
class Outcome:
    delivered: List[Entry] = field(default_factory=list)
    refused: List[Refused] = field(default_factory=list)  # REJECT: the policy decides
    retried_records: int = 0
    failed_attempts: int = 0
    # Entries handed to SendMessageBatch and their bytes, each attempt counted (retries too):
    # what Flink's AsyncSinkWriter counts as numRecordsSend/numBytesSend on the Java backend.
    attempted_records: int = 0
    attempted_bytes: int = 0
    latencies_ms: List[float] = field(default_factory=list)
    offloaded_records: int = 0  # bodies put to S3 before the call (large-payload offload)
    offloaded_bytes: int = 0


class BatchSender:
    def __init__(self, client, queue_url: str, dead_letter_queue_url: Optional[str],
                 fail_on_error: bool, backoff: Backoff, warn: Callable[[str, str], None],
                 payloads=None):
        """payloads: the PayloadStore (s3_payloads.py) when large-payload offload is on."""
        self.client = client
        self.payloads = payloads
        self.queue_url = queue_url
        self.dead_letter_queue_url = dead_letter_queue_url
        self.fail_on_error = fail_on_error
        self.backoff = backoff
        self.warn = warn

    async def send(self, batch: List[Entry],
                   on_settled: Optional[Callable[[List[Entry]], None]] = None) -> Outcome:
        """Sends until every entry is delivered or refused for good; raises SinkFailure.

        on_settled, when given, hears of the entries each answer delivered while others of the
        batch are still to be sent again, before the backoff: a FIFO group whose entry is
        delivered need not wait for another group's retries."""
        target = (self.dead_letter_queue_url if batch[0].dead_letter
                  else batch[0].queue_url or self.queue_url)
        outcome = Outcome()
        if self.payloads is not None:
            outcome.offloaded_records, outcome.offloaded_bytes = await self.payloads.store(batch)
        pending = batch
        md5_misses = {}  # id(entry) -> answers whose digests of it did not match
        while pending:
            outcome.attempted_records += len(pending)
            outcome.attempted_bytes += sum(e.size for e in pending)
            started = time.monotonic()
            try:
                answer = await self.client.send_message_batch(QueueUrl=target, Entries=[
                    _request_entry(i, e) for i, e in enumerate(pending)])
            except Exception as error:  # noqa: BLE001 -- classified below, never swallowed
                outcome.latencies_ms.append((time.monotonic() - started) * 1000)
                outcome.failed_attempts += len(pending)
                rule, description = _classify_call_error(error)
                if self.fail_on_error or rule.action not in (Action.RETRY, Action.THROTTLE):
                    raise SinkFailure(
                        f"SqsSink cannot send to {target}: {description}"
                        + (f"; {rule.hint}" if rule.hint else "")
                        + (" (a transient error, but fail_on_error is set)"
                           if self.fail_on_error and rule.action in (Action.RETRY, Action.THROTTLE)
                           else "")) from None
                self.warn(description.split(":")[0], f"SendMessageBatch to {target} failed "
                          f"({description}); retrying {len(pending)} records after a backoff")
                outcome.retried_records += len(pending)
                await asyncio.sleep(self.backoff.next_delay())
                continue
            outcome.latencies_ms.append((time.monotonic() - started) * 1000)
            sent, pending = pending, self._sort_answer(answer, pending, target, outcome,
                                                       md5_misses)
            if pending:
                if on_settled is not None:
                    # Refused entries wait for the call's end: the policy may fail the job,
                    # and their group must not move on before it has decided.
                    held = {id(e) for e in pending} | {id(r.entry) for r in outcome.refused}
                    on_settled([e for e in sent if id(e) not in held])
                outcome.retried_records += len(pending)
                await asyncio.sleep(self.backoff.next_delay())
            else:
                self.backoff.reset()
        return outcome

    def _sort_answer(self, answer, sent: List[Entry], target: str, outcome: Outcome,
                     md5_misses: dict) -> List[Entry]:
        """Sorts the entries sent by the answer; returns those to send again."""
        listed = _listed_entries(answer, sent, target)
        retry = []
        for index, (kind, item) in sorted(listed.items()):
            entry = sent[index]
            if kind == "Failed":
                self._on_failed(item, entry, target, outcome, retry)
                continue
            mismatch = _digest_mismatch(item, entry)
            if mismatch is None:
                outcome.delivered.append(entry)
                continue
            outcome.failed_attempts += 1
            misses = md5_misses[id(entry)] = md5_misses.get(id(entry), 0) + 1
            what = (f"SQS acknowledged {_record(entry)} ({entry.size} bytes) sent to {target} "
                    f"with a {mismatch}")
            if misses >= MD5_ATTEMPTS:
                raise SinkFailure(f"{what}, in {misses} attempts; the message SQS stored may "
                                  f"not be the one sent: check what lies between the sink "
                                  f"and aws.endpoint (a proxy rewriting bodies)")
            if self.fail_on_error:
                raise SinkFailure(what + " (fail_on_error is set)")
            retry.append(entry)
            self.warn("MD5 mismatch", what + "; sending it again after a backoff")
        missing = [e for i, e in enumerate(sent) if i not in listed]
        if missing:
            outcome.failed_attempts += len(missing)
            what = (f"SQS's answer to SendMessageBatch to {target} lists {len(missing)} of the "
                    f"{len(sent)} entries sent neither as Successful nor as Failed")
            if self.fail_on_error:
                raise SinkFailure(what + " (fail_on_error is set)")
            self.warn("entries missing from the answer",
                      what + "; retrying them after a backoff")
            retry += missing
        return retry

    def _on_failed(self, failure: dict, entry: Entry, target: str, outcome: Outcome,
                   retry: List[Entry]) -> None:
        code, message = failure.get("Code", ""), failure.get("Message", "")
        outcome.failed_attempts += 1
        what = (f"SQS refused {_record(entry)} ({entry.size} bytes) sent to {target}: "
                f"{code}" + (f" ({message})" if message else ""))
        if self.fail_on_error:
            raise SinkFailure(what + " (fail_on_error is set)")
        rule = classify_entry(code, failure.get("SenderFault"))
        if rule.action in (Action.RETRY, Action.THROTTLE):
            retry.append(entry)
            self.warn(code, what + "; retrying it after a backoff")
        elif rule.action is Action.FATAL or entry.dead_letter:
            raise SinkFailure(what + (f"; {rule.hint}" if rule.hint else ""))
        else:
            outcome.refused.append(Refused(entry, code, message))


def _listed_entries(answer: dict, sent: List[Entry], target: str):
    """index in `sent` -> ("Successful" or "Failed", the answer's item), each entry at most
    once; SinkFailure for an answer that names an entry not sent or one entry twice."""
    ids = {str(i): i for i in range(len(sent))}
    listed = {}
    for kind in ("Successful", "Failed"):
        items = answer.get(kind) or []
        if not isinstance(items, list):
            raise SinkFailure(f"SQS's answer to SendMessageBatch to {target} has a {kind} that "
                              f"is not a list; cannot tell which records were sent")
        for item in items:
            entry_id = item.get("Id") if isinstance(item, dict) else None
            index = ids.get(entry_id) if isinstance(entry_id, str) else None
            if index is None:
                raise SinkFailure(f"SQS's answer to SendMessageBatch to {target} lists an entry "
                                  f"under {kind} with an Id this sink did not send "
                                  f"({entry_id!r}); cannot tell which record it means")
            if index in listed:
                raise SinkFailure(f"SQS's answer to SendMessageBatch to {target} lists entry "
                                  f"{entry_id!r} ({_record(sent[index])}) twice, under "
                                  f"{listed[index][0]} and {kind}; cannot tell whether it was "
                                  f"stored")
            listed[index] = (kind, item)
    return listed


def _digest_mismatch(item: dict, entry: Entry) -> Optional[str]:
    """Which digest of a Successful item differs from what was sent (with both values), or
    None; a digest the answer leaves out is not checked."""
    checks = [("MD5OfMessageBody", lambda: body_md5(entry.body))]
    if entry.attributes:
        checks.append(("MD5OfMessageAttributes", lambda: attributes_md5(entry.attributes)))
    for field_name, expected in checks:
        returned = item.get(field_name)
        if returned is None:
            continue
        want = expected()
        if str(returned).lower() != want:
            return f"{field_name} of {str(returned)[:32]!r} where the entry sent has {want!r}"
    return None


def _record(entry: Entry) -> str:
    return f"record {entry.position}" if entry.position >= 0 else "a record"


def _request_entry(index: int, entry: Entry) -> dict:
    request = {"Id": str(index), "MessageBody": entry.body}
    if entry.group_id is not None:
        request["MessageGroupId"] = entry.group_id
    if entry.deduplication_id is not None:
        request["MessageDeduplicationId"] = entry.deduplication_id
    if entry.delay_seconds is not None:
        request["DelaySeconds"] = entry.delay_seconds
    if entry.attributes:
        request["MessageAttributes"] = {
            name: ({"DataType": kind, "BinaryValue": base64.b64encode(value).decode("ascii")}
                   if isinstance(value, bytes) else {"DataType": kind, "StringValue": value})
            for name, (kind, value) in entry.attributes.items()}
    return request


def _classify_call_error(error: Exception):
    """(rule, description) for an exception of a SendMessageBatch call: SQS's answer by its
    codes, any other failure by its kind (error_codes.CALL_FAILURE_RULES)."""
    if isinstance(error, ClientError) and error.operation_name == "SendMessageBatch":
        response = error.response
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
        code = response.get("Error", {}).get("Code", "")
        query_code = response.get("Error", {}).get("QueryErrorCode", "")
        message = response.get("Error", {}).get("Message", "")
        request_id = response.get("ResponseMetadata", {}).get("RequestId")
        description = f"SQS answered HTTP {status} {code}" + (f": {message}" if message else "") \
            + (f" [request id {request_id}]" if request_id else "")
        return classify_request(status, code, query_code), description
    kind = call_failure_kind(error)
    if isinstance(error, ClientError):
        description = (f"the credentials provider's {error.operation_name} call failed: "
                       f"{error}")
    elif kind == "tls_not_trusted":
        description = f"TLS handshake failed: {error}"
    elif kind == "unknown_host":
        description = f"the endpoint's host cannot be resolved ({error})"
    else:
        description = f"{type(error).__name__}: {error}"
    return classify_call_failure(kind), description


def call_failure_kind(error: Exception) -> str:
    """The kind (a key of error_codes.CALL_FAILURE_RULES) of a call's exception other than
    SQS's answer; SqsSinkWriter.failureKind names the Java backend's exceptions alike."""
    if isinstance(error, ClientError):
        # Not SQS's answer: STS's, while refreshing temporary credentials.
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
        code = error.response.get("Error", {}).get("Code", "")
        transient = classify_request(status, code).action in (Action.RETRY, Action.THROTTLE)
        return "credentials_unavailable" if transient else "credentials_missing"
    if isinstance(error, SSLError):
        # The peer closed or reset the connection in the handshake: no certificate to fix.
        return ("connection_reset" if _caused_by(error, (ssl.SSLEOFError, ConnectionError))
                else "tls_not_trusted")
    if isinstance(error, EndpointConnectionError) and _unresolvable(error):
        return "unknown_host"
    if isinstance(error, (ConnectTimeoutError, ReadTimeoutError, TimeoutError)):
        return "timeout"
    if isinstance(error, (EndpointConnectionError, ConnectionRefusedError)):
        return "connection_refused"
    # HTTPClientError: the connection closed or reset mid-call, an answer cut short or not JSON
    if isinstance(error, (BotoConnectionError, HTTPClientError, ConnectionError)):
        return "connection_reset"
    if isinstance(error, (NoCredentialsError, PartialCredentialsError)):
        return "credentials_missing"
    if isinstance(error, CredentialRetrievalError):
        # botocore raises it for a container endpoint that did not answer (after its own
        # retries) as for a credential_process that exited non-zero: only the first may pass.
        return ("credentials_unavailable" if _caused_by(error, MetadataRetrievalError)
                else "credentials_missing")
    return "unexpected"


def _unresolvable(error: Exception) -> bool:
    return _caused_by(error, socket.gaierror)


def _caused_by(error: Exception, kind) -> bool:
    """Whether error, or an exception in its chain of causes and contexts, is a kind (a type or
    a tuple of types). A chain may loop (an exception raised from itself): each is seen once."""
    seen, visited = error, set()
    while seen is not None and id(seen) not in visited:
        if isinstance(seen, kind):
            return True
        visited.add(id(seen))
        seen = seen.__cause__ or seen.__context__
    return False
