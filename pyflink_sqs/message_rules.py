"""What SQS accepts in a message, one place: the body (checked before sending; a body SQS
refuses is a rejection the policy handles: Java's MessageValidator, held to
tests/fixtures/body_rules.json) and the rest, group and deduplication ids, delays, attribute
names and values (a mistake of the job: MessageError; Java's MessageRules, held to
tests/fixtures/message_rules.json)."""
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Optional

# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html:
# #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF
ALLOWED_CHARACTERS = "#x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF"
# Also what string attribute values may hold (pyflink_sqs.message).
FORBIDDEN_CHARACTER = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def has_utf8_form(text: str) -> bool:
    """Whether a str encodes as strict UTF-8 (it holds no surrogate code point)."""
    if text.isascii():  # a flag CPython keeps: the common case costs nothing
        return True
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def as_stored(text: str) -> str:
    """The text SQS stores for a str. A str can hold a surrogate pair as two code points
    (decoded with 'surrogatepass', or built by hand); JSON, which carries the text both to SQS
    (botocore) and to the Java backend (envelope.py), joins such a pair into the character it
    encodes, and SQS stores that character (found by tests/integration/test_fuzzing.py: the
    sink refused such a body, LocalStack stored it). So the sink checks, counts and digests
    the joined text; a surrogate without its partner stays, and the rules refuse it."""
    if has_utf8_form(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


EMPTY_BODY = "EMPTY_BODY"
INVALID_CHARACTER = "INVALID_CHARACTER"
TOO_LARGE = "TOO_LARGE"
NOT_UTF8 = "NOT_UTF8"
# Large-payload offload: a message over the threshold whose attributes leave no room for the
# Extended Client's size attribute.
TOO_MANY_ATTRIBUTES = "TOO_MANY_ATTRIBUTES"


class Rejection:
    """Why a record cannot be sent: a reason code and a message that never quotes the body."""

    def __init__(self, reason: str, detail: str):
        self.reason = reason
        self.detail = detail

    def __repr__(self):
        return f"Rejection({self.reason}: {self.detail})"


def check_body(body: str, size_in_bytes: int, max_record_size_in_bytes: int) \
        -> Optional[Rejection]:
    if size_in_bytes > max_record_size_in_bytes:
        return Rejection(TOO_LARGE, f"it is {size_in_bytes} bytes, over "
                                    f"max_record_size_in_bytes={max_record_size_in_bytes}")
    if not body:
        return Rejection(EMPTY_BODY, "its body is empty, and SQS needs at least one character")
    match = FORBIDDEN_CHARACTER.search(body)
    if match:
        return Rejection(INVALID_CHARACTER, (
            f"it contains U+{ord(match.group()):04X} at character {match.start()}, which SQS "
            f"does not allow (allowed: {ALLOWED_CHARACTERS})"))
    return None


# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
# and .../API_MessageAttributeValue.html
MAX_ATTRIBUTES = 10
MAX_ATTRIBUTE_NAME_CHARS = 256
MAX_DATA_TYPE_CHARS = 256
MAX_ID_CHARS = 128
MAX_DELAY_SECONDS = 900
ATTRIBUTE_TYPES = ("String", "Number", "Binary")
ATTRIBUTE_NAME = re.compile(r"[A-Za-z0-9_.\-]+")
_RESERVED_PREFIXES = ("aws.", "amazon.")
# Group and deduplication ids: alphanumerics and punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~).
_ID = re.compile(r"[A-Za-z0-9!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]+")



def java_resource() -> str:
    """The limits and patterns of ids and attributes, for the jar (sink/MessageRules.java)."""
    values = {
        "max-attributes": MAX_ATTRIBUTES,
        "max-attribute-name-chars": MAX_ATTRIBUTE_NAME_CHARS,
        "max-id-chars": MAX_ID_CHARS,
        "max-delay-seconds": MAX_DELAY_SECONDS,
        "reserved-prefixes": ",".join(_RESERVED_PREFIXES),
        "attribute-name-pattern": ATTRIBUTE_NAME.pattern,
        "id-pattern": _ID.pattern,
    }
    lines = ["# generated from pyflink_sqs/message_rules.py by java-bridge/generate_resources.py; "
             "do not edit"]
    # A properties file reads a backslash as an escape: the patterns' own are doubled. Java's
    # regular expressions read these character classes as Python's do.
    lines += [f"{key}={str(value).replace(chr(92), chr(92) * 2)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"

class MessageError(ValueError):
    """A message described in a way SQS never accepts; names the record and the rule."""


def check_id(value, what: str, where: str) -> None:
    if not isinstance(value, str) or not value or len(value) > MAX_ID_CHARS \
            or not _ID.fullmatch(value):
        raise MessageError(
            f"{where}: {what} must be 1..{MAX_ID_CHARS} characters of letters, digits and "
            f"punctuation, got {shown(value)}")


def check_delay(delay, where: str) -> None:
    if isinstance(delay, bool) or not isinstance(delay, int) \
            or not 0 <= delay <= MAX_DELAY_SECONDS:
        raise MessageError(f"{where}: delay_seconds must be an integer in "
                           f"0..{MAX_DELAY_SECONDS}, got {delay!r}")


# Attribute names already found valid: a job's messages repeat a few names, and checking one
# anew cost ~0.8 us (timeit), a third of its attribute's checks. Bounded: a stream of ever new
# names is checked anew past it.
_VALID_NAMES = set()
_MAX_VALID_NAMES = 10_000


def check_attribute_name(name, where: str) -> None:
    if type(name) is str and name in _VALID_NAMES:
        return
    problem = None
    if not isinstance(name, str) or not name:
        problem = "must be a non-empty str"
    elif len(name) > MAX_ATTRIBUTE_NAME_CHARS:
        problem = f"is {len(name)} characters long, over {MAX_ATTRIBUTE_NAME_CHARS}"
    elif not ATTRIBUTE_NAME.fullmatch(name):
        problem = "may contain only letters, digits, '_', '-' and '.'"
    elif name.lower().startswith(_RESERVED_PREFIXES):
        problem = "must not start with 'AWS.' or 'Amazon.' (reserved)"
    elif name.startswith(".") or name.endswith(".") or ".." in name:
        problem = "must not start or end with '.' nor contain '..'"
    if problem:
        raise MessageError(f"{where}: attribute name {shown(name)} {problem}")
    if type(name) is str and len(_VALID_NAMES) < _MAX_VALID_NAMES:
        _VALID_NAMES.add(name)


def check_attribute_value(base: str, raw, what: str):
    """An attribute value of data type base (String, Number or Binary), as SQS takes it."""
    if base == "Binary":
        if not isinstance(raw, (bytes, bytearray, memoryview)) or not raw:
            raise MessageError(f"{what}: a Binary value must be non-empty bytes")
        return bytes(raw)
    if not isinstance(raw, str) or not raw:
        raise MessageError(f"{what}: a {base} value must be a non-empty str")
    raw = as_stored(raw)
    if base == "Number":
        check_number(raw, what)
    match = FORBIDDEN_CHARACTER.search(raw)
    if match:
        raise MessageError(f"{what}: contains U+{ord(match.group()):04X}, which SQS does not "
                           f"allow")
    return raw


def check_number(text: str, what: str) -> None:
    # SQS: up to 38 significant digits, between -10^128 and 10^126.
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or len(number.as_tuple().digits) > 38 \
            or (number != 0 and not -128 <= math.floor(math.log10(abs(number))) < 126):
        raise MessageError(f"{what}: {text!r} is not a number SQS accepts (finite, at most 38 "
                           f"significant digits, magnitude 1E-128..1E126)")


def shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
