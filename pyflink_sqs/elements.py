"""What a Python element becomes as an SQS message body (SQS bodies are text)."""


def to_message_body(element) -> str:
    """str passes through; bytes must be UTF-8; anything else is a mistake we name."""
    if isinstance(element, str):
        return element
    if isinstance(element, (bytes, bytearray, memoryview)):
        data = bytes(element)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ValueError(
                f"SqsSink got a bytes record of {len(data)} bytes that is not valid UTF-8 "
                f"(at byte {e.start}); SQS message bodies are text: decode or encode it "
                f"(for example base64) before the sink") from None
    raise TypeError(
        f"SqsSink with SimpleStringSchema sends str (or UTF-8 bytes) records, got a "
        f"{type(element).__name__}; map the stream to text first, for example "
        f"ds.map(json.dumps, output_type=Types.STRING())")
