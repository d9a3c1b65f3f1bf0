"""Large-payload offload, in the Amazon SQS Extended Client's format: its options and their
bounds, which messages go to S3, the S3 key, the pointer body and the size attribute. One
place, so that what a consumer using the Extended Client (Java
amazon-sqs-java-extended-client-lib, Python amazon-sqs-extended-client) reads back is what the
sink wrote. The S3 calls themselves belong to a backend (python_backend/s3_payloads.py)."""
import re
import uuid
from urllib.parse import urlsplit
from dataclasses import dataclass
from typing import Optional

from pyflink_sqs.config import JAVA_INT_MAX, SQS_MAX_PAYLOAD_BYTES
from pyflink_sqs.message import Attributes, attributes_size
from pyflink_sqs.message_rules import MAX_ATTRIBUTES, shown

# The Extended Client's names (payloadoffloading's PayloadS3Pointer, and the attribute that
# marks an offloaded message and gives the body's length; the Java library writes the legacy
# name by default, both libraries read either).
POINTER_CLASS = "software.amazon.payloadoffloading.PayloadS3Pointer"
SIZE_ATTRIBUTE = "ExtendedPayloadSize"
LEGACY_SIZE_ATTRIBUTE = "SQSLargePayloadSize"
RESERVED_ATTRIBUTES = (SIZE_ATTRIBUTE, LEGACY_SIZE_ATTRIBUTE)
SIZE_ATTRIBUTE_TYPE = "Number"
# The size attribute takes one of SQS's 10 attribute slots.
MAX_USER_ATTRIBUTES = MAX_ATTRIBUTES - 1

# Both libraries' default: 256 KiB, SQS's message limit until 2025.
DEFAULT_THRESHOLD_BYTES = 262_144
# A message at the threshold stays inline, so the threshold cannot exceed what SQS takes inline.
MAX_THRESHOLD_BYTES = SQS_MAX_PAYLOAD_BYTES
# With offload on, a record may be this large (and is, unless max_record_size_in_bytes is
# set): records cross Flink (and Beam's coders) and are put to S3 as one byte array, and a Java
# array holds at most 2^31 - 1 bytes (HotSpot: a few fewer); 1 MiB below that leaves room for
# the attributes in the message size the Java backend adds up as an int. One S3 PUT takes up
# to 5 GiB, so S3 is not the bound.
MAX_RECORD_BYTES = JAVA_INT_MAX - SQS_MAX_PAYLOAD_BYTES

# Key prefixes as the Java library's ExtendedClientConfiguration takes them: S3 keys are at
# most 1,024 bytes and the random part (a UUID) takes 36.
MAX_KEY_PREFIX_CHARS = 1024 - 36
KEY_PREFIX_PATTERN = r"[a-zA-Z0-9./_-]*"
# S3 bucket names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
# 3..63 lowercase letters, digits, '.' and '-', beginning and ending with a letter or digit.
BUCKET_PATTERN = r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"
# Hosts of AWS's own endpoints (regional, FIPS, dual-stack and VPC endpoints of SQS end so):
# such an aws.endpoint serves SQS only, so S3 is then reached at its regional endpoint.
AWS_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")
_KEY_PREFIX = re.compile(KEY_PREFIX_PATTERN)
_BUCKET = re.compile(BUCKET_PATTERN)

# set_large_payload_offload's arguments as SQL options ('connector' = 'sqs'): only
# sink.large-payload.s3-bucket turns offload on; the others need it.
SQL_KEYS = {
    "s3_bucket": "sink.large-payload.s3-bucket",
    "threshold_bytes": "sink.large-payload.threshold",
    "key_prefix": "sink.large-payload.key-prefix",
    "legacy_size_attribute": "sink.large-payload.legacy-size-attribute",
    "s3_endpoint": "sink.large-payload.s3-endpoint",
}

_POINTER_HEAD = f'["{POINTER_CLASS}",{{"s3BucketName":"'
_POINTER_MIDDLE = '","s3Key":"'
_POINTER_TAIL = '"}]'


@dataclass(frozen=True)
class LargePayloadOffload:
    """Where and when message bodies go to S3 (SqsSinkBuilder.set_large_payload_offload)."""
    s3_bucket: str
    threshold_bytes: int = DEFAULT_THRESHOLD_BYTES
    key_prefix: str = ""
    legacy_size_attribute: bool = False
    s3_endpoint: Optional[str] = None  # None: see s3_endpoint_of

    def __post_init__(self):
        check(self)

    @property
    def size_attribute(self) -> str:
        return LEGACY_SIZE_ATTRIBUTE if self.legacy_size_attribute else SIZE_ATTRIBUTE

    def is_large(self, message_size: int) -> bool:
        """message_size: body bytes plus attribute names, types and values, as both
        libraries count it (and as SQS does); over the threshold, not at it, goes to S3."""
        return message_size > self.threshold_bytes

    def new_key(self) -> str:
        return self.key_prefix + str(uuid.uuid4())

    def pointer(self, key: str) -> str:
        """The body an offloaded message carries, byte for byte as the Java library's
        PayloadS3Pointer.toJson() writes it (Jackson: no spaces)."""
        return _POINTER_HEAD + self.s3_bucket + _POINTER_MIDDLE + key + _POINTER_TAIL

    def offloaded_attributes(self, attributes: Attributes, body_bytes: int) -> Attributes:
        return {**attributes, self.size_attribute: (SIZE_ATTRIBUTE_TYPE, str(body_bytes))}

    def offloaded_size(self, key: str, attributes: Attributes, body_bytes: int) -> int:
        """What the offloaded message weighs in SQS: pointer, attributes and size attribute
        (bucket and key are ASCII, so characters are bytes)."""
        return len(self.pointer(key)) + attributes_size(
            self.offloaded_attributes(attributes, body_bytes))


