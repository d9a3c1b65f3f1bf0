"""The Python backend's PyFlink functions (for a DataStream and for a KeyedStream): convert,
check and batch records, keep up to max_in_flight_requests SendMessageBatch calls going (tasks
of the call loop), and at every bundle end (so before every checkpoint barrier, see bundle_hook) send
everything they hold and wait for every call to be answered. They emit nothing; a Java
DiscardingSink follows.

Threads: everything runs on PyFlink's worker thread: process_element, the bundle end, and
the calls, tasks of an event loop that thread runs (call_loop). Only large-payload PUTs run on
threads of their own (s3_payloads), and they touch nothing here. Flink metrics are published
at bundle ends (PyFlink's Python metrics belong to the worker thread), from counts the calls
leave behind.
"""
import asyncio
import logging
from collections import deque
from typing import List, Optional

from pyflink.datastream import KeyedProcessFunction, ProcessFunction, RuntimeContext

from pyflink_sqs.python_backend.aws_session import boto3_session, sqs_client
from pyflink_sqs.aws_config import AWSConfigConstants
from pyflink_sqs.client_properties import masked
from pyflink_sqs.deduplication import RecordDeduplication, content_deduplication_id
from pyflink_sqs.python_backend import bundle_hook, dead_letters, worker_watchdog
from pyflink_sqs.python_backend.batcher import Batcher
from pyflink_sqs.python_backend.bundle_metrics import BundleMetrics
from pyflink_sqs.python_backend.call_loop import CallLoop
from pyflink_sqs.python_backend.converter import Converter
from pyflink_sqs.python_backend.fifo_batcher import FifoBatcher
from pyflink_sqs.python_backend.entries import Entry
from pyflink_sqs.python_backend.rate_limited_log import RateLimitedLog
from pyflink_sqs.python_backend.s3_payloads import PayloadStore, s3_client
from pyflink_sqs.python_backend.sender import Backoff, BatchSender, Outcome, SinkFailure
from pyflink_sqs.python_backend.settings import WriterSettings
from pyflink_sqs.message_rules import Rejection

LOG = logging.getLogger("pyflink_sqs.python_backend")

COUNTERS = ("recordsSent", "bytesSent", "batchesSent", "retriedRecords", "rejectedRecords",
            "deadLetteredRecords", "offloadedRecords", "offloadedBytes")
# Under the operator's group, with the names and meaning of Flink's sink-writer metrics (the
# Java backend's come from AsyncSinkWriter): entries handed to calls, retries included.
OPERATOR_COUNTERS = ("numRecordsSendErrors", "numRecordsSend", "numBytesSend")
# Gauges reach Flink at bundle ends, when the buffer was just emptied: bufferedRecordsPeak shows
# whether backpressure held the buffer at max_buffered_requests.
GAUGES = ("inFlightRequests", "bufferedRecords", "bufferedRecordsPeak", "sendLatencyMs")


# Full batches the writer holds waiting for a call, at most: when a call ends, the next one
# starts from them at once; more gain nothing while the calls are the bound, and each holds
# records back and is a call the next bundle end waits for. The typical job at 20 ms, p1
# (2026-12-08, alternating, two runs each): 2 waiting: 20,542 / 20,466 msg/s, p50 latency 21
# ms; a round of 50: 20,371 / 20,528, 40 ms; unbounded (only max_buffered_requests): p50 150.
MAX_BATCHES_WAITING = 2


class RecordRejected(Exception):
    """A record SQS will never accept, with rejected_record_policy 'fail'."""


def default_level_in_worker(logger: logging.Logger) -> None:
    """INFO for our start and closing lines (INFO on the Java side too), unless a level was set
    on this logger or a parent below the root. Called at the writer's open(), never at import:
    PyFlink's worker sets its root logger to WARNING (beam_worker_pool_service.py), and before
    2.3 (python.logging.level.overrides) a user has no other way to see these lines there. In
    a local job (`python job.py`, loopback) the worker is the job's own process, so the level
    is set there too, as the import did before."""
    node = logger
    while node is not None and node.parent is not None:
        if node.level != logging.NOTSET:
            return
        node = node.parent
    logger.setLevel(logging.INFO)


