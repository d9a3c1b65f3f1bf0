"""The shared dead-letter cases (tests/fixtures/dead_letter_cases.json): the Python backend
copies each rejected record for the dead-letter queue as the case says, and as the case list in
tests/fixtures/generate.py says by hand; DeadLetterCasesTest holds the Java backend's DeadLetters
to the same cases."""
import json
import os

import pytest

from pyflink_sqs.python_backend import dead_letters
from tests.fixtures import generate

with open(os.path.join(generate.HERE, "dead_letter_cases.json"), encoding="ascii") as f:
    FIXTURE = json.load(f)
CASES = FIXTURE["cases"]
HAND = {c[0]: c[-1] for c in generate.DEAD_LETTER_CASES}
ATTRIBUTE = {"encoding": dead_letters.BODY_ENCODING, "truncated_from": dead_letters.TRUNCATED_FROM,
             "detail": dead_letters.DETAIL, "position": dead_letters.POSITION}


def test_every_case_written_by_hand_is_in_the_fixture():
    assert [c["what"] for c in CASES] == list(HAND)


@pytest.mark.parametrize("case", CASES, ids=[c["what"] for c in CASES])
def test_the_python_backend_copies_the_record_as_the_case_says(case):
    assert generate.dead_letter_copy(case) == {"copy": case["copy"], "cannot": case["cannot"]}


@pytest.mark.parametrize("case", CASES, ids=[c["what"] for c in CASES])
def test_the_copy_is_what_was_meant(case):
    """Each fixture answer is also what its case, written by hand, says the copy must be."""
    expected = HAND[case["what"]]
    if isinstance(expected, str):
        assert case["copy"] is None and expected[len("cannot: "):] in case["cannot"]
        return
    copy = case["copy"]
    attributes = {a["name"]: a["string"] for a in copy["attributes"]}
    assert copy["dead_letter"] and copy["position"] == case["position"]
    assert copy["size"] <= case["max_record_size_in_bytes"]
    assert attributes[dead_letters.REASON] == case["reason"]
    assert attributes[dead_letters.SOURCE_QUEUE] == FIXTURE["source_queue_url"]
    for key, value in expected.items():
        if key == "body":
            assert copy["body"] == value
        else:
            assert attributes.get(ATTRIBUTE[key]) == value, key
