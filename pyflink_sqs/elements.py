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


def element_field(element, name: str):
    """The field `name` of an element: a dict key, a pyflink Row field, a JSON object's member
    (for str/bytes elements holding JSON text) or an object attribute. Raises KeyError naming
    the field when it is absent."""
    import json

    if isinstance(element, (str, bytes, bytearray)):
        try:
            element = json.loads(element)
        except ValueError:
            raise ValueError(f"the element is text but not a JSON object, so it has no field "
                             f"{name!r}") from None
    if isinstance(element, dict):
        if name not in element:
            raise KeyError(f"the element has no field {name!r}")
        value = element[name]
    else:
        try:
            from pyflink.common import Row

            value = element[name] if isinstance(element, Row) else getattr(element, name)
        except (AttributeError, KeyError, ValueError):
            raise KeyError(f"the element ({type(element).__name__}) has no field "
                           f"{name!r}") from None
    if value is None:
        raise KeyError(f"the element's field {name!r} is null")
    return value