def check(offload: LargePayloadOffload) -> None:
    """ValueError naming the argument, the value and what is allowed."""
    bucket = offload.s3_bucket
    if not isinstance(bucket, str) or not _BUCKET.fullmatch(bucket) or ".." in bucket:
        raise ValueError(
            f"set_large_payload_offload: s3_bucket must be an S3 bucket name (3..63 lowercase "
            f"letters, digits, '.' and '-', beginning and ending with a letter or digit), got "
            f"{shown(bucket)}")
    threshold = offload.threshold_bytes
    if isinstance(threshold, bool) or not isinstance(threshold, int) \
            or not 0 <= threshold <= MAX_THRESHOLD_BYTES:
        raise ValueError(
            f"set_large_payload_offload: threshold_bytes must be an integer in "
            f"0..{MAX_THRESHOLD_BYTES} (a message at most this large stays in SQS), got "
            f"{threshold!r}")
    prefix = offload.key_prefix
    if not isinstance(prefix, str) or len(prefix) > MAX_KEY_PREFIX_CHARS \
            or not _KEY_PREFIX.fullmatch(prefix) or prefix.startswith((".", "/")) \
            or ".." in prefix:
        raise ValueError(
            f"set_large_payload_offload: key_prefix must be at most {MAX_KEY_PREFIX_CHARS} "
            f"characters of a-z, A-Z, 0-9, '.', '/', '_' and '-', not beginning with '.' or "
            f"'/' and without '..' (the Extended Client's rules), got {shown(prefix)}")
    if not isinstance(offload.legacy_size_attribute, bool):
        raise ValueError(f"set_large_payload_offload: legacy_size_attribute must be True or "
                         f"False, got {offload.legacy_size_attribute!r}")
    endpoint = offload.s3_endpoint
    if endpoint is not None and (not isinstance(endpoint, str)
                                 or not endpoint.startswith(("https://", "http://"))):
        raise ValueError(f"set_large_payload_offload: s3_endpoint must be an http(s):// URL or "
                         f"None, got {shown(endpoint)}")


def s3_endpoint_of(offload: LargePayloadOffload, sqs_endpoint: Optional[str]) -> Optional[str]:
    """Where S3 is reached: s3_endpoint when given; else aws.endpoint when it is not one of
    AWS's (an emulator such as LocalStack serves SQS and S3 at one address); else None, AWS's
    regional S3 endpoint (an SQS VPC or FIPS endpoint in aws.endpoint answers SQS only)."""
    if offload.s3_endpoint:
        return offload.s3_endpoint
    endpoint = (sqs_endpoint or "").strip()
    if not endpoint:
        return None
    host = (urlsplit(endpoint).hostname or "").lower()
    return None if host.endswith(AWS_HOST_SUFFIXES) else endpoint


def describe(offload: Optional[LargePayloadOffload]) -> str:
    return "None" if offload is None else (
        f"s3://{offload.s3_bucket}/{offload.key_prefix}* over {offload.threshold_bytes} bytes")


def java_resource() -> str:
    """What the jar carries (config/LargePayloadOffload.java reads it), so both backends write one
    format with one set of bounds."""
    values = {
        "pointer-class": POINTER_CLASS,
        "size-attribute": SIZE_ATTRIBUTE,
        "legacy-size-attribute": LEGACY_SIZE_ATTRIBUTE,
        "size-attribute-type": SIZE_ATTRIBUTE_TYPE,
        "max-user-attributes": MAX_USER_ATTRIBUTES,
        "default-threshold": DEFAULT_THRESHOLD_BYTES,
        "max-threshold": MAX_THRESHOLD_BYTES,
        "max-record-bytes": MAX_RECORD_BYTES,
        "max-key-prefix-chars": MAX_KEY_PREFIX_CHARS,
        "key-prefix-pattern": KEY_PREFIX_PATTERN,
        "bucket-pattern": BUCKET_PATTERN,
        "aws-host-suffixes": ",".join(AWS_HOST_SUFFIXES),
    }
    lines = ["# generated from pyflink_sqs/large_payload.py by java-bridge/generate_resources.py; "
             "do not edit"]
    # Properties files read a backslash as an escape: the patterns hold none.
    lines += [f"{key}={value}" for key, value in values.items()]
    lines += [f"sql-key.{argument}={key}" for argument, key in SQL_KEYS.items()]
    return "\n".join(lines) + "\n"
