"""The shared masking cases (tests/fixtures/masking_cases.json): the Python sink masks each
client property's value where it shows properties as the case says, and as the case list in
tests/fixtures/generate.py says by hand; MaskingCasesTest holds AwsClientProperties.masked (the
Java sink's log line) to the same cases."""
import json
import os

import pytest

from pyflink_sqs.client_properties import masked
from tests.fixtures import generate

with open(os.path.join(generate.HERE, "masking_cases.json"), encoding="ascii") as f:
    CASES = json.load(f)["cases"]


def test_every_key_written_by_hand_is_in_the_fixture():
    assert [c["key"] for c in CASES] == [key for key, _ in generate.MASKING_CASES]


def test_the_python_sink_shows_every_property_as_the_case_says():
    assert masked({c["key"]: c["value"] for c in CASES}) == {c["key"]: c["shown"] for c in CASES}


@pytest.mark.parametrize("key, secret", generate.MASKING_CASES)
def test_a_secret_is_shown_as_stars_and_nothing_else_is_changed(key, secret):
    case, = [c for c in CASES if c["key"] == key]
    assert case["shown"] == ("****" if secret else case["value"])
