"""The one table of sink options: name, default, bounds and meaning.

Everything else derives from it: the Python builder's setters and validation, the Java
bridge's defaults (the jar build writes them into a resource the Java side reads), and the
README's option list. This module imports nothing from pyflink so the jar build can load it.
"""
from dataclasses import dataclass, replace
from typing import Dict, Optional, Tuple

KIB = 1024
MIB = 1024 * KIB

# SQS limits (SendMessageBatch): at most 10 entries per call, and since 2025 at most 1 MiB for
# one message and for the sum of all messages of one call.
SQS_MAX_BATCH_ENTRIES = 10
SQS_MAX_PAYLOAD_BYTES = 1 * MIB
JAVA_INT_MAX = 2 ** 31 - 1


@dataclass(frozen=True)
class Option:
    name: str               # Python builder name: set_<name>()
    java_setter: Optional[str]  # the Java builder's setter (None: a Python-only option)
    sql_key: Optional[str]  # the Table API option, where Flink's async sinks have one
    kind: type
    default: object
    minimum: Optional[int] = None
    maximum: Optional[int] = None
    doc: str = ""
    choices: Tuple[str, ...] = ()

    def bounds_text(self) -> str:
        if self.kind is bool:
            return "True or False"
        if self.kind is str:
            return ("one of " + ", ".join(repr(c) for c in self.choices) if self.choices
                    else "a str")
        if self.maximum is None:
            return f"an integer >= {self.minimum}"
        return f"an integer in {self.minimum}..{self.maximum}"


FAIL_ON_ERROR = Option(
    "fail_on_error", "setFailOnError", "sink.fail-on-error", bool, False,
    doc="Fail the job when SQS rejects a request or an entry, instead of retrying it.")
MAX_BATCH_SIZE = Option(
    "max_batch_size", "setMaxBatchSize", "sink.batch.max-size", int, 10,
    1, SQS_MAX_BATCH_ENTRIES,
    doc="Most entries in one SendMessageBatch call (SQS allows 10).")
MAX_IN_FLIGHT_REQUESTS = Option(
    "max_in_flight_requests", "setMaxInFlightRequests", "sink.requests.max-inflight", int, 50,
    1, JAVA_INT_MAX,
    doc="Most concurrent SendMessageBatch calls per subtask before backpressure.")
MAX_BUFFERED_REQUESTS = Option(
    "max_buffered_requests", "setMaxBufferedRequests", "sink.requests.max-buffered", int, 5_000,
    1, JAVA_INT_MAX,
    doc="Most records buffered per subtask before backpressure; must exceed max_batch_size.")
MAX_BATCH_SIZE_IN_BYTES = Option(
    "max_batch_size_in_bytes", "setMaxBatchSizeInBytes", "sink.flush-buffer.size", int,
    256 * KIB, 1, SQS_MAX_PAYLOAD_BYTES,
    doc="Most payload bytes in one call (SQS allows 1 MiB); at least max_record_size_in_bytes.")
MAX_TIME_IN_BUFFER_MS = Option(
    "max_time_in_buffer_ms", "setMaxTimeInBufferMS", "sink.flush-buffer.timeout", int, 5_000,
    1, JAVA_INT_MAX,
    doc="Longest time a record waits in the buffer before a partial batch is sent.")
MAX_RECORD_SIZE_IN_BYTES = Option(
    "max_record_size_in_bytes", "setMaxRecordSizeInBytes", "sink.record.max-size", int,
    256 * KIB,
    1, SQS_MAX_PAYLOAD_BYTES,
    doc="Largest record accepted (SQS allows 1 MiB); a larger record fails with its size.")

REJECTED_RECORD_POLICY = Option(
    "rejected_record_policy", "setRejectedRecordPolicy", "sink.rejected-record-policy", str,
    "fail", choices=("fail", "skip", "dead_letter"),
    doc="What happens to a record SQS will never accept (empty, a forbidden character, over "
        "the size limit, refused by SQS for good): 'fail' the job naming the record, 'skip' "
        "it (counted in the rejectedRecords metric, logged), or send it to the "
        "'dead_letter' queue with the reason as message attributes.")
DEAD_LETTER_QUEUE_URL = Option(
    "dead_letter_queue_url", "setDeadLetterQueueUrl", "sink.dead-letter-queue-url", str, None,
    doc="The queue that receives rejected records when rejected_record_policy is "
        "'dead_letter' (same region and credentials as the main queue).")

MESSAGE_GROUP_ID = Option(
    "message_group_id", None, "sink.message-group-id", str, None,
    doc="One message group id for every message (a FIFO queue needs one): the stream keeps "
        "its order, one message per round trip per subtask.")
MESSAGE_GROUP_ID_FIELD = Option(
    "message_group_id_field", None, "sink.message-group-id.field", str, None,
    doc="Each message's group id from a field of the element (a dict key, a Row field, a "
        "member of the JSON object a str element holds; in SQL, a column): order is kept per "
        "group and groups go out concurrently.")
FIFO_DEDUPLICATION = Option(
    "fifo_deduplication", "setFifoDeduplication", "sink.fifo.deduplication", str, "per_record",
    choices=("per_record", "content"),
    doc="How a FIFO message without a deduplication id gets one: 'per_record' gives each "
        "record its own, so identical messages of a group all arrive, and a record replayed "
        "after a restore may arrive twice (at-least-once); 'content' hashes group id, body "
        "and attributes, so a replay is dropped by SQS, and so are identical messages of a "
        "group within SQS's 5-minute window.")
