"""The Java SigV4 signer gives the same Authorization header as botocore's SigV4Auth."""
import datetime
from unittest import mock

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.support.java import java_class, jvm

FIXED = datetime.datetime(2026, 11, 25, 12, 34, 56, tzinfo=datetime.timezone.utc)

CASES = [
    # (endpoint, region, body, session token)
    ("https://sqs.us-east-1.amazonaws.com", "us-east-1", b'{"QueueUrl":"q","Entries":[]}', None),
    ("https://sqs.eu-west-1.amazonaws.com", "eu-west-1", "{\"b\":\"héllo ✓ 😀\"}".encode(),
     None),
    ("http://127.0.0.1:4566", "us-east-1", b"{}", "FQoGZXIvYXdzEXAMPLETOKEN/+=="),
    ("https://sqs.cn-north-1.amazonaws.com.cn", "cn-north-1", b"", None),
    ("http://localhost:9324/some/prefix", "ap-south-1", b'{"x":"\\n\\t"}', "tok"),
]


def botocore_authorization(endpoint, region, body, token, access_key, secret):
    request = AWSRequest(method="POST", url=endpoint + ("" if "/" in endpoint[8:] else "/"),
                         data=body, headers={
                             "Content-Type": "application/x-amz-json-1.0",
                             "X-Amz-Target": "AmazonSQS.SendMessageBatch"})
    with mock.patch("botocore.auth.get_current_datetime", return_value=FIXED.replace(
            tzinfo=None)):
        SigV4Auth(Credentials(access_key, secret, token), "sqs", region).add_auth(request)
    return request.headers["Authorization"]


def java_authorization(endpoint, region, body, token, access_key, secret):
    from urllib.parse import urlsplit
    parts = urlsplit(endpoint)
    signer = java_class("io.github.pyflinksqs.client.SigV4Signer")(region, "sqs")
    headers = jvm().java.util.LinkedHashMap()
    headers.put("Content-Type", "application/x-amz-json-1.0")
    headers.put("Host", parts.netloc)
    headers.put("X-Amz-Target", "AmazonSQS.SendMessageBatch")
    credentials = java_class("io.github.pyflinksqs.auth.AwsCredentials")(access_key, secret, token)
    instant = jvm().java.time.Instant.ofEpochSecond(int(FIXED.timestamp()))
    path = java_class("io.github.pyflinksqs.client.SigV4Signer").canonicalPath(parts.path)
    signer.sign("POST", path, "", headers, bytearray(body), credentials, instant)
    return headers.get("Authorization")


@pytest.mark.parametrize("endpoint, region, body, token", CASES)
def test_authorization_equals_botocore(endpoint, region, body, token):
    args = (endpoint, region, body, token, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    assert java_authorization(*args) == botocore_authorization(*args)


def test_a_different_secret_gives_a_different_signature():
    args = ("https://sqs.us-east-1.amazonaws.com", "us-east-1", b"{}", None, "AKID")
    assert java_authorization(*args, "secret-a") != java_authorization(*args, "secret-b")