def _deduplicator(settings: WriterSettings, runtime_context: RuntimeContext):
    """What gives FIFO messages without one their deduplication id (deduplication.py)."""
    if not settings.messages.fifo:
        return None
    if settings.fifo_deduplication == "content":
        return content_deduplication_id
    # A Python function cannot see checkpoint ids: the epoch is the task's attempt.
    return RecordDeduplication(settings.deduplication_nonce,
                               f"attempt-{runtime_context.get_attempt_number()}",
                               runtime_context.get_index_of_this_subtask()).id_for


class _SqsWriter:
    """The writer's logic, shared by the PyFlink functions below (which differ only in their
    PyFlink base class: the keyed one runs after key_by, where keyed state is available)."""

    def __init__(self, settings: WriterSettings):
        self.settings = settings

    # -- lifecycle ------------------------------------------------------------------------

    def open(self, runtime_context: RuntimeContext):
        s = self.settings
        # In a task manager's Python worker: exit once that task manager is gone, or a worker
        # PyFlink fails to end would keep our calls retrying (worker_watchdog).
        worker_watchdog.start()
        default_level_in_worker(LOG)
        self._bundle_hook = bundle_hook.attach(self._on_bundle_end)
        self._subtask = runtime_context.get_index_of_this_subtask()
        self._converter = Converter(s.max_record_size_in_bytes, s.messages,
                                    _deduplicator(s, runtime_context), s.large_payload,
                                    s.max_batch_size_in_bytes)
        self._batcher = (FifoBatcher if s.messages.fifo else Batcher)(
            s.max_batch_size, s.max_batch_size_in_bytes)
        self._pending = deque()  # full batches waiting for a free call
        self._pending_records = 0
        # Offloaded entries whose body is held here until their call puts it to S3: bounded
        # by max_in_flight_requests, as the Java backend bounds them, or 5,000 buffered
        # records of 4 MiB would hold 20 GiB.
        self._unstored = 0
        self._in_flight = 0
        self._failure: Optional[BaseException] = None
        self._warnings = RateLimitedLog(LOG)
        self._calls = CallLoop()
        properties = s.client_properties.reveal()
        session = boto3_session(properties)
        client = sqs_client(session, s.region, s.endpoint,
                            verify=not s.trust_all_certificates,
                            read_timeout_seconds=s.read_timeout_ms / 1000)
        backoff = Backoff()
        payloads = None
        if s.large_payload is not None:
            payloads = PayloadStore(
                s3_client(session, s.region, s.large_payload,
                          properties.get(AWSConfigConstants.AWS_ENDPOINT),
                          verify=not s.trust_all_certificates,
                          read_timeout_seconds=s.read_timeout_ms / 1000,
                          connections=s.max_in_flight_requests),
                s.large_payload, s.fail_on_error, backoff.next_delay, self._warnings.warn,
                puts_at_once=s.max_in_flight_requests)
        self._payloads = payloads
        self._sender = BatchSender(client, s.queue_url, s.dead_letter_queue_url,
                                   s.fail_on_error, backoff, self._warnings.warn, payloads)
        self._counts = dict.fromkeys(COUNTERS + OPERATOR_COUNTERS, 0)
        self._published = dict.fromkeys(COUNTERS + OPERATOR_COUNTERS, 0)
        self._latency_ms = 0.0
        self._peak_buffered = 0
        self._open_metrics(runtime_context)
        if self._subtask == 0:
            LOG.info("SqsSink (Python backend) starting with client properties %s: %r",
                     masked(properties), s)

    def close(self):
        # Only releases threads: PyFlink ignores errors raised here, so nothing that matters
        # (flushing, failures) may happen in close(); the last bundle end did it.
        calls = getattr(self, "_calls", None)
        if calls is not None:
            calls.shutdown(self._sender.client.close)
            if self._payloads is not None:
                self._payloads.shutdown()
            LOG.info("SqsSink subtask %s to %s closing: %s", self._subtask,
                     self.settings.queue_url, self._summary())

    # -- records --------------------------------------------------------------------------

    def process_element(self, value, ctx):
        self._bundle_hook.on_record()
        self._raise_failure()
        self._metrics.remember_container()
        converted = self._converter.convert(value)
        if converted.rejection is None:
            entry = converted.entry
        else:
            entry = self._on_rejected_before_sending(converted)
            if entry is None:
                return
        self._batcher.add(entry)
        if entry.s3_key is not None:
            self._unstored += 1
        buffered = len(self._batcher) + self._pending_records
        if buffered > self._peak_buffered:
            self._peak_buffered = buffered
        if self._batcher.has_full_batch():
            self._dispatch()
            self._calls.turn()  # the new call begins; answers that arrived are read
        if not self._may_take_more():
            # Backpressure: hold PyFlink's worker (Flink then stops feeding it), running the
            # calls, until there is room again.
            self._calls.run_until(self._may_take_more)

    def _may_take_more(self) -> bool:
        """Whether the subtask buffers fewer than max_buffered_requests records, holds fewer
        than MAX_BATCHES_WAITING full batches waiting for a call, and fewer bodies bound for S3
        than max_in_flight_requests."""
        if self._failure is not None:
            return True
        if self._unstored >= self.settings.max_in_flight_requests:
            # Partial batches too: no bundle end can come while the worker waits.
            self._dispatch(everything=True)
            return False
        return (self._buffered() < self.settings.max_buffered_requests
                and len(self._pending) < MAX_BATCHES_WAITING)

    def _on_rejected_before_sending(self, converted) -> Optional[Entry]:
        queue = self._queue_of(converted.entry)
        what = (f"SqsSink rejected record {converted.position} of subtask {self._subtask} "
                f"({len(converted.serialized)} bytes) before sending to {queue}: "
                f"{converted.rejection.detail}")
        policy = self.settings.rejected_record_policy
        if policy == "skip":
            self._count("rejectedRecords")
            self._warnings.warn(converted.rejection.reason,
                                what + "; skipped (rejected_record_policy=skip)")
            return None
        if policy == "dead_letter":
            self._count("deadLetteredRecords")
            self._warnings.warn(converted.rejection.reason, what + "; sent to the dead-letter "
                                f"queue {self.settings.dead_letter_queue_url}")
            return self._dead_letter_copy(
                converted.serialized, converted.entry.body if converted.entry else None,
                converted.rejection, converted.position, queue)
        raise RecordRejected(what + ". Set rejected_record_policy to 'skip' or 'dead_letter' "
                                    "to keep the job running past such records")

    def _queue_of(self, entry: Optional[Entry]) -> str:
        return entry.queue_url if entry and entry.queue_url else self.settings.queue_url

    def _dead_letter_copy(self, serialized, body, rejection, position, queue) -> Entry:
        try:
            # A copy stays in SQS, so it is bounded by a batch too (larger records than that
            # exist only with large-payload offload).
            return dead_letters.copy_of(serialized, body, rejection, position, queue,
                                        min(self.settings.max_record_size_in_bytes,
                                            self.settings.max_batch_size_in_bytes))
        except dead_letters.CannotDeadLetter as e:
            raise RecordRejected(str(e)) from None

    # -- calls ----------------------------------------------------------------------------

    def _buffered(self) -> int:
        return len(self._batcher) + self._pending_records

    def _dispatch(self, everything: bool = False) -> None:
        """Moves due batches to pending and starts calls while there is room."""
        due = self._batcher.all_batches() if everything else self._batcher.full_batches()
        for batch in due:
            self._pending.append(batch)
            self._pending_records += len(batch)
        while self._pending and self._in_flight < self.settings.max_in_flight_requests:
            batch = self._pending.popleft()
            self._pending_records -= len(batch)
            self._in_flight += 1
            self._calls.start(self._call, batch)

    async def _call(self, batch: List[Entry]) -> None:
        outcome, failure, copies = None, None, []
        unstored = sum(1 for entry in batch if entry.s3_key is not None)
        try:
            outcome = await self._sender.send(batch, on_settled=self._on_settled)
            copies = self._on_refused(outcome)
        except asyncio.CancelledError:  # the writer closed
            raise
        except BaseException as e:  # noqa: BLE001 -- raised by the worker's next record
            failure = e
        self._in_flight -= 1
        self._unstored -= unstored
        self._batcher.release(batch)
        if failure is not None and self._failure is None:
            self._failure = failure
        if outcome is not None:
            self._record(outcome)
        for copy in copies:
            self._batcher.add(copy)
        if self._failure is None:
            self._dispatch(everything=bool(copies))
        self._calls.progress()

    def _on_settled(self, entries: List[Entry]) -> None:
        """Part of a call is settled while the rest waits for a retry: free their FIFO groups
        now (no head-of-line blocking behind another group's backoff)."""
        self._batcher.release(entries)
        if self._failure is None:
            self._dispatch()
        self._calls.progress()

    def _on_refused(self, outcome: Outcome) -> List[Entry]:
        """Entries SQS refused for good: the policy decides. Returns dead-letter copies."""
        copies = []
        for refused in outcome.refused:
            entry = refused.entry
            what = (f"SQS refused record {entry.position} ({entry.size} bytes) sent to "
                    f"{self._queue_of(entry)}: {refused.code}"
                    + (f" ({refused.message})" if refused.message else ""))
            policy = self.settings.rejected_record_policy
            if policy == "skip":
                self._count("rejectedRecords")
                self._warnings.warn("skip:" + refused.code,
                                    what + "; skipped (rejected_record_policy=skip)")
            elif policy == "dead_letter":
                self._count("deadLetteredRecords")
                self._warnings.warn("dlq:" + refused.code, what + "; sent to the dead-letter "
                                    f"queue {self.settings.dead_letter_queue_url}")
                copies.append(self._dead_letter_copy(
                    entry.body.encode("utf-8"), entry.body,
                    Rejection(refused.code, refused.message), entry.position,
                    self._queue_of(entry)))
            else:
                raise RecordRejected(what + ". Set rejected_record_policy to 'skip' or "
                                            "'dead_letter' to keep the job running past such "
                                            "records")
        return copies

    def _on_bundle_end(self) -> None:
        """Before every checkpoint barrier and at end of input: send all, wait for answers."""
        def sent_all() -> bool:
            if self._failure is None:
                self._dispatch(everything=True)
            return self._failure is not None or (not self._pending and self._in_flight == 0
                                                 and not len(self._batcher))

        self._calls.run_until(sent_all)
        # A failure with calls still out: let them end so none outlives the attempt.
        self._calls.run_until(lambda: self._in_flight == 0)
        self._publish_metrics()
        self._raise_failure()

    def _raise_failure(self) -> None:
        if self._failure is not None:
            failure = self._failure
            raise failure if isinstance(failure, (SinkFailure, RecordRejected)) else \
                SinkFailure(f"SqsSink call failed: {failure!r}")

    # -- metrics --------------------------------------------------------------------------

    def _open_metrics(self, runtime_context: RuntimeContext) -> None:
        operator = runtime_context.get_metrics_group()
        self._metrics = BundleMetrics(operator.add_group("sqs"), COUNTERS, GAUGES, operator,
                                      OPERATOR_COUNTERS)

    def _count(self, name: str, amount: int = 1) -> None:
        self._counts[name] += amount

    def _record(self, outcome: Outcome) -> None:
        """What a call achieved, to publish at the bundle end."""
        c = self._counts
        c["recordsSent"] += len(outcome.delivered)
        c["bytesSent"] += sum(e.size for e in outcome.delivered)
        c["batchesSent"] += 1
        c["retriedRecords"] += outcome.retried_records
        c["numRecordsSendErrors"] += outcome.failed_attempts
        c["numRecordsSend"] += outcome.attempted_records
        c["numBytesSend"] += outcome.attempted_bytes
        c["offloadedRecords"] += outcome.offloaded_records
        c["offloadedBytes"] += outcome.offloaded_bytes
        if outcome.latencies_ms:
            self._latency_ms = outcome.latencies_ms[-1]

    def _publish_metrics(self) -> None:
        counts = dict(self._counts)
        gauges = {"inFlightRequests": self._in_flight, "bufferedRecords": self._buffered(),
                  "bufferedRecordsPeak": self._peak_buffered,
                  "sendLatencyMs": int(self._latency_ms)}
        deltas = {name: counts[name] - self._published[name]
                  for name in COUNTERS + OPERATOR_COUNTERS}
        if self._metrics.publish(deltas, gauges):
            self._published = counts

    def _summary(self) -> str:
        c = self._counts
        return (f"{c['recordsSent']} records sent in {c['batchesSent']} batches, "
                f"{c['retriedRecords']} retried, {c['rejectedRecords']} rejected and skipped, "
                f"{c['deadLetteredRecords']} sent to the dead-letter queue, "
                f"{self._buffered()} still buffered; {self._bundle_hook.bundle_ends} bundle ends")


class SqsWriterFunction(_SqsWriter, ProcessFunction):
    """The writer of a DataStream."""


class KeyedSqsWriterFunction(_SqsWriter, KeyedProcessFunction):
    """The writer of a KeyedStream (ds.key_by(...).sink_to(sink)): PyFlink hands it the
    elements (not the key and element rows of the Java KeyedStream) on the subtask of their key,
    so each key's records keep their order. Per-key state belongs here, through
    runtime_context.get_state() in open() and ctx.get_current_key() in process_element()."""
