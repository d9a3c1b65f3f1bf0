"""The Python backend's SigV4 signer against botocore's signatures of the same requests
(tests/fixtures/sigv4_vectors.json, written by botocore's SigV4Auth; the Java signer is held to
the same cases): the signer is hand-written for speed, so it must be proven equal."""
import base64
import datetime
import json
import os
from urllib.parse import urlsplit

import pytest
from botocore.credentials import Credentials

from pyflink_sqs.python_backend.sigv4 import SigV4Signer

with open(os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures",
                       "sigv4_vectors.json"), encoding="utf-8") as f:
    VECTORS = json.load(f)
# The signer signs what the client sends: POST without a query string.
CASES = [case for case in VECTORS["cases"] if not urlsplit(case["url"]).query]
NOW = datetime.datetime.fromtimestamp(VECTORS["epoch_seconds"], datetime.timezone.utc)


def body_of(case) -> bytes:
    if "body_repeat" in case:
        return case["body_repeat"].encode("ascii") * case["body_length"]
    return base64.b64decode(case["body_base64"])


def host_of(url: str) -> str:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}[parts.scheme]
    return parts.hostname if parts.port in (None, default) else f"{parts.hostname}:{parts.port}"


def test_the_cases_cover_tokens_paths_ports_and_services():
    assert len(CASES) >= 15
    assert {case["service"] for case in CASES} == {"sqs", "sts"}
    assert any(case["session_token"] for case in CASES)
    assert any(urlsplit(case["url"]).port for case in CASES)
    assert any(".." in case["url"] or "%20" in case["url"] for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["url"] for case in CASES])
def test_every_call_signs_as_botocore_does(case):
    credentials = Credentials(VECTORS["access_key"], VECTORS["secret_key"],
                              case["session_token"]).get_frozen_credentials()
    signer = SigV4Signer(case["region"], case["service"])
    for _ in range(2):  # the second time with the cached signing key
        headers = signer.signed_headers(credentials, urlsplit(case["url"]).path,
                                        host_of(case["url"]), VECTORS["headers"],
                                        body_of(case), NOW)
        assert headers["Authorization"] == case["authorization"]
    assert headers["X-Amz-Date"] == NOW.strftime("%Y%m%dT%H%M%SZ")
    assert headers.get("X-Amz-Security-Token") == case["session_token"]


def test_a_new_day_or_secret_derives_a_new_key():
    signer = SigV4Signer("us-east-1")
    old = Credentials("AKID", "secret-1").get_frozen_credentials()
    new = Credentials("AKID", "secret-2").get_frozen_credentials()
    sign = (lambda credentials, now: signer.signed_headers(
        credentials, "/", "sqs.us-east-1.amazonaws.com", VECTORS["headers"], b"{}",
        now)["Authorization"])
    first = sign(old, NOW)
    assert sign(old, NOW + datetime.timedelta(days=1)) != first
    assert sign(new, NOW) != first
    assert sign(old, NOW) == first
