"""Differential fuzzing of what SQS accepts: for generated messages (bodies of random Unicode,
sizes around the limit, attribute names, types and values, group and deduplication ids,
delays), the sink's verdict before sending (accept, or reject naming the rule) must be
LocalStack's answer to the same message sent with boto3 directly. Seeded; FUZZ_CASES cases
(a few hundred in make test), FUZZ_SOAK_CASES in the soak (10,000, `make soak`)."""
import collections
import os
import random

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from pyflink_sqs.message import Attribute, MessageFactory, SqsMessage, attributes_size
from pyflink_sqs.message_rules import MessageError, check_body
from tests.support.queues import create_queue, sqs_client

CASES = int(os.environ.get("FUZZ_CASES", 300))
SOAK_CASES = int(os.environ.get("FUZZ_SOAK_CASES", 10_000))
SEED = int(os.environ.get("FUZZ_SEED", 20261202))
LIMIT = 262_144  # the queues' MaximumMessageSize and the sink's max_record_size_in_bytes

# Characters drawn from the ranges that matter: allowed ones, controls, the XML-forbidden
# U+FFFE/U+FFFF, lone surrogates, 4-byte characters.
RANGES = [(0x20, 0x7e), (0x0, 0x1f), (0x7f, 0x9f), (0xa0, 0xd7ff), (0xd800, 0xdfff),
          (0xe000, 0xfffd), (0xfffe, 0xffff), (0x10000, 0x10ffff)]
WEIGHTS = [40, 3, 2, 10, 1, 5, 1, 5]


GOOD_RANGES = [(0x20, 0x7e), (0xa0, 0xd7ff), (0xe000, 0xfffd), (0x10000, 0x10ffff)]
GOOD_WEIGHTS = [60, 20, 10, 10]
BAD = 0.12  # how often a field is drawn from the whole range, not the usual values


def text(rng: random.Random, length: int, ranges=RANGES, weights=WEIGHTS) -> str:
    chars = []
    for _ in range(length):
        low, high = rng.choices(ranges, weights)[0]
        chars.append(chr(rng.randint(low, high)))
    return "".join(chars)


def good_text(rng: random.Random, length: int) -> str:
    return text(rng, length, GOOD_RANGES, GOOD_WEIGHTS)


