"""Puts the bodies of offloaded entries into S3 (boto3), each acknowledged before its SQS entry
is sent, and turns each entry into the pointer message the Extended Client reads. Errors are
decided by pyflink_sqs/error_codes.py (classify_s3): transient ones are retried after the
subtask's backoff, others fail the job naming the bucket."""
import asyncio
import time
from typing import Callable, List, Tuple

from botocore.config import Config
from botocore.exceptions import ClientError

from pyflink_sqs.error_codes import Action, classify_call_failure, classify_s3
from pyflink_sqs.large_payload import LargePayloadOffload, s3_endpoint_of
from pyflink_sqs.python_backend.call_threads import CallThreads
from pyflink_sqs.python_backend.entries import Entry
from pyflink_sqs.python_backend.sender import SinkFailure, call_failure_kind


def s3_client(session, region: str, offload: LargePayloadOffload, sqs_endpoint_override,
              verify: bool, read_timeout_seconds: float, connections: int):
    """One client per subtask, shared by its PUT threads (boto3 clients are thread-safe),
    with a connection for each (botocore keeps 10 by default). botocore does not retry: the
    sink decides. The endpoint: large_payload.s3_endpoint_of."""
    endpoint = s3_endpoint_of(offload, sqs_endpoint_override)
    return session.client(
        "s3", region_name=region, endpoint_url=endpoint, verify=verify,
        config=Config(retries={"total_max_attempts": 1}, read_timeout=read_timeout_seconds,
                      max_pool_connections=connections))


class PayloadStore:
    def __init__(self, client, offload: LargePayloadOffload, fail_on_error: bool,
                 next_delay: Callable[[], float], warn: Callable[[str, str], None],
                 puts_at_once: int):
        """puts_at_once: threads for PUTs (max_in_flight_requests, as the writer holds at most
        that many bodies bound for S3): the PUTs of a batch run at once, as the Java
        backend's do, not one after another."""
        self.client = client
        self.offload = offload
        self.fail_on_error = fail_on_error
        self.next_delay = next_delay
        self.warn = warn
        self._threads = CallThreads(puts_at_once, "pyflink-sqs-s3")

    async def store(self, batch: List[Entry]) -> Tuple[int, int]:
        """Puts every entry of the batch still marked for S3, at once, and waits for every
        PUT; returns (records, body bytes) put. An entry put once keeps its pointer, so a
        retried SQS call does not put it again; raises SinkFailure naming the bucket. The PUTs
        block (boto3), so they run on the store's threads, not on the call loop."""
        marked = [entry for entry in batch if entry.s3_key is not None]
        payloads = [entry.body.encode("utf-8") for entry in marked]
        loop = asyncio.get_running_loop()
        answers = [loop.create_future() for _ in marked]

        def put(entry: Entry, payload: bytes, answer: asyncio.Future) -> None:
            failure = None
            try:
                self._put(entry, payload)
            except BaseException as error:  # noqa: BLE001 -- raised below, on the call loop
                failure = error
            try:
                loop.call_soon_threadsafe(_answer, answer, failure)
            except RuntimeError:  # the loop closed: the writer closed, nobody waits for it
                pass

        for entry, payload, answer in zip(marked, payloads, answers):
            self._threads.submit(put, entry, payload, answer)
        failures = [failure for failure in await asyncio.gather(*answers) if failure]
        if failures:
            raise failures[0]
        for entry, payload in zip(marked, payloads):
            entry.body = self.offload.pointer(entry.s3_key)
            entry.attributes = self.offload.offloaded_attributes(entry.attributes, len(payload))
            entry.s3_key = None
        return len(marked), sum(len(payload) for payload in payloads)

    def shutdown(self) -> None:
        self._threads.shutdown()

    def _put(self, entry: Entry, payload: bytes) -> None:
        where = f"s3://{self.offload.s3_bucket}/{entry.s3_key}"
        while True:
            try:
                self.client.put_object(Bucket=self.offload.s3_bucket, Key=entry.s3_key,
                                       Body=payload)
                return
            except Exception as error:  # noqa: BLE001 -- classified below, never swallowed
                rule, description = _classify(error)
            transient = rule.action in (Action.RETRY, Action.THROTTLE)
            what = (f"SqsSink cannot put the body of record {entry.position} ({len(payload)} "
                    f"bytes) to {where}: {description}")
            if self.fail_on_error or not transient:
                raise SinkFailure(what + (f"; {rule.hint}" if rule.hint else "")
                                + (" (a transient error, but fail_on_error is set)"
                                   if transient else "")) from None
            self.warn("S3 " + description.split(":")[0], what + "; retrying after a backoff")
            time.sleep(self.next_delay())


def _answer(answer: asyncio.Future, failure) -> None:
    if not answer.done():
        answer.set_result(failure)


def _classify(error: Exception):
    if isinstance(error, ClientError):
        response = error.response
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
        code = response.get("Error", {}).get("Code", "")
        message = response.get("Error", {}).get("Message", "")
        return classify_s3(status, code), (f"S3 answered HTTP {status} {code}"
                                           + (f": {message}" if message else ""))
    # No answer from S3: the same kinds, and rules, as a SendMessageBatch call without one.
    return classify_call_failure(call_failure_kind(error)), f"{type(error).__name__}: {error}"
