"""A message beyond its body, as users describe it (SqsMessage, Attribute) and as both
backends get it (MessageFactory -> Message). The rules it is checked against are in
message_rules.py, the Java backend's wire format in envelope.py.

Users describe a message with :class:`SqsMessage` (returned by the builder's message function);
:class:`MessageFactory` turns each element into a checked :class:`Message` the same way for
both backends. Mistakes in how a message is described (a bad attribute name, an 11th
attribute, a delay on a FIFO queue, a FIFO message without a group id) raise
:class:`MessageError` naming the record and the rule: they are bugs in the job, not bad data,
so they fail it whatever the rejected-record policy. Body problems (empty, forbidden
characters, too large, not text) stay rejections that the policy handles.
"""
import base64
import collections.abc
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Dict, Mapping, Optional, Tuple, Union

from pyflink_sqs.elements import element_field
from pyflink_sqs.message_rules import (ATTRIBUTE_NAME, ATTRIBUTE_TYPES, MAX_ATTRIBUTES,
                                       MAX_DATA_TYPE_CHARS, MessageError, check_attribute_name,
                                       as_stored, check_attribute_value, check_delay, check_id,
                                       shown)

AttributeValue = Union[str, int, float, Decimal, bytes, "Attribute"]


@dataclass(frozen=True)
class Attribute:
    """An attribute with an explicit data type, e.g. ``Attribute("Number.float", "1.5")`` or
    ``Attribute("Binary.png", b"...")``. Plain values need no wrapper: str is String, int,
    float and Decimal are Number, bytes is Binary."""
    data_type: str
    value: Union[str, bytes]


@dataclass(frozen=True)
class SqsMessage:
    """What the builder's message function returns for one element.

    body: str, or bytes that are UTF-8 text (or any bytes with base64 bodies turned on).
    group_id: the message group (required on FIFO queues; on standard queues it selects a fair
        queue group).
    deduplication_id: FIFO only; when absent on a FIFO queue the sink makes one, as
        fifo_deduplication says (see pyflink_sqs/deduplication.py).
    delay_seconds: 0..900, standard queues only (FIFO queues have a queue-level delay only).
    attributes: up to 10, name -> value (see :class:`Attribute`).
    queue_url: send this message to that queue instead of the sink's: a queue of the same kind
        (standard or FIFO) in the sink's region, reached with its endpoint and credentials.
    """
    body: Union[str, bytes]
    group_id: Optional[str] = None
    deduplication_id: Optional[str] = None
    delay_seconds: Optional[int] = None
    attributes: Mapping[str, AttributeValue] = field(default_factory=dict)
    queue_url: Optional[str] = None


# Attribute name -> (DataType, value): str for String/Number types, bytes for Binary ones.
Attributes = Dict[str, Tuple[str, Union[str, bytes]]]


@dataclass
class Message:
    """A checked message: body is text, or None with raw holding bytes that are not text."""
    body: Optional[str]
    raw: bytes                 # the body's bytes as produced (what a rejection reports)
    group_id: Optional[str] = None
    deduplication_id: Optional[str] = None
    delay_seconds: Optional[int] = None
    attributes: Attributes = field(default_factory=dict)
    queue_url: Optional[str] = None  # None: the sink's queue


def attributes_size(attributes: Attributes) -> int:
    """SQS counts each attribute's name, type and value toward the message size."""
    if not attributes:  # most messages: a generator over nothing costs ~0.4 us a record
        return 0
    return sum(len(name.encode()) + len(kind.encode())
               + (len(value) if isinstance(value, bytes) else len(value.encode()))
               for name, (kind, value) in attributes.items())


