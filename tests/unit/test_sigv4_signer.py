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
    # (endpoint with optional path and query, region, service, body, session token)
    ("https://sqs.us-east-1.amazonaws.com", "us-east-1", "sqs",
     b'{"QueueUrl":"q","Entries":[]}', None),
    ("https://sqs.eu-west-1.amazonaws.com", "eu-west-1", "sqs",
     "{\"b\":\"héllo ✓ 😀\"}".encode(), None),
    ("http://127.0.0.1:4566", "us-east-1", "sqs", b"{}", "FQoGZXIvYXdzEXAMPLETOKEN/+=="),
    ("https://sqs.cn-north-1.amazonaws.com.cn", "cn-north-1", "sqs", b"", None),
    ("http://localhost:9324/some/prefix", "ap-south-1", "sqs", b'{"x":"\\n\\t"}', "tok"),
    ("http://127.0.0.1:4566/queue/us-east-1/000000000000/orders", "us-east-1", "sqs",
     b'{"Entries":[{"Id":"0","MessageBody":"a"}]}', None),
    ("http://localhost:4566/000000000000/orders.fifo", "eu-central-1", "sqs", b"{}", "t" * 400),
    ("https://sqs.us-gov-west-1.amazonaws.com", "us-gov-west-1", "sqs", b"x" * 70_000, None),
    ("https://sqs.ap-southeast-2.amazonaws.com:8443", "ap-southeast-2", "sqs", b"{}", None),
    ("https://sqs.us-east-1.amazonaws.com/?Action=ListQueues&Version=2012-11-05", "us-east-1",
     "sqs", b"", None),
    ("https://sqs.us-east-1.amazonaws.com/?b=2&a=1&a=0", "us-east-1", "sqs", b"", "tok"),
    ("https://sqs.us-east-1.amazonaws.com/?key=va%20lue&x=%2F%3D&tilde=~-_.", "us-east-1",
     "sqs", b"", None),
    ("https://sqs.us-east-1.amazonaws.com/?empty=&flag", "us-east-1", "sqs", b"", None),
    ("https://sqs.us-east-1.amazonaws.com/?unicode=%C3%A9%E2%9C%93", "us-east-1", "sqs", b"{}",
     None),
    ("https://sts.us-east-1.amazonaws.com", "us-east-1", "sts",
     b"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr", None),
    ("https://sts.eu-west-1.amazonaws.com", "eu-west-1", "sts",
     b"Action=AssumeRole&Version=2011-06-15", "session-token/+="),
    ("http://127.0.0.1:4566", "us-east-1", "sts", b"Action=GetCallerIdentity", None),
    ("http://localhost:4566/path%20with%20space", "us-west-2", "sqs", b"{}", None),
    ("http://localhost:4566/a/b/../c", "us-west-2", "sqs", b"{}", None),
    ("https://sqs.me-south-1.amazonaws.com/123456789012/q-\u00e9", "me-south-1", "sqs",
     b"{}", None),
    ("https://sqs.sa-east-1.amazonaws.com", "sa-east-1", "sqs",
     "[" .encode() + ",".join(['{"Id":"%d","MessageBody":"m%d"}' % (i, i)
                               for i in range(10)]).encode() + b"]", None),
]


def botocore_authorization(endpoint, region, service, body, token, access_key, secret):
    url = endpoint if "/" in endpoint[8:] else endpoint + "/"
    request = AWSRequest(method="POST", url=url, data=body, headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "AmazonSQS.SendMessageBatch"})
    with mock.patch("botocore.auth.get_current_datetime", return_value=FIXED.replace(
            tzinfo=None)):
        SigV4Auth(Credentials(access_key, secret, token), service, region).add_auth(request)
    return request.headers["Authorization"]


def java_authorization(endpoint, region, service, body, token, access_key, secret):
    from urllib.parse import urlsplit
    parts = urlsplit(endpoint if "/" in endpoint[8:] else endpoint + "/")
    signer_class = java_class("io.github.pyflinksqs.client.SigV4Signer")
    signer = signer_class(region, service)
    headers = jvm().java.util.LinkedHashMap()
    headers.put("Content-Type", "application/x-amz-json-1.0")
    headers.put("Host", parts.netloc)
    headers.put("X-Amz-Target", "AmazonSQS.SendMessageBatch")
    credentials = java_class("io.github.pyflinksqs.auth.AwsCredentials")(access_key, secret, token)
    instant = jvm().java.time.Instant.ofEpochSecond(int(FIXED.timestamp()))
    signer.sign("POST", signer_class.canonicalPath(parts.path),
                signer_class.canonicalQuery(parts.query), headers, bytearray(body), credentials,
                instant)
    return headers.get("Authorization")


def test_there_are_at_least_twenty_varied_cases():
    assert len(CASES) >= 20
    assert {c[2] for c in CASES} == {"sqs", "sts"} and any("?" in c[0] for c in CASES)


@pytest.mark.parametrize("endpoint, region, service, body, token", CASES)
def test_authorization_equals_botocore(endpoint, region, service, body, token):
    args = (endpoint, region, service, body, token, "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    assert java_authorization(*args) == botocore_authorization(*args)


def test_a_different_secret_gives_a_different_signature():
    args = ("https://sqs.us-east-1.amazonaws.com", "us-east-1", "sqs", b"{}", None, "AKID")
    assert java_authorization(*args, "secret-a") != java_authorization(*args, "secret-b")
