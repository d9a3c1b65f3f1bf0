"""The shared SendMessageBatch answer cases (tests/fixtures/answer_cases.json): the Python
sender sorts each answer's entries as the case says, and as the case list in
tests/fixtures/generate.py says by hand; AnswerCasesTest holds the Java backend's AnswerSorter to
the same cases."""
import json
import os

import pytest

from tests.fixtures import generate

with open(os.path.join(generate.HERE, "answer_cases.json"), encoding="ascii") as f:
    FIXTURE = json.load(f)
CASES = FIXTURE["cases"]


def test_every_case_written_by_hand_is_in_the_fixture():
    assert [c["what"] for c in CASES] == [c[0] for c in generate.ANSWER_CASES]
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c["what"] for c in CASES])
def test_the_python_sender_sorts_the_answer_as_the_case_says(case):
    assert generate.sort_answer(case) == {"fates": case["fates"], "fatal": case["fatal"]}


@pytest.mark.parametrize("hand", generate.ANSWER_CASES, ids=[c[0] for c in generate.ANSWER_CASES])
def test_the_case_is_what_was_meant(hand):
    """The fixture's answers are the Python sender's: each must also be what its case, written
    by hand, says the sink must do (so a regenerated fixture cannot carry a bug along)."""
    what, _, _, _, expected = hand
    case, = [c for c in CASES if c["what"] == what]
    if isinstance(expected, str):
        assert case["fates"] is None
        assert expected[len("fatal: "):] in case["fatal"]
    else:
        assert case["fatal"] is None and case["fates"] == expected
