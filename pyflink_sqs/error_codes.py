"""The one table of SQS (and S3) errors and what the sink does about each, for both backends.

Java reads the same table from a resource that java-bridge/generate_resources.py generates from this
module (see ErrorClassifier.java); tests/unit/test_error_codes.py runs the same cases against
both. Codes are matched by name: the JSON protocol's "__type" suffix, the query protocol code of
the x-amzn-query-error header, or an entry's "Code" in a SendMessageBatch answer. SQS reports
some permanent entry failures with SenderFault false (LocalStack: InvalidMessageContents), and
some transient ones as the sender's fault (throttling), so the code decides, not SenderFault.
"""
from dataclasses import dataclass
from enum import Enum
from typing import Dict, Optional


class Action(str, Enum):
    RETRY = "RETRY"        # transient: send again after a backoff
    THROTTLE = "THROTTLE"  # transient, and the service asks us to slow down
    FATAL = "FATAL"        # asking again changes nothing: fail the job, saying what to check
    REJECT = "REJECT"      # this record can never be sent: the rejected-record policy applies


@dataclass(frozen=True)
class Rule:
    action: Action
    hint: str = ""  # for FATAL: what the user should check


_CREDENTIALS = ("check the credentials (aws.credentials.provider and its keys) and that the "
                "clock of the task manager is right")
_PERMISSION = "check that the credentials' IAM policy allows sqs:SendMessage on this queue"
_QUEUE = "check that the queue exists in this region and that aws.endpoint/aws.region are right"
_KMS = "check the queue's KMS key: that it exists, is enabled and the credentials may use it"

_THROTTLE = Rule(Action.THROTTLE)
_RETRY = Rule(Action.RETRY)
_REJECT = Rule(Action.REJECT)

TLS_NOT_TRUSTED = "pyflink-sqs.TlsNotTrusted"

