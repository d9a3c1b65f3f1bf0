"""AWS client property keys, the same strings as the Java connector's AWSConfigConstants.

A PyFlink user moving a job between the Java connector and this one keeps the same
properties; the Java bridge reads these keys too (see auth/CredentialsProviderFactory.java).
"""
from enum import Enum


class CredentialProvider(str, Enum):
    """Values of ``aws.credentials.provider``."""
    ENV_VAR = "ENV_VAR"
    SYS_PROP = "SYS_PROP"
    PROFILE = "PROFILE"
    BASIC = "BASIC"
    ASSUME_ROLE = "ASSUME_ROLE"
    WEB_IDENTITY_TOKEN = "WEB_IDENTITY_TOKEN"
    CUSTOM = "CUSTOM"
    AUTO = "AUTO"


def _provider_key(suffix: str) -> str:
    return AWSConfigConstants.AWS_CREDENTIALS_PROVIDER + suffix


class AWSConfigConstants:
    """Keys of the properties passed to ``set_sqs_client_properties``."""

    AWS_REGION = "aws.region"
    AWS_CREDENTIALS_PROVIDER = "aws.credentials.provider"
    AWS_ACCESS_KEY_ID = "aws.credentials.provider.basic.accesskeyid"
    AWS_SECRET_ACCESS_KEY = "aws.credentials.provider.basic.secretkey"
    # Our extension (the Java connector has no key for it): a session token for BASIC.
    AWS_SESSION_TOKEN = "aws.credentials.provider.basic.sessiontoken"
    AWS_PROFILE_PATH = "aws.credentials.provider.profile.path"
    AWS_PROFILE_NAME = "aws.credentials.provider.profile.name"
    AWS_ROLE_STS_ENDPOINT = "aws.credentials.provider.role.stsEndpoint"
    CUSTOM_CREDENTIALS_PROVIDER_CLASS = "aws.credentials.provider.custom.class"
    AWS_ROLE_ARN = "aws.credentials.provider.role.arn"
    AWS_ROLE_SESSION_NAME = "aws.credentials.provider.role.sessionName"
    AWS_ROLE_EXTERNAL_ID = "aws.credentials.provider.role.externalId"
    AWS_WEB_IDENTITY_TOKEN_FILE = "aws.credentials.provider.webIdentityToken.file"
    AWS_ROLE_CREDENTIALS_PROVIDER = "aws.credentials.provider.role.provider"
    # Our extension: the AssumeRole session length (STS's default, 1 h, when not set).
    AWS_ROLE_DURATION_SECONDS = "aws.credentials.provider.role.durationSeconds"
    AWS_ENDPOINT = "aws.endpoint"
    TRUST_ALL_CERTIFICATES = "aws.trust.all.certificates"
    HTTP_PROTOCOL_VERSION = "aws.http.protocol.version"
    HTTP_CLIENT_MAX_CONCURRENCY = "aws.http-client.max-concurrency"
    HTTP_CLIENT_READ_TIMEOUT_MILLIS = "aws.http-client.read-timeout"

    CredentialProvider = CredentialProvider

    @staticmethod
    def access_key_id(prefix: str) -> str:
        return prefix + ".basic.accesskeyid"

    @staticmethod
    def secret_key(prefix: str) -> str:
        return prefix + ".basic.secretkey"

    @staticmethod
    def role_arn(prefix: str) -> str:
        return prefix + ".role.arn"

    @staticmethod
    def role_session_name(prefix: str) -> str:
        return prefix + ".role.sessionName"

    @staticmethod
    def role_credentials_provider(prefix: str) -> str:
        return prefix + ".role.provider"


# Property keys whose values are secrets: masked in repr(), logs and error messages.
SECRET_KEYS = frozenset({
    AWSConfigConstants.AWS_SECRET_ACCESS_KEY,
})


def is_secret_key(key: str) -> bool:
    """Secret values also hide under prefixes (…role.provider.basic.secretkey, …token)."""
    return key in SECRET_KEYS or key.lower().endswith((".secretkey", "token"))