BASE64_BINARY_BODIES = Option(
    "base64_binary_bodies", None, None, bool, False,
    doc="Send a bytes body that is not UTF-8 text as its base64 text (SQS bodies are text); "
        "off, such a record is rejected (see rejected_record_policy). Text bodies are never "
        "encoded, so a consumer must know which bodies are base64.")

BACKEND = Option(
    "backend", None, None, str, "java", choices=("java", "python"),
    doc="Which implementation sends: 'java' (the bridge jar the wheel carries, on Flink's "
        "AsyncSinkBase; build() fails naming the cause when it cannot run here) or 'python' "
        "(the pure-Python writer in the Python worker). Their checkpoints are not "
        "interchangeable: a savepoint restores only into a job with the same backend.")

OPTIONS: Dict[str, Option] = {o.name: o for o in (
    FAIL_ON_ERROR,
    MAX_BATCH_SIZE,
    MAX_IN_FLIGHT_REQUESTS,
    MAX_BUFFERED_REQUESTS,
    MAX_BATCH_SIZE_IN_BYTES,
    MAX_TIME_IN_BUFFER_MS,
    MAX_RECORD_SIZE_IN_BYTES,
    REJECTED_RECORD_POLICY,
    DEAD_LETTER_QUEUE_URL,
    MESSAGE_GROUP_ID,
    MESSAGE_GROUP_ID_FIELD,
    FIFO_DEDUPLICATION,
    BASE64_BINARY_BODIES,
    BACKEND,
)}


def defaults() -> Dict[str, object]:
    return {name: option.default for name, option in OPTIONS.items()}


def validate_value(option: Option, value, maximum: Optional[int] = None) -> None:
    """Raises ValueError naming the option, the value and what is allowed; maximum, when
    given, replaces the option's (max_record_size_in_bytes with large-payload offload)."""
    if maximum is not None:
        option = replace(option, maximum=maximum)
    if option.kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{option.name} must be {option.bounds_text()}, got {value!r}")
        return
    if option.kind is str:
        if value is None and option.default is None:
            return
        if not isinstance(value, str) or (option.choices and value not in option.choices):
            raise ValueError(f"{option.name} must be {option.bounds_text()}, got {value!r}")
        return
    # bool is an int subclass; True as a batch size is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{option.name} must be {option.bounds_text()}, got {value!r}")
    if value < option.minimum or (option.maximum is not None and value > option.maximum):
        raise ValueError(f"{option.name} must be {option.bounds_text()}, got {value}")


def validate_combination(values: Dict[str, object],
                         offload_threshold: Optional[int] = None) -> None:
    """Constraints between options, as AsyncSinkBase enforces them (with our wording).
    offload_threshold: large-payload offload's, when it is on; records over it go to S3, so
    they need not fit a batch, but every record at most that large must."""
    record = values[MAX_RECORD_SIZE_IN_BYTES.name]
    batch_bytes = values[MAX_BATCH_SIZE_IN_BYTES.name]
    if offload_threshold is not None:
        if offload_threshold > batch_bytes:
            raise ValueError(
                f"set_large_payload_offload: threshold_bytes ({offload_threshold}) must not "
                f"exceed max_batch_size_in_bytes ({batch_bytes}): a message that stays in SQS "
                f"must fit in a batch")
    elif record > batch_bytes:
        raise ValueError(
            f"max_record_size_in_bytes ({record}) must not exceed "
            f"max_batch_size_in_bytes ({batch_bytes}): a record that fits the record limit "
            f"must fit in a batch")
    if (values[REJECTED_RECORD_POLICY.name] == "dead_letter"
            and not values[DEAD_LETTER_QUEUE_URL.name]):
        raise ValueError("rejected_record_policy 'dead_letter' needs dead_letter_queue_url: "
                         "set_dead_letter_queue_url(<queue URL>)")
    buffered = values[MAX_BUFFERED_REQUESTS.name]
    batch = values[MAX_BATCH_SIZE.name]
    if buffered <= batch:
        raise ValueError(
            f"max_buffered_requests ({buffered}) must be greater than max_batch_size ({batch})")


def java_defaults_properties() -> str:
    """The resource the jar build writes, so Java defaults and bounds come from this table."""
    lines = ["# generated from pyflink_sqs/config.py by java-bridge/generate_resources.py; do not edit"]
    for option in OPTIONS.values():
        if option.java_setter is None:
            # Options the Python builder handles itself; SQL still needs their keys.
            if option.sql_key:
                lines.append(f"{option.name}.sql-key={option.sql_key}")
            continue
        if option.default is not None:
            default = str(option.default).lower() if option.kind is bool else str(option.default)
            lines.append(f"{option.name}.default={default}")
        if option.choices:
            lines.append(f"{option.name}.choices={','.join(option.choices)}")
        if option.minimum is not None:
            lines.append(f"{option.name}.min={option.minimum}")
        if option.maximum is not None:
            lines.append(f"{option.name}.max={option.maximum}")
        if option.sql_key:
            lines.append(f"{option.name}.sql-key={option.sql_key}")
    return "\n".join(lines) + "\n"