# Errors of a whole SendMessageBatch call.
REQUEST_RULES: Dict[str, Rule] = {
    **{code: _THROTTLE for code in (
        "RequestThrottled", "Throttling", "ThrottlingException", "ThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "SlowDown",
        "KmsThrottled", "KMS.ThrottlingException", "OverLimit")},
    **{code: _RETRY for code in (
        "InternalError", "InternalFailure", "ServiceUnavailable", "RequestTimeout",
        "RequestTimeoutException", "PriorRequestNotComplete")},
    **{code: Rule(Action.FATAL, _QUEUE) for code in (
        "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
        "QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently",
        "ResourceNotFoundException", "InvalidAddress")},
    **{code: Rule(Action.FATAL, _CREDENTIALS) for code in (
        "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
        "IncompleteSignature", "MissingAuthenticationToken", "InvalidSignatureException",
        "ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidAccessKeyId",
        "InvalidSecurity", "AWS.SimpleQueueService.InvalidSecurity")},
    **{code: Rule(Action.FATAL, _PERMISSION) for code in (
        "AccessDenied", "AccessDeniedException", "NotAuthorized", "OptInRequired")},
    **{code: Rule(Action.FATAL, _KMS) for code in (
        "KmsAccessDenied", "KmsDisabled", "KmsInvalidKeyUsage", "KmsInvalidState",
        "KmsNotFound", "KmsOptInRequired", "KMS.AccessDeniedException", "KMS.DisabledException",
        "KMS.InvalidKeyUsageException", "KMS.InvalidStateException", "KMS.NotFoundException",
        "KMS.OptInRequired")},
    # Not an SQS code: the name both backends give a TLS handshake the endpoint failed
    # (certificate not trusted, wrong host name). Retrying cannot fix it.
    TLS_NOT_TRUSTED: Rule(Action.FATAL, "the endpoint's TLS certificate is not trusted: check "
                                        "aws.endpoint; for a test endpoint with a self-signed "
                                        "certificate set aws.trust.all.certificates=true"),
    # Our batch was malformed. Sizes and ids are checked before sending, so these mean a limit
    # set above what this queue allows (e.g. a queue with a smaller MaximumMessageSize).
    **{code: Rule(Action.FATAL, "check max_batch_size_in_bytes and max_record_size_in_bytes "
                                "against the queue's MaximumMessageSize") for code in (
        "BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong")},
    **{code: Rule(Action.FATAL, "this is a bug in pyflink-sqs: please report it") for code in (
        "BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        "EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest",
        "TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        "InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId")},
}

# Failures of single entries reported under "Failed" in a SendMessageBatch answer.
ENTRY_RULES: Dict[str, Rule] = {
    **{code: _THROTTLE for code in (
        "RequestThrottled", "Throttling", "ThrottlingException", "KmsThrottled",
        "KMS.ThrottlingException")},
    **{code: _RETRY for code in ("InternalError", "InternalFailure", "ServiceUnavailable")},
    **{code: _REJECT for code in (
        "InvalidMessageContents", "MessageTooLong", "InvalidParameterValue",
        "InvalidAttributeName", "InvalidAttributeValue", "MissingParameter",
        "InvalidParameterCombination", "UnsupportedOperation",
        "AWS.SimpleQueueService.UnsupportedOperation")},
    # A whole-call problem reported per entry: the same answer for every entry.
    **{code: rule for code, rule in REQUEST_RULES.items() if rule.action is Action.FATAL
       and code not in ("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong",
                        TLS_NOT_TRUSTED)},
}


# Failures of a SendMessageBatch call (or of an S3 PUT of an offloaded body) without an answer,
# by kind. Each backend names the kind of its own exceptions in one function
# (python_backend/sender.py call_failure_kind, SqsSinkWriter.failureKind);
# tests/fixtures/call_failure_cases.json holds both to this table.
CALL_FAILURE_RULES: Dict[str, Rule] = {
    "connection_refused": _RETRY,  # no connection: refused, unreachable network
    # The connection broke before a whole, readable answer came (in the TLS handshake too:
    # "Remote host terminated the handshake" is no certificate to fix).
    "connection_reset": _RETRY,
    "timeout": _RETRY,  # no connection or no whole answer within the connect or read timeout
    "tls_not_trusted": REQUEST_RULES[TLS_NOT_TRUSTED],
    # Transient errors are retried without end: a mistyped host would stall the job, warning;
    # failing says what to fix, and the restart that follows asks DNS again.
    "unknown_host": Rule(Action.FATAL, "the endpoint's host name does not resolve: check "
                                       "aws.endpoint (or the queue URL's host) and the task "
                                       "manager's DNS"),
    # The provider has no credentials and asking again will not make some appear: none set or
    # found (botocore's NoCredentialsError, the SDK's non-retryable SdkClientException), a key
    # or token file missing, or STS refusing the role.
    "credentials_missing": Rule(Action.FATAL, "set aws.credentials.provider and its keys (or the "
                                              "environment, profile or role it reads)"),
    # A provider whose credentials come from a source and are refreshed (STS, the container or
    # instance metadata endpoint) could not reach it, or it answered 5xx or throttled: the next
    # refresh may succeed.
    "credentials_unavailable": _RETRY,
    # An exception the backend does not expect of a call (a bug, or a library's new error).
    "unexpected": Rule(Action.FATAL, "an error the sink does not expect: see its cause; if no "
                                     "setting explains it, please report it"),
}


# Errors of an S3 PutObject, where large payloads are offloaded (large_payload.py).
_BUCKET = ("check that the bucket given to set_large_payload_offload exists, in this region, "
           "and that the S3 endpoint is right")
_S3_PERMISSION = ("check that the credentials' IAM policy allows s3:PutObject on the bucket "
                  "(and the use of its KMS key, when the bucket encrypts with one)")
S3_RULES: Dict[str, Rule] = {
    **{code: _THROTTLE for code in (
        "SlowDown", "Throttling", "ThrottlingException", "RequestThrottled",
        "TooManyRequestsException", "RequestLimitExceeded")},
    **{code: _RETRY for code in (
        "InternalError", "ServiceUnavailable", "RequestTimeout", "OperationAborted")},
    **{code: Rule(Action.FATAL, _BUCKET) for code in (
        "NoSuchBucket", "PermanentRedirect", "AuthorizationHeaderMalformed",
        "InvalidBucketName")},
    **{code: Rule(Action.FATAL, _S3_PERMISSION) for code in (
        "AccessDenied", "AllAccessDisabled", "AccountProblem", "KMS.AccessDeniedException",
        "KMS.DisabledException", "KMS.NotFoundException")},
    **{code: Rule(Action.FATAL, _CREDENTIALS) for code in (
        "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "TokenRefreshRequired",
        "InvalidToken", "RequestTimeTooSkewed")},
}


def classify_request(status: int, code: str = "", query_code: str = "") -> Rule:
    """A call that failed with an HTTP status (0: no answer, e.g. connection reset)."""
    for name in (code, query_code):
        if name in REQUEST_RULES:
            return REQUEST_RULES[name]
    return _by_status(status, "the request was refused; check the queue URL, region, endpoint "
                              "and credentials")


def classify_s3(status: int, code: str = "") -> Rule:
    """A PutObject that failed with an HTTP status (0: no answer, e.g. connection reset)."""
    if code in S3_RULES:
        return S3_RULES[code]
    return _by_status(status, "S3 refused the request; check the bucket, endpoint and "
                              "credentials")


def _by_status(status: int, refused_hint: str) -> Rule:
    """A code the tables do not know: 5xx and no answer are transient, 503 and 429 ask us to
    slow down, any other status is a refusal that asking again will not change."""
    if status == 0 or status >= 500:
        return _THROTTLE if status == 503 else _RETRY
    if status == 429:
        return _THROTTLE
    return Rule(Action.FATAL, refused_hint)


def classify_call_failure(kind: str) -> Rule:
    """A call without an answer from SQS, by its kind (a key of CALL_FAILURE_RULES)."""
    return CALL_FAILURE_RULES[kind]


def classify_entry(code: str, sender_fault: Optional[bool]) -> Rule:
    """An entry under "Failed": known codes by the table, unknown ones by SenderFault."""
    if code in ENTRY_RULES:
        return ENTRY_RULES[code]
    return _REJECT if sender_fault else _RETRY


def java_resource() -> str:
    """What the jar carries: one line per code or kind,
    `<request|entry|s3|call>.<code>=<ACTION>|<hint>`."""
    lines = ["# generated from pyflink_sqs/error_codes.py by java-bridge/generate_resources.py; do not edit"]
    for prefix, rules in (("request", REQUEST_RULES), ("entry", ENTRY_RULES), ("s3", S3_RULES),
                          ("call", CALL_FAILURE_RULES)):
        for code, rule in sorted(rules.items()):
            lines.append(f"{prefix}.{code}={rule.action.value}|{rule.hint}")
    return "\n".join(lines) + "\n"
