"""One classification table for both backends: Python and Java agree on every case."""
import pytest

from pyflink_sqs.error_codes import (ENTRY_RULES, REQUEST_RULES, Action, classify_entry,
                                     classify_request)
from tests.support.java import java_class

REQUEST_CASES = (
    [(400, code, "") for code in REQUEST_RULES]
    + [(400, "", code) for code in REQUEST_RULES]
    + [(status, "SomethingNew", "") for status in (0, 400, 403, 404, 413, 429, 500, 502, 503)]
)
ENTRY_CASES = ([(code, fault) for code in ENTRY_RULES for fault in (True, False)]
               + [("SomethingNew", True), ("SomethingNew", False)])


def java_classifier():
    return java_class("io.github.pyflinksqs.errors.ErrorClassifier")


def test_java_classifies_every_request_case_as_python_does():
    classifier = java_classifier()
    for status, code, query_code in REQUEST_CASES:
        python = classify_request(status, code, query_code)
        java = classifier.classifyRequest(status, code, query_code)
        assert (java.action().name(), java.hint()) == (python.action.value, python.hint), \
            (status, code, query_code)


def test_java_classifies_every_entry_case_as_python_does():
    classifier = java_classifier()
    for code, sender_fault in ENTRY_CASES:
        python = classify_entry(code, sender_fault)
        java = classifier.classifyEntry(code, sender_fault)
        assert (java.action().name(), java.hint()) == (python.action.value, python.hint), \
            (code, sender_fault)


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
