"""What SQS accepts as a body, checked before sending (Java is checked against the same cases
in tests/fixtures/body_rules.json)."""
import pytest

from pyflink_sqs.message_rules import (EMPTY_BODY, INVALID_CHARACTER, TOO_LARGE, check_body)

LIMIT = 100
CASES = [
    ("plain text", None),
    ("tab\tnewline\ncr\r", None),
    ("edges \u0020 \ud7ff \ue000 \ufffd \U00010000 \U0010ffff", None),
    ("", EMPTY_BODY),
    ("nul \x00 here", INVALID_CHARACTER),
    ("\x01", INVALID_CHARACTER),
    ("bell \x07", INVALID_CHARACTER),
    ("del is fine \x7f", None),
    ("non-character \ufffe", INVALID_CHARACTER),
    ("non-character \uffff", INVALID_CHARACTER),
    ("😀 then \x0b vertical tab", INVALID_CHARACTER),
    ("x" * (LIMIT + 1), TOO_LARGE),
]


@pytest.mark.parametrize("body, reason", CASES)
def test_bodies_sqs_refuses_are_rejected_with_their_reason(body, reason):
    python = check_body(body, len(body.encode("utf-8")), LIMIT)
    assert (None if python is None else python.reason) == reason


def test_a_forbidden_character_is_named_with_its_position_not_the_body():
    rejection = check_body("😀 then \x0b", 12, LIMIT)
    assert rejection.detail.startswith("it contains U+000B at character 7, which SQS does not")
    assert "😀" not in rejection.detail
