"""What a Python-backend writer needs; pickled with the function into the job."""
from dataclasses import dataclass, field
from typing import Optional

from pyflink_sqs.large_payload import LargePayloadOffload
from pyflink_sqs.message import MessageFactory
from pyflink_sqs.python_backend.concealed import ConcealedProperties


@dataclass(frozen=True)
class WriterSettings:
    queue_url: str
    region: str
    endpoint: str
    client_properties: ConcealedProperties = field(repr=False)  # holds credentials
    trust_all_certificates: bool
    read_timeout_ms: int       # aws.http-client.read-timeout, checked at build()
    fail_on_error: bool
    max_batch_size: int
    max_in_flight_requests: int
    max_buffered_requests: int
    max_batch_size_in_bytes: int
    max_time_in_buffer_ms: int
    max_record_size_in_bytes: int
    rejected_record_policy: str
    dead_letter_queue_url: Optional[str]
    messages: MessageFactory   # how elements become messages (group ids, base64, ...)
    fifo_deduplication: str = "per_record"
    # Random per built sink: part of per-record deduplication ids (deduplication.py).
    deduplication_nonce: str = ""
    large_payload: Optional[LargePayloadOffload] = None  # bodies over a threshold go to S3
