"""Checks and masking of the SQS client properties (aws.* keys)."""
from typing import Dict, Mapping

from pyflink_sqs.aws_config import AWSConfigConstants, CredentialProvider, is_secret_key

# A call not answered in this time is abandoned and its entries retried; the Java backend's
# default too (AwsClientProperties.DEFAULT_READ_TIMEOUT; tests/jvm/test_builder.py checks).
DEFAULT_READ_TIMEOUT_MILLIS = 60_000

# Every provider of the Java connector; CUSTOM names a Java class, so only the Java backend
# has it (python_backend/aws_session.py implements the others for the Python backend).
SUPPORTED_PROVIDERS = tuple(CredentialProvider)
JAVA_ONLY_PROVIDERS = (CredentialProvider.CUSTOM,)


def normalize(properties) -> Dict[str, str]:
    """A dict of str to str, as java.util.Properties needs; numbers and bools converted."""
    if properties is None or not isinstance(properties, Mapping):
        raise ValueError(
            f"sqs_client_properties must be a dict of AWS client properties (at least "
            f"{AWSConfigConstants.AWS_REGION!r}), got {type(properties).__name__}")
    normalized = {}
    for key, value in properties.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"sqs_client_properties keys must be non-empty str, got {key!r}")
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (int, float)):
            value = str(value)
        elif isinstance(value, CredentialProvider):
            value = value.value
        if not isinstance(value, str):
            raise ValueError(
                f"sqs_client_properties[{key!r}] must be a str, got {type(value).__name__}")
        normalized[key] = value
    return normalized


def provider_name(properties: Mapping[str, str], prefix: str = None) -> str:
    """As the Java connector: BASIC when both keys are given, AUTO otherwise."""
    prefix = prefix or AWSConfigConstants.AWS_CREDENTIALS_PROVIDER
    name = properties.get(prefix, "").strip().upper()
    if name:
        return name
    has_keys = (AWSConfigConstants.access_key_id(prefix) in properties
                and AWSConfigConstants.secret_key(prefix) in properties)
    return CredentialProvider.BASIC.value if has_keys else CredentialProvider.AUTO.value


def validate_credentials(properties: Mapping[str, str], prefix: str = None) -> None:
    """What build() can check of the provider at `prefix` (and of the one signing its calls).
    Settings that may come from the task manager's environment are checked there."""
    key = prefix or AWSConfigConstants.AWS_CREDENTIALS_PROVIDER
    name = provider_name(properties, key)
    known = [p.value for p in CredentialProvider]
    if name not in known:
        raise ValueError(f"{key} {name!r} is not a provider; use one of {', '.join(known)}")
    if name not in [p.value for p in SUPPORTED_PROVIDERS]:
        raise ValueError(
            f"{key} {name} is not supported by this version of pyflink-sqs; use one of "
            f"{', '.join(p.value for p in SUPPORTED_PROVIDERS)}")
    if name == CredentialProvider.BASIC.value:
        for required in (AWSConfigConstants.access_key_id(key),
                         AWSConfigConstants.secret_key(key)):
            if not properties.get(required):
                raise ValueError(f"{key} BASIC needs {required} in the client properties")
    if name == CredentialProvider.CUSTOM.value:
        class_key = key + ".custom.class"
        if not properties.get(class_key):
            raise ValueError(f"{key} CUSTOM needs {class_key} in the client properties: a Java "
                             f"class with a (java.util.Properties) constructor")
    if name == CredentialProvider.ASSUME_ROLE.value:
        for required in (AWSConfigConstants.role_arn(key),
                         AWSConfigConstants.role_session_name(key)):
            if not properties.get(required):
                raise ValueError(f"{key} ASSUME_ROLE needs {required} in the client properties")
        validate_credentials(properties, AWSConfigConstants.role_credentials_provider(key))


def java_only_provider(properties: Mapping[str, str], prefix: str = None):
    """The provider (at `prefix` or any role provider under it) only the Java backend has."""
    key = prefix or AWSConfigConstants.AWS_CREDENTIALS_PROVIDER
    name = provider_name(properties, key)
    if name in [p.value for p in JAVA_ONLY_PROVIDERS]:
        return key, name
    if name == CredentialProvider.ASSUME_ROLE.value:
        return java_only_provider(properties, AWSConfigConstants.role_credentials_provider(key))
    return None


def masked(properties: Mapping) -> Dict:
    return {k: ("****" if is_secret_key(str(k)) else v) for k, v in properties.items()}


def trust_all_certificates(properties: Mapping[str, str]) -> bool:
    """aws.trust.all.certificates: false unless set to true; anything else is an error."""
    key = AWSConfigConstants.TRUST_ALL_CERTIFICATES
    value = properties.get(key, "").strip().lower()
    if value in ("", "false"):
        return False
    if value == "true":
        return True
    raise ValueError(f"{key} must be true or false, got {properties[key]!r}")


def read_timeout_millis(properties: Mapping[str, str]) -> int:
    """aws.http-client.read-timeout: the longest a SendMessageBatch call may take, sending to
    last answer byte, in milliseconds; a positive whole number, the default when not set."""
    key = AWSConfigConstants.HTTP_CLIENT_READ_TIMEOUT_MILLIS
    value = properties.get(key, "").strip()
    if not value:
        return DEFAULT_READ_TIMEOUT_MILLIS
    if value.isdigit() and int(value) > 0:
        return int(value)
    raise ValueError(f"{key} must be a positive number of milliseconds, got {properties[key]!r}")
