"""The MD5 digests SQS returns, against tests/fixtures/md5_vectors.json (published values and
LocalStack's answers; the Java bridge is tested against the same file)."""
import base64
import json
import os

import pytest

from pyflink_sqs.message_md5 import attributes_md5, body_md5

VECTORS = os.path.join(os.path.dirname(__file__), "..", "fixtures", "md5_vectors.json")


def vectors(kind: str):
    with open(VECTORS, encoding="utf-8") as f:
        return json.load(f)[kind]


def as_attributes(wire: dict):
    """SQS's JSON form (BinaryValue base64) -> name -> (data type, str or bytes)."""
    return {name: (value["DataType"], base64.b64decode(value["BinaryValue"])
                   if "BinaryValue" in value else value["StringValue"])
            for name, value in wire.items()}


@pytest.mark.parametrize("case", vectors("bodies"), ids=lambda c: c["source"][:40])
def test_body_digest_matches_the_vector(case):
    assert body_md5(case["body"]) == case["md5"]


@pytest.mark.parametrize("case", vectors("attributes"), ids=lambda c: c["source"][:40])
def test_attributes_digest_matches_the_vector(case):
    assert attributes_md5(as_attributes(case["attributes"])) == case["md5"]


def test_the_attributes_digest_does_not_depend_on_the_order_given():
    forward = {"a": ("String", "1"), "b": ("Number", "2")}
    assert attributes_md5(forward) == attributes_md5(dict(reversed(list(forward.items()))))


def test_a_binary_value_and_the_same_text_differ_by_their_transport_byte():
    assert attributes_md5({"a": ("Binary", b"x")}) != attributes_md5({"a": ("Binary", "x")})