class MessageFactory:
    """Element -> Message, per the builder's message settings; the same on both backends."""

    def __init__(self, fifo: bool, message_builder: Optional[Callable] = None,
                 group_id: Optional[str] = None, group_id_field: Optional[str] = None,
                 base64_bodies: bool = False, region: Optional[str] = None,
                 queue_url: Optional[str] = None):
        self.fifo = fifo
        self.message_builder = message_builder
        self.group_id = group_id
        self.group_id_field = group_id_field
        self.base64_bodies = base64_bodies
        self.region = region  # the sink's; a message's own queue must be in it
        self._routes: Dict[str, str] = {}  # queue URLs given by messages, checked once
        # The sink's queue: a message naming it is routed as one naming none. FIFO order is
        # kept per (queue, group): told apart, one group's messages with and without the URL
        # would be two groups that could overtake each other in the same queue.
        self.queue_url = queue_url
        # A str element is the whole message: what _checked makes of SqsMessage(body=element),
        # without building and checking one (it was ~40 % of the conversion's time).
        self._plain = not (fifo or message_builder or group_id is not None
                           or group_id_field is not None)

    def __call__(self, element, position: int) -> Message:
        if self._plain and type(element) is str:
            body = as_stored(element)
            return Message(body, body.encode("utf-8", "surrogatepass"))
        if self.message_builder is not None:
            described = self.message_builder(element)
            if isinstance(described, (str, bytes, bytearray, memoryview)):
                described = SqsMessage(body=described)
            elif not isinstance(described, SqsMessage):
                raise MessageError(
                    f"record {position}: the message function returned a "
                    f"{type(described).__name__}; it must return an SqsMessage, str or bytes")
        else:
            described = SqsMessage(body=element, group_id=self._group_id_of(element, position))
        return self._checked(described, position)

    def _group_id_of(self, element, position: int) -> Optional[str]:
        if self.group_id is not None:
            return self.group_id
        if self.group_id_field is None:
            return None
        try:
            value = element_field(element, self.group_id_field)
        except (KeyError, ValueError, TypeError) as e:
            raise MessageError(f"record {position}: no message group id: {e}") from None
        return value if isinstance(value, str) else str(value)

    def _checked(self, message: SqsMessage, position: int) -> Message:
        where = f"record {position}"
        body, raw = self._body(message.body, where)
        group_id = message.group_id
        dedup_id = message.deduplication_id
        if self.fifo:
            if group_id is None:
                raise MessageError(
                    f"{where}: a FIFO queue needs a message group id: set_message_group_id("
                    f"...), set_message_group_id_field(...) or SqsMessage(group_id=...)")
            if message.delay_seconds is not None:
                raise MessageError(
                    f"{where}: delay_seconds is not allowed on a FIFO queue (SQS has only a "
                    f"queue-level delay there)")
        elif dedup_id is not None:
            raise MessageError(f"{where}: deduplication_id is for FIFO queues only")
        if group_id is not None:
            check_id(group_id, "group_id", where)
        if dedup_id is not None:
            check_id(dedup_id, "deduplication_id", where)
        delay = message.delay_seconds
        if delay is not None:
            check_delay(delay, where)
        attributes = _attributes(message.attributes, where) if message.attributes else {}
        queue_url = None if message.queue_url is None else self._route(message.queue_url, where)
        if queue_url == self.queue_url:
            queue_url = None
        # A FIFO message without a deduplication id gets one where it is sent (the Java
        # writer, or the Python backend's converter): see pyflink_sqs/deduplication.py.
        return Message(body, raw, group_id, dedup_id, delay, attributes, queue_url)

    def _route(self, url, where: str) -> str:
        """A message's own queue: a queue URL, in the sink's region, of the sink's kind (the
        group and deduplication rules were checked for the sink's kind)."""
        checked = self._routes.get(url) if isinstance(url, str) else None
        if checked is not None:
            return checked
        from pyflink_sqs.queue_url import parse_queue_url

        try:
            queue = parse_queue_url(url, "queue_url")
        except ValueError as e:
            raise MessageError(f"{where}: {e}") from None
        if queue.region is not None and self.region is not None and queue.region != self.region:
            raise MessageError(
                f"{where}: queue_url {queue.url} is in region {queue.region}, and the sink sends "
                f"to {self.region} with its endpoint and credentials; use one sink per region")
        if queue.is_fifo != self.fifo:
            kinds = ("a FIFO", "a standard")
            raise MessageError(
                f"{where}: queue_url {queue.url} is {kinds[not queue.is_fifo]} queue and the "
                f"sink's is {kinds[not self.fifo]} one; a message's queue must be of the sink's "
                f"kind")
        if len(self._routes) < 10_000:  # bounded: a stream of ever new URLs is checked anew
            self._routes[url] = queue.url
        return queue.url

    def _body(self, body, where: str) -> Tuple[Optional[str], bytes]:
        if isinstance(body, str):
            body = as_stored(body)
            return body, body.encode("utf-8", "surrogatepass")
        if isinstance(body, (bytes, bytearray, memoryview)):
            raw = bytes(body)
            try:
                return raw.decode("utf-8"), raw
            except UnicodeDecodeError:
                if self.base64_bodies:
                    text = base64.b64encode(raw).decode("ascii")
                    return text, text.encode("ascii")
                return None, raw
        raise TypeError(
            f"SqsSink sends str (or UTF-8 bytes) bodies, got a {type(body).__name__} "
            f"({where}); map the stream to text first, for example "
            f"ds.map(json.dumps, output_type=Types.STRING()), or return an SqsMessage from "
            f"set_message_builder(...)")


def check_group_id(group_id) -> None:
    """For set_message_group_id() at build(): same rule as for each message."""
    try:
        check_id(group_id, "group_id", "message_group_id")
    except MessageError as e:
        raise ValueError(str(e)) from None


def _attributes(given: Mapping, where: str) -> Attributes:
    if not isinstance(given, collections.abc.Mapping):  # typing's Mapping is slower to check
        raise MessageError(f"{where}: attributes must be a dict of name -> value")
    if len(given) > MAX_ATTRIBUTES:
        raise MessageError(f"{where}: {len(given)} message attributes, SQS allows at most "
                           f"{MAX_ATTRIBUTES}")
    checked: Attributes = {}
    for name, value in given.items():
        check_attribute_name(name, where)
        checked[name] = _attribute_value(name, value, where)
    return checked


def _attribute_value(name: str, value, where: str) -> Tuple[str, Union[str, bytes]]:
    what = f"{where}: attribute {name!r}"
    if isinstance(value, Attribute):
        kind, raw = value.data_type, value.value
        base = kind.split(".", 1)[0] if isinstance(kind, str) else None
        if base not in ATTRIBUTE_TYPES or len(kind) > MAX_DATA_TYPE_CHARS \
                or (kind != base and not ATTRIBUTE_NAME.fullmatch(kind[len(base) + 1:])):
            raise MessageError(f"{what}: data type {shown(kind)} must be String, Number or "
                               f"Binary, optionally with a '.label' suffix")
    elif isinstance(value, bool):
        raise MessageError(f"{what}: a bool has no SQS type; use 'true'/'false' or 1/0")
    elif isinstance(value, str):
        kind, raw, base = "String", value, "String"
    elif isinstance(value, (int, float, Decimal)):
        kind, raw, base = "Number", str(value), "Number"
    elif isinstance(value, (bytes, bytearray, memoryview)):
        kind, raw, base = "Binary", bytes(value), "Binary"
    else:
        raise MessageError(f"{what}: a {type(value).__name__} has no SQS type; use str, int, "
                           f"float, Decimal, bytes or Attribute(data_type, value)")
    return kind, check_attribute_value(base, raw, what)


