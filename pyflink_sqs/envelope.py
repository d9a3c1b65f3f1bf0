"""The Java backend's wire format for described messages: the JSON envelope a chained Python
map writes for each record and the Java converter reads (SqsEnvelope.java)."""
import base64
import json

from pyflink_sqs.message import Message, MessageFactory
from pyflink_sqs.message_rules import has_utf8_form


def to_envelope(message: Message) -> str:
    """The JSON the Java backend's converter reads (SqsEnvelope.java): one str per record."""
    envelope = {}
    if message.body is not None:
        envelope["b"] = message.body
    else:
        envelope["r"] = base64.b64encode(message.raw).decode("ascii")
    if message.group_id is not None:
        envelope["g"] = message.group_id
    if message.deduplication_id is not None:
        envelope["d"] = message.deduplication_id
    if message.delay_seconds is not None:
        envelope["s"] = message.delay_seconds
    if message.queue_url is not None:
        envelope["q"] = message.queue_url
    if message.attributes:
        envelope["a"] = [
            [name, kind, base64.b64encode(value).decode("ascii") if isinstance(value, bytes)
             else value, isinstance(value, bytes)]
            for name, (kind, value) in message.attributes.items()]
    text = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
    # PyFlink's coder encodes the str as strict UTF-8 on its way to the JVM.
    if not has_utf8_form(text):
        # A lone surrogate (a str body can hold one) has no UTF-8 form, and the
        # coder would fail the job: JSON's \u escape carries it, and the Java converter then
        # refuses the record by its rule (INVALID_CHARACTER), as the Python backend does.
        text = json.dumps(envelope, ensure_ascii=True, separators=(",", ":"))
    return text


class EnvelopeFunction:
    """The Python map before the Java sink: element -> envelope str. A plain callable class
    (PyFlink wraps it in a MapFunction) that numbers records as the writers do."""

    def __init__(self, messages: MessageFactory):
        self.messages = messages
        self.position = 0

    def __call__(self, element) -> str:
        self.position += 1
        return to_envelope(self.messages(element, self.position))
