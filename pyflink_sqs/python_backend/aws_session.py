"""boto3 sessions whose credentials follow the client properties (aws.credentials.provider and
its keys), for the Python backend; the Java backend reads the same keys."""
import os
from typing import Mapping

import boto3
import botocore.session
from botocore.credentials import (AssumeRoleCredentialFetcher,
                                  AssumeRoleWithWebIdentityCredentialFetcher,
                                  CredentialProvider as BotocoreCredentialProvider,
                                  CredentialResolver, DeferredRefreshableCredentials)
from botocore.utils import FileWebIdentityTokenLoader

from pyflink_sqs.aws_config import AWSConfigConstants, CredentialProvider
from pyflink_sqs.client_properties import DEFAULT_READ_TIMEOUT_MILLIS, provider_name

C = AWSConfigConstants


def boto3_session(properties: Mapping[str, str], prefix: str = None) -> boto3.Session:
    """A session whose credentials are those of the provider at `prefix` (checked at build()
    by client_properties.validate_credentials; SYS_PROP was turned into BASIC when the sink
    was attached, see system_properties.py); temporary ones (ASSUME_ROLE,
    WEB_IDENTITY_TOKEN) are refreshed by botocore before they expire."""
    prefix = prefix or C.AWS_CREDENTIALS_PROVIDER
    region = properties.get(C.AWS_REGION)
    provider = provider_name(properties, prefix)
    if provider == CredentialProvider.BASIC.value:
        return boto3.Session(
            aws_access_key_id=properties[C.access_key_id(prefix)],
            aws_secret_access_key=properties[C.secret_key(prefix)],
            aws_session_token=properties.get(prefix + ".basic.sessiontoken") or None,
            region_name=region)
    if provider == CredentialProvider.PROFILE.value:
        core = botocore.session.Session()
        if properties.get(prefix + ".profile.path"):
            core.set_config_variable("credentials_file", properties[prefix + ".profile.path"])
        if properties.get(prefix + ".profile.name"):
            core.set_config_variable("profile", properties[prefix + ".profile.name"])
        return boto3.Session(botocore_session=core, region_name=region)
    if provider == CredentialProvider.ASSUME_ROLE.value:
        base = boto3_session(properties, C.role_credentials_provider(prefix))
        extra = {"RoleSessionName": properties[C.role_session_name(prefix)]}
        if properties.get(prefix + ".role.externalId"):
            extra["ExternalId"] = properties[prefix + ".role.externalId"]
        if properties.get(prefix + ".role.durationSeconds"):
            extra["DurationSeconds"] = int(properties[prefix + ".role.durationSeconds"])
        fetcher = AssumeRoleCredentialFetcher(
            client_creator=_sts_client_creator(base, properties, prefix, region),
            source_credentials=base.get_credentials(),
            role_arn=properties[C.role_arn(prefix)], extra_args=extra)
        return _session_with(fetcher, "assume-role", region)
    if provider == CredentialProvider.WEB_IDENTITY_TOKEN.value:
        token_file = (properties.get(prefix + ".webIdentityToken.file")
                      or os.environ.get("AWS_WEB_IDENTITY_TOKEN_FILE"))
        role_arn = properties.get(C.role_arn(prefix)) or os.environ.get("AWS_ROLE_ARN")
        if not token_file or not role_arn:
            raise ValueError(f"{prefix} WEB_IDENTITY_TOKEN needs "
                             f"{prefix + '.webIdentityToken.file'} (or "
                             f"AWS_WEB_IDENTITY_TOKEN_FILE) and {C.role_arn(prefix)} (or "
                             f"AWS_ROLE_ARN)")
        session_name = (properties.get(C.role_session_name(prefix))
                        or os.environ.get("AWS_ROLE_SESSION_NAME") or "pyflink-sqs")
        fetcher = AssumeRoleWithWebIdentityCredentialFetcher(
            client_creator=_sts_client_creator(boto3.Session(), properties, prefix, region),
            web_identity_token_loader=FileWebIdentityTokenLoader(token_file),
            role_arn=role_arn, extra_args={"RoleSessionName": session_name})
        return _session_with(fetcher, "assume-role-with-web-identity", region)
    # ENV_VAR and AUTO: boto3's default chain, which starts with the environment.
    return boto3.Session(region_name=region)


def _sts_client_creator(session: boto3.Session, properties, prefix: str, region: str):
    endpoint = properties.get(prefix + ".role.stsEndpoint") or None

    def create(service_name, **kwargs):
        kwargs.setdefault("region_name", region)
        return session.client(service_name, endpoint_url=endpoint, **kwargs)

    return create


class _FetcherProvider(BotocoreCredentialProvider):
    """A botocore credential provider that always answers with one set of refreshable
    credentials (botocore requires a name of a provider not its own to start with 'custom')."""
    CANONICAL_NAME = "custom-pyflink-sqs"

    def __init__(self, credentials: DeferredRefreshableCredentials):
        super().__init__()
        self.METHOD = credentials.method
        self._credentials = credentials

    def load(self):
        return self._credentials


def _session_with(fetcher, method: str, region: str) -> boto3.Session:
    # DeferredRefreshableCredentials fetch on first use, then again inside botocore's refresh
    # windows (advisory 15 min, mandatory 10 min before expiry), where a request is signed:
    # SQS calls on the worker thread's call loop (sqs_http.py; a fetch holds every call of the
    # subtask meanwhile), S3 PUTs on their own threads (s3_payloads.py).
    credentials = DeferredRefreshableCredentials(refresh_using=fetcher.fetch_credentials,
                                                 method=method)
    core = botocore.session.Session()
    # Session.register_component replaces the session's credential chain (its public
    # 'credential_provider' component) with a resolver of our one provider, so no other
    # source of credentials (environment, profile, metadata endpoints) is looked at.
    core.register_component("credential_provider",
                            CredentialResolver([_FetcherProvider(credentials)]))
    return boto3.Session(botocore_session=core, region_name=region)


def sqs_client(session: boto3.Session, region: str, endpoint: str, verify: bool = True,
               read_timeout_seconds: float = DEFAULT_READ_TIMEOUT_MILLIS / 1000):
    """One client per subtask, a connection per sending thread; it does not retry on its own
    (the sink decides, by pyflink_sqs/error_codes.py). verify=False
    (aws.trust.all.certificates) accepts any TLS certificate; the sink warned at build().
    A call that takes longer than read_timeout_seconds (aws.http-client.read-timeout) fails
    as a read timeout, which the sink retries."""
    from pyflink_sqs.python_backend.sqs_http import SqsHttpClient

    return SqsHttpClient(session, region, endpoint, verify=verify,
                         read_timeout=read_timeout_seconds)
