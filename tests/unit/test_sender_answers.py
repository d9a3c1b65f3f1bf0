"""What the sender makes of a SendMessageBatch answer: every entry sent must be accounted for
exactly once, and what SQS says it stored must be what was sent (its MD5 digests)."""
import asyncio

import pytest

from pyflink_sqs.message_md5 import attributes_md5, body_md5
from pyflink_sqs.python_backend.entries import Entry
from pyflink_sqs.python_backend.sender import Backoff, BatchSender, SinkFailure

QUEUE = "https://sqs.us-east-1.amazonaws.com/000000000000/q"


class ScriptedClient:
    """Answers the n-th call with answers[n](entries sent); records what was sent."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    async def send_message_batch(self, QueueUrl, Entries):  # noqa: N803 -- boto3's names
        self.calls.append(Entries)
        return self.answers[len(self.calls) - 1](Entries)


def stored(entry: dict, **changes) -> dict:
    """The Successful item SQS returns for an entry it stored, with its real digests."""
    item = {"Id": entry["Id"], "MessageId": "m-" + entry["Id"],
            "MD5OfMessageBody": body_md5(entry["MessageBody"])}
    if "MessageAttributes" in entry:
        item["MD5OfMessageAttributes"] = attributes_md5({
            name: (value["DataType"], value["StringValue"])
            for name, value in entry["MessageAttributes"].items()})
    item.update(changes)
    return {k: v for k, v in item.items() if v is not None}


def all_stored(entries):
    return {"Successful": [stored(e) for e in entries], "Failed": []}


def sender(client, warnings=None) -> BatchSender:
    warnings = warnings if warnings is not None else []
    return BatchSender(client, QUEUE, None, False, Backoff(base=0.001, cap=0.001),
                       lambda key, message: warnings.append((key, message)))


def send(batch_sender: BatchSender, entries, on_settled=None):
    return asyncio.run(batch_sender.send(entries, on_settled=on_settled))


def batch(count: int, attributes=None):
    return [Entry.of(f"body-{i}", 6, i + 1, attributes) for i in range(count)]


def test_an_entry_missing_from_both_lists_is_sent_again_never_assumed_sent():
    entries = batch(3)
    client = ScriptedClient(
        lambda sent: {"Successful": [stored(sent[0]), stored(sent[2])], "Failed": []},
        all_stored)
    warnings = []
    outcome = send(sender(client, warnings), entries)
    assert [e["MessageBody"] for e in client.calls[1]] == ["body-1"]
    assert sorted(e.position for e in outcome.delivered) == [1, 2, 3]
    assert outcome.retried_records == 1 and outcome.failed_attempts == 1
    assert "1 of the 3 entries" in warnings[0][1] and "retrying" in warnings[0][1]


def test_every_attempt_is_counted_as_sent_as_flinks_numrecordssend_counts_it():
    # 3 entries of 6 bytes, the second call re-sends one: 4 entries, 24 bytes handed to calls.
    client = ScriptedClient(
        lambda sent: {"Successful": [stored(sent[0]), stored(sent[2])], "Failed": []},
        all_stored)
    outcome = send(sender(client), batch(3))
    assert (outcome.attempted_records, outcome.attempted_bytes) == (4, 24)


def test_an_answer_with_neither_list_sends_everything_again():
    entries = batch(2)
    client = ScriptedClient(lambda sent: {}, all_stored)
    outcome = send(sender(client), entries)
    assert len(client.calls) == 2 and len(outcome.delivered) == 2


@pytest.mark.parametrize("answer, named", [
    (lambda sent: {"Successful": [stored(e) for e in sent] + [stored({**sent[0], "Id": "7"})]},
     "'7'"),
    (lambda sent: {"Successful": [stored(e) for e in sent] + [stored(sent[1])]}, "'1'"),
    (lambda sent: {"Successful": [stored(e) for e in sent],
                   "Failed": [{"Id": "0", "Code": "InternalError", "SenderFault": False}]},
     "'0'"),
    (lambda sent: {"Successful": [stored(e) for e in sent] + [{"MessageId": "m"}]}, "None"),
])
def test_an_id_not_sent_or_listed_twice_fails_the_job_naming_it(answer, named):
    with pytest.raises(SinkFailure) as error:
        send(sender(ScriptedClient(answer)), batch(2))
    text = str(error.value)
    assert named in text and QUEUE in text
    assert "body-" not in text  # never a body


def test_a_body_digest_that_does_not_match_is_sent_again():
    entries = batch(2)
    client = ScriptedClient(
        lambda sent: {"Successful": [stored(sent[0], MD5OfMessageBody="0" * 32),
                                     stored(sent[1])]},
        all_stored)
    warnings = []
    outcome = send(sender(client, warnings), entries)
    assert [e["MessageBody"] for e in client.calls[1]] == ["body-0"]
    assert len(outcome.delivered) == 2 and outcome.failed_attempts == 1
    assert "MD5OfMessageBody" in warnings[0][1] and "record 1" in warnings[0][1]


def test_a_digest_that_never_matches_fails_the_job_after_three_attempts_naming_the_record():
    entries = batch(2)
    wrong = lambda sent: {"Successful": [  # noqa: E731
        stored(e, MD5OfMessageBody="0" * 32) if e["MessageBody"] == "body-1" else stored(e)
        for e in sent]}
    client = ScriptedClient(wrong, wrong, wrong, wrong)
    with pytest.raises(SinkFailure) as error:
        send(sender(client), entries)
    assert len(client.calls) == 3
    text = str(error.value)
    assert "record 2" in text and "MD5OfMessageBody" in text and "3 attempts" in text
    assert "body-1" not in text


def test_an_attributes_digest_that_does_not_match_is_named():
    entries = batch(1, {"kind": ("String", "k")})
    wrong = lambda sent: {"Successful": [  # noqa: E731
        stored(sent[0], MD5OfMessageAttributes="f" * 32)]}
    with pytest.raises(SinkFailure) as error:
        send(sender(ScriptedClient(wrong, wrong, wrong)), entries)
    assert "MD5OfMessageAttributes" in str(error.value)
    assert "MD5OfMessageBody" not in str(error.value)


def test_answers_without_digests_are_accepted_as_some_emulators_send_them():
    entries = batch(2, {"kind": ("String", "k")})
    client = ScriptedClient(lambda sent: {"Successful": [
        stored(e, MD5OfMessageBody=None, MD5OfMessageAttributes=None) for e in sent]})
    outcome = send(sender(client), entries)
    assert len(outcome.delivered) == 2 and len(client.calls) == 1


def test_matching_digests_in_upper_case_are_accepted():
    client = ScriptedClient(lambda sent: {"Successful": [
        stored(e, MD5OfMessageBody=body_md5(e["MessageBody"]).upper()) for e in sent]})
    assert len(send(sender(client), batch(2)).delivered) == 2


def test_entries_delivered_while_others_are_retried_are_reported_before_the_backoff():
    entries = batch(3)
    settled_before_retry = []
    client = ScriptedClient(
        lambda sent: {"Successful": [stored(sent[0]), stored(sent[2])],
                      "Failed": [{"Id": sent[1]["Id"], "Code": "ThrottlingException",
                                  "SenderFault": False}]},
        lambda sent: (settled_before_retry.append(list(reported)), all_stored(sent))[1])
    reported = []
    outcome = send(sender(client), entries, on_settled=reported.extend)
    # The second call (the retry of body-1) found body-0 and body-2 already reported.
    assert [e.body for e in settled_before_retry[0]] == ["body-0", "body-2"]
    assert [e["MessageBody"] for e in client.calls[1]] == ["body-1"]
    assert sorted(e.position for e in outcome.delivered) == [1, 2, 3]
