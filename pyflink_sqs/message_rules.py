"""What SQS accepts as a message body, checked before sending (same rules as Java's
MessageValidator; tests/unit/test_message_rules.py runs shared cases against both)."""
import re
from typing import Optional

# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html:
# #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF
ALLOWED_CHARACTERS = "#x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF"
# Also what string attribute values may hold (pyflink_sqs.message).
FORBIDDEN_CHARACTER = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

EMPTY_BODY = "EMPTY_BODY"
INVALID_CHARACTER = "INVALID_CHARACTER"
TOO_LARGE = "TOO_LARGE"
NOT_UTF8 = "NOT_UTF8"


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
