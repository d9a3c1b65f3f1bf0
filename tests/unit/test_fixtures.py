"""The shared case lists (tests/fixtures/*.json) are what the Python side answers today: the
JUnit tests hold the Java side to the same answers, so both implement one behaviour."""
import pytest

from tests.fixtures import generate


@pytest.mark.parametrize("name", sorted(generate.FIXTURES))
def test_the_fixture_is_what_the_python_side_answers_today(name):
    with open(generate.os.path.join(generate.HERE, name), encoding="ascii") as f:
        written = f.read()
    assert written == generate.render(generate.FIXTURES[name]), (
        f"tests/fixtures/{name} is out of date: run python tests/fixtures/generate.py and check "
        f"that the Java side (make junit) still agrees")


def test_there_are_at_least_twenty_varied_signing_cases():
    cases = generate.SIGV4_CASES
    assert len(cases) >= 20
    assert {c[2] for c in cases} == {"sqs", "sts"} and any("?" in c[0] for c in cases)
