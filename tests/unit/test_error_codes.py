"""The classification table (Java gets the same answers from tests/fixtures/error_cases.json)."""
import pytest

from pyflink_sqs.error_codes import Action, classify_entry, classify_request

@pytest.mark.parametrize("status, code, action", [
    (400, "ThrottlingException", Action.THROTTLE), (400, "RequestThrottled", Action.THROTTLE),
    (400, "KMS.ThrottlingException", Action.THROTTLE), (429, "", Action.THROTTLE),
    (503, "", Action.THROTTLE), (500, "", Action.RETRY), (0, "", Action.RETRY),
    (400, "QueueDoesNotExist", Action.FATAL), (403, "AccessDenied", Action.FATAL),
    (403, "InvalidClientTokenId", Action.FATAL), (403, "SignatureDoesNotMatch", Action.FATAL),
    (400, "ExpiredToken", Action.FATAL), (400, "SomethingNew", Action.FATAL),
])
def test_whole_call_failures_are_retried_only_when_transient(status, code, action):
    assert classify_request(status, code).action is action


def test_fatal_answers_say_what_to_check():
    assert "queue exists" in classify_request(400, "QueueDoesNotExist").hint
    assert "credentials" in classify_request(403, "InvalidClientTokenId").hint
    assert "sqs:SendMessage" in classify_request(403, "AccessDenied").hint


@pytest.mark.parametrize("code, sender_fault, action", [
    # LocalStack answers forbidden characters with SenderFault false: the code decides.
    ("InvalidMessageContents", False, Action.REJECT),
    ("MessageTooLong", True, Action.REJECT),
    ("RequestThrottled", True, Action.THROTTLE),
    ("InternalError", False, Action.RETRY),
    ("SomethingNew", True, Action.REJECT),
    ("SomethingNew", False, Action.RETRY),
])
def test_entry_failures_are_classified_by_code_before_sender_fault(code, sender_fault, action):
    assert classify_entry(code, sender_fault).action is action
