"""The shared endpoint cases (tests/fixtures/endpoint_cases.json): the Python sink resolves the
region and endpoint of each case (aws.region, aws.endpoint, the queue URL) as the case says, and
as the case list in tests/fixtures/generate.py says by hand; EndpointCasesTest holds
AwsClientProperties and QueueUrls to the same cases."""
import json
import os

import pytest

from tests.fixtures import generate

with open(os.path.join(generate.HERE, "endpoint_cases.json"), encoding="ascii") as f:
    CASES = json.load(f)["cases"]


def _name(case):
    return f"region={case['region']!r} endpoint={case['endpoint']!r} {case['queue_url']}"


def test_every_case_written_by_hand_is_in_the_fixture():
    assert [(c["region"], c["endpoint"], c["queue_url"]) for c in CASES] == [
        hand[:3] for hand in generate.ENDPOINT_CASES]


@pytest.mark.parametrize("case", CASES, ids=[_name(c) for c in CASES])
def test_the_python_sink_resolves_the_case_as_it_says(case):
    assert generate.resolve_endpoint_case(case) == {
        "used_region": case["used_region"], "used_endpoint": case["used_endpoint"],
        "error": case["error"]}


@pytest.mark.parametrize("hand", generate.ENDPOINT_CASES,
                         ids=[_name(dict(zip(("region", "endpoint", "queue_url"), h)))
                              for h in generate.ENDPOINT_CASES])
def test_the_case_is_what_was_meant(hand):
    region, endpoint, url, expected = hand
    case, = [c for c in CASES if (c["region"], c["endpoint"], c["queue_url"]) == hand[:3]]
    if isinstance(expected, str):
        assert case["used_endpoint"] is None and expected[len("error: "):] in case["error"]
    else:
        assert case["error"] is None
        assert (case["used_region"], case["used_endpoint"]) == expected
