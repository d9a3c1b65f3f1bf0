"""Failures of a SendMessageBatch call without an answer from SQS: the Python backend names the
kind of each of its exceptions, and classifies it as tests/fixtures/call_failure_cases.json says
(CallFailureCasesTest holds the Java backend's exceptions to the same cases)."""
import json
import os
import socket
import ssl

import pytest
from botocore.exceptions import (ClientError, ConnectionClosedError, ConnectTimeoutError,
                                 CredentialRetrievalError, EndpointConnectionError,
                                 MetadataRetrievalError, NoCredentialsError,
                                 PartialCredentialsError, ReadTimeoutError, SSLError)

from pyflink_sqs.python_backend.sender import call_failure_kind, _classify_call_error
from pyflink_sqs.python_backend.sqs_http import UnreadableAnswerError

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures",
                       "call_failure_cases.json")
with open(FIXTURE, encoding="ascii") as f:
    CASES = json.load(f)["cases"]
URL = "https://sqs.us-east-1.amazonaws.com/"


def raised(error: Exception, cause: BaseException) -> Exception:
    """error as raised while handling cause, as botocore and sqs_http.py raise them."""
    try:
        try:
            raise cause
        except BaseException:  # noqa: BLE001 -- re-raised as error, with cause as its context
            raise error
    except Exception as e:  # noqa: BLE001
        return e


def sts_error(status: int, code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "from STS"},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, "AssumeRole")


# Exceptions the Python backend meets, by the kind it must name.
EXAMPLES = {
    "connection_refused": [
        raised(EndpointConnectionError(endpoint_url=URL), ConnectionRefusedError(111, "refused")),
        ConnectionRefusedError(111, "Connection refused")],
    "connection_reset": [
        ConnectionClosedError(endpoint_url=URL), ConnectionResetError(104, "reset by peer"),
        UnreadableAnswerError(detail="text/html, 52 bytes"),
        # closed or reset in the TLS handshake: no certificate to fix
        raised(SSLError(endpoint_url=URL, error="EOF occurred in violation of protocol"),
               ssl.SSLEOFError(8, "EOF occurred in violation of protocol")),
        raised(SSLError(endpoint_url=URL, error="reset"), ConnectionResetError(104, "reset"))],
    "timeout": [ReadTimeoutError(endpoint_url=URL), ConnectTimeoutError(endpoint_url=URL),
                TimeoutError("timed out")],
    "tls_not_trusted": [SSLError(endpoint_url=URL, error="CERTIFICATE_VERIFY_FAILED")],
    "unknown_host": [raised(EndpointConnectionError(endpoint_url=URL),
                            socket.gaierror(-2, "Name or service not known"))],
    "credentials_missing": [
        NoCredentialsError(), PartialCredentialsError(provider="env", cred_var="secret_key"),
        sts_error(403, "AccessDenied"), sts_error(400, "InvalidClientTokenId"),
        CredentialRetrievalError(provider="custom-process", error_msg="exited with 1")],
    "credentials_unavailable": [
        sts_error(500, "InternalFailure"), sts_error(400, "Throttling"),
        raised(CredentialRetrievalError(provider="container-role", error_msg="no answer"),
               MetadataRetrievalError(error_msg="connection refused"))],
    "unexpected": [ValueError("not a failure of a call"), KeyError("Entries")],
}


def test_every_kind_of_the_shared_table_has_examples_here_and_no_other_kind_does():
    assert sorted(EXAMPLES) == sorted(case["kind"] for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["kind"] for case in CASES])
def test_each_exception_is_named_by_its_kind_and_classified_as_the_shared_table_says(case):
    for error in EXAMPLES[case["kind"]]:
        assert call_failure_kind(error) == case["kind"], repr(error)
        rule, description = _classify_call_error(error)
        assert (rule.action.value, rule.hint) == (case["action"], case["hint"]), repr(error)
        assert description


def test_missing_credentials_fail_the_job_and_a_source_that_did_not_answer_is_retried():
    assert _classify_call_error(NoCredentialsError())[0].action.value == "FATAL"
    assert _classify_call_error(sts_error(503, "ServiceUnavailable"))[0].action.value == "RETRY"


def test_sqs_s_own_answer_is_classified_by_its_code_not_as_a_credentials_source():
    answer = ClientError({"Error": {"Code": "AccessDenied"},
                          "ResponseMetadata": {"HTTPStatusCode": 403}}, "SendMessageBatch")
    rule, description = _classify_call_error(answer)
    assert "sqs:SendMessage" in rule.hint and description.startswith("SQS answered HTTP 403")


def test_an_exception_chain_that_loops_is_classified_not_walked_forever():
    # botocore's SSLError raised `from` itself (as the HTTP client once did on a retried
    # connection): the walk for an SSLEOFError among its causes must end.
    looped = SSLError(endpoint_url=URL, error="CERTIFICATE_VERIFY_FAILED")
    looped.__cause__ = looped
    assert call_failure_kind(looped) == "tls_not_trusted"
    first, second = ConnectionClosedError(endpoint_url=URL), SSLError(endpoint_url=URL, error="x")
    first.__context__, second.__cause__ = second, first
    assert call_failure_kind(second) == "tls_not_trusted"
