"""Element -> entry, or the reason SQS would never accept it (same checks as the Java side)."""
from dataclasses import dataclass
from typing import Optional

from pyflink_sqs.message_rules import NOT_UTF8, Rejection, check_body
from pyflink_sqs.python_backend.entries import Entry


@dataclass
class Converted:
    entry: Optional[Entry]         # None when the bytes are not UTF-8 text
    serialized: bytes
    rejection: Optional[Rejection]
    position: int


class Converter:
    def __init__(self, max_record_size_in_bytes: int):
        self.max_record_size_in_bytes = max_record_size_in_bytes
        self.position = 0

    def convert(self, element) -> Converted:
        self.position += 1
        if isinstance(element, str):
            serialized = element.encode("utf-8", "surrogatepass")
            body = element
        elif isinstance(element, (bytes, bytearray, memoryview)):
            serialized = bytes(element)
            try:
                body = serialized.decode("utf-8")
            except UnicodeDecodeError:
                return Converted(None, serialized, Rejection(
                    NOT_UTF8, f"its {len(serialized)} serialized bytes are not UTF-8 text, and "
                              f"SQS message bodies are text"), self.position)
        else:
            raise TypeError(
                f"SqsSink sends str (or UTF-8 bytes) records, got a {type(element).__name__} "
                f"(record {self.position}); map the stream to text first, for example "
                f"ds.map(json.dumps, output_type=Types.STRING())")
        entry = Entry.of(body, len(serialized), self.position)
        return Converted(entry, serialized,
                         check_body(body, entry.size, self.max_record_size_in_bytes),
                         self.position)