def body(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.03:
        return ""
    if shape < 0.10:  # around the size limit, in bytes (ASCII, then one multi-byte char)
        size = LIMIT + rng.choice([-4, -1, 0, 1, 2])
        return "a" * (size - 3) + rng.choice(["€", "bcd", "ab"])
    if shape < 0.10 + BAD:
        return text(rng, rng.randint(1, 40))
    return good_text(rng, rng.randint(1, 60))


def attribute_name(rng: random.Random) -> str:
    if rng.random() < BAD:
        return rng.choice(["AWS.x", "amazon.y", ".lead", "trail.", "a..b", "sp ace", "é", "",
                           "n" * 257, "Amazonia", "aws", "x" * 256])
    return "".join(rng.choice("abcXYZ019_-") for _ in range(rng.randint(1, 12))) + \
        rng.choice(["", ".v2", "_x"])


def attribute_value(rng: random.Random):
    if rng.random() < BAD:
        return rng.choice([text(rng, rng.randint(0, 6)), b"",
                           Attribute("Number", rng.choice(["nan", "1" * 39, "", "1e200"])),
                           Attribute(rng.choice(["Str", "String.é", "Binary.x y"]), "v"),
                           Attribute("String", b"\x01"), 10 ** 40])
    return rng.choice([good_text(rng, rng.randint(1, 10)), rng.randint(-10 ** 6, 10 ** 6),
                       rng.random() * 100, bytes(rng.randrange(256) for _ in range(4)),
                       Attribute("Number.int", str(rng.randint(0, 99))),
                       Attribute("String.label", "v"), Attribute("Binary.png", b"\x89PNG")])


def identifier(rng: random.Random) -> str:
    if rng.random() < BAD:
        return rng.choice(["a" * 129, "", "with space", "é", "tab\t", "\u2713"])
    return "".join(rng.choice("abcXYZ019-_!#$%()*+,./:;<=>?@[]^`{|}~")
                   for _ in range(rng.choice([1, 5, 20, 128])))


def message(rng: random.Random, fifo: bool) -> SqsMessage:
    count = 11 if rng.random() < 0.03 else rng.choice([0, 0, 1, 2, 3])
    attributes = {attribute_name(rng): attribute_value(rng) for _ in range(count)}
    delay = None
    if rng.random() < (0.05 if fifo else 0.4):
        delay = rng.choice([0, 900, 30]) if rng.random() > BAD else rng.choice([901, -1])
    return SqsMessage(
        body=body(rng), attributes=attributes,
        group_id=identifier(rng) if fifo else None,
        deduplication_id=identifier(rng) if fifo and rng.random() < 0.7 else None,
        delay_seconds=delay)


def our_verdict(described: SqsMessage, fifo: bool):
    """(accepted, the rule or reason) as the sink decides before sending."""
    try:
        checked = MessageFactory(fifo, lambda e: described)(None, 1)
    except MessageError as e:
        return False, str(e)
    if checked.body is None:
        return False, "NOT_UTF8"
    size = len(checked.raw) + attributes_size(checked.attributes)
    rejection = check_body(checked.body, size, LIMIT)
    return (True, None) if rejection is None else (False, rejection.reason)


def entry_of(described: SqsMessage) -> dict:
    """The message as a boto3 user sends it, from the same description."""
    entry = {"Id": "0", "MessageBody": described.body}
    attributes = {}
    for name, value in described.attributes.items():
        if isinstance(value, Attribute):
            kind, raw = value.data_type, value.value
        elif isinstance(value, bool) or not isinstance(value, (str, bytes, int, float)):
            continue
        elif isinstance(value, str):
            kind, raw = "String", value
        elif isinstance(value, bytes):
            kind, raw = "Binary", value
        else:
            kind, raw = "Number", str(value)
        key = "BinaryValue" if kind.startswith("Binary") else "StringValue"
        attributes[name] = {"DataType": kind, key: raw}
    if attributes:
        entry["MessageAttributes"] = attributes
    if described.group_id is not None:
        entry["MessageGroupId"] = described.group_id
    if described.deduplication_id is not None:
        entry["MessageDeduplicationId"] = described.deduplication_id
    elif described.group_id is not None:
        entry["MessageDeduplicationId"] = "computed-by-the-sink"
    if described.delay_seconds is not None:
        entry["DelaySeconds"] = described.delay_seconds
    return entry


def localstack_verdict(client, queue: str, described: SqsMessage):
    try:
        answer = client.send_message_batch(QueueUrl=queue, Entries=[entry_of(described)])
    except ClientError as e:
        return False, e.response["Error"]["Code"]
    except (ParamValidationError, ValueError, TypeError, UnicodeError) as e:  # botocore refuses
        return False, f"client: {type(e).__name__}"
    failed = answer.get("Failed", [])
    return (False, failed[0]["Code"]) if failed else (True, None)


# Where LocalStack accepts what SQS refuses: the sink keeps SQS's documented rule (listed in
# docs/delivery.md, "LocalStack is laxer"). Our reason's words -> the rule in SQS's API docs.
LOCALSTACK_LAXER = {
    "attribute name": "MessageAttributeValue: a name can't start with AWS. or Amazon., nor "
                      "hold '..' or start/end with '.'; letters, digits, '_', '-', '.' only",
    "message attributes, SQS allows at most 10": "SendMessage: up to 10 message attributes",
    "delay_seconds must be an integer in 0..900": "SendMessage DelaySeconds: 0 to 900",
    "delay_seconds is not allowed on a FIFO queue": "SendMessage DelaySeconds: FIFO queues "
                                                    "take a delay per queue only",
    "is not a number SQS accepts": "MessageAttributeValue Number: up to 38 digits, "
                                   "10^-128 to 10^+126",
    "a Binary value must be non-empty": "MessageAttributeValue: values must not be empty",
    "value must be a non-empty str": "MessageAttributeValue: values must not be empty",
    "must be String, Number or Binary, optionally with a '.label' suffix":
        "MessageAttributeValue DataType: String, Number, Binary, with an optional custom "
        "label of letters, digits, '_', '-', '.'",
}


# Where LocalStack refuses what SQS's documentation allows: the sink sends it (SQS takes it).
LOCALSTACK_STRICTER = {
    "an attribute name of 256 characters": (
        lambda m: any(len(name) == 256 for name in m.attributes),
        "MessageAttributeValue: a name can be up to 256 characters long"),
}


@pytest.mark.parametrize("fifo", [False, True], ids=["standard", "fifo"])
def test_the_sinks_verdict_before_sending_is_what_sqs_answers(localstack, fifo):
    compare_verdicts(localstack, fifo, CASES, SEED)


@pytest.mark.soak
@pytest.mark.timeout(2 * 3600)
@pytest.mark.parametrize("fifo", [False, True], ids=["standard", "fifo"])
def test_soak_ten_thousand_verdicts_are_what_sqs_answers(localstack, fifo):
    # Another seed than make test's: the soak's cases are new ones.
    compare_verdicts(localstack, fifo, SOAK_CASES, SEED + 1_000)


def compare_verdicts(localstack, fifo: bool, count: int, seed: int) -> None:
    attributes = {"MaximumMessageSize": str(LIMIT)}
    if fifo:
        attributes.update(FifoQueue="true", ContentBasedDeduplication="false")
    queue = create_queue(localstack.endpoint, "fuzz", **attributes)
    client = sqs_client(localstack.endpoint)
    rng = random.Random(seed + fifo)
    disagreements, laxer, stricter, verdicts = [], [], [], {True: 0, False: 0}
    for case in range(count):
        described = message(rng, fifo)
        ours, reason = our_verdict(described, fifo)
        theirs, code = localstack_verdict(client, queue, described)
        verdicts[ours] += 1
        if ours == theirs:
            continue
        if not ours and theirs and any(words in reason for words in LOCALSTACK_LAXER):
            laxer.append(next(words for words in LOCALSTACK_LAXER if words in reason))
            continue
        if ours and not theirs and any(test(described)
                                       for test, _ in LOCALSTACK_STRICTER.values()):
            stricter.append(next(case for case, (test, _) in LOCALSTACK_STRICTER.items()
                                 if test(described)))
            continue
        disagreements.append(f"case {case}: we {'accept' if ours else 'reject: ' + reason}, "
                             f"LocalStack {'accepts' if theirs else 'rejects: ' + code}; "
                             f"{described!r}"[:600])
    print(f"{count} cases, seed {seed + fifo} ({'FIFO' if fifo else 'standard'}): "
          f"{verdicts[True]} accepted, "
          f"{verdicts[False]} rejected by the sink; {len(laxer)} of those LocalStack accepts, "
          f"against SQS's documented rules: {dict(collections.Counter(laxer))}; LocalStack "
          f"refuses what SQS allows: {dict(collections.Counter(stricter))}")
    assert verdicts[True] > count // 10 and verdicts[False] > count // 10  # both kinds drawn
    assert not disagreements, "\n".join(disagreements[:20])


class Cases:
    """The message function of the end-to-end sample: element i is the i-th generated case."""

    def __init__(self, cases):
        self.cases = cases

    def __call__(self, element):
        return self.cases[int(element)]


def end_to_end_sample(count: int):
    """Generated standard-queue cases the sink accepts and ones whose body it refuses (with
    the reason it gives), in one order; left out: delays (a 900 s delay would hold the read
    back), what LocalStack refuses though SQS takes it, and messages the sink refuses as a
    job's bug (MessageError fails the job; test_messages.py covers that)."""
    rng = random.Random(SEED + 2)
    cases, reasons = [], []
    while reasons.count(None) < count or len(reasons) - reasons.count(None) < count // 4:
        described = message(rng, False)
        if described.delay_seconds or any(test(described)
                                          for test, _ in LOCALSTACK_STRICTER.values()):
            continue
        try:
            MessageFactory(False, lambda e: described)(None, 1)
        except MessageError:
            continue
        accepted, reason = our_verdict(described, False)
        cases.append(described)
        reasons.append(None if accepted else reason)
    return cases, reasons


def as_received(attributes: dict) -> dict:
    return {name: (value["DataType"], value.get("StringValue", value.get("BinaryValue")))
            for name, value in attributes.items()}


@pytest.mark.parametrize("backend", ["java", "python"])
def test_a_sample_of_the_cases_goes_through_the_sink_byte_for_byte_or_to_the_dead_letters(
        localstack, backend):
    from tests.support.flink import run_job, sink_builder

    cases, reasons = end_to_end_sample(int(os.environ.get("FUZZ_SINK_CASES", 40)))
    queue = create_queue(localstack.endpoint, "fuzz-e2e", MaximumMessageSize=str(LIMIT))
    dead_letters = create_queue(localstack.endpoint, "fuzz-dlq", MaximumMessageSize=str(LIMIT))
    run_job([str(i) for i in range(len(cases))], sink_builder(queue, localstack.endpoint, backend)
            .set_message_builder(Cases(cases)).set_max_record_size_in_bytes(LIMIT)
            .set_rejected_record_policy("dead_letter").set_dead_letter_queue_url(dead_letters)
            .build(), parallelism=1)

    client = sqs_client(localstack.endpoint)

    def read_all(url, expected):
        messages = []
        while len(messages) < expected:
            got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=5,
                                         MessageAttributeNames=["All"]).get("Messages", [])
            assert got, f"{len(messages)} of {expected} messages in {url}"
            messages += got
            client.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
        return messages

    accepted = [case for case, reason in zip(cases, reasons) if reason is None]
    delivered = read_all(queue, len(accepted))
    expected = sorted((entry_of(c)["MessageBody"], sorted(as_received(
        entry_of(c).get("MessageAttributes", {})).items())) for c in accepted)
    got = sorted((m["Body"], sorted(as_received(m.get("MessageAttributes", {})).items()))
                 for m in delivered)
    assert got == expected  # bodies and attributes as generated, each once

    refused = {str(i + 1): reason for i, reason in enumerate(reasons) if reason is not None}
    copies = read_all(dead_letters, len(refused))
    named = {m["MessageAttributes"]["pyflink-sqs.position"]["StringValue"]:
             m["MessageAttributes"]["pyflink-sqs.reason"]["StringValue"] for m in copies}
    assert named == refused  # each refused case, at its position, with the sink's reason
    print(f"\n{backend}: {len(accepted)} generated messages delivered as generated, "
          f"{len(refused)} refused ones in the dead-letter queue with their reasons "
          f"{dict(collections.Counter(refused.values()))}")
