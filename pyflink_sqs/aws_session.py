"""boto3 sessions whose credentials follow the client properties (aws.credentials.provider and
its keys), for the Python backend; the Java backend reads the same keys."""
from typing import Mapping

import boto3
from botocore.config import Config

from pyflink_sqs.aws_config import AWSConfigConstants, CredentialProvider
from pyflink_sqs.client_properties import provider_name


SUPPORTED_PROVIDERS = (CredentialProvider.BASIC.value, CredentialProvider.ENV_VAR.value,
                       CredentialProvider.AUTO.value)


def check_supported(properties: Mapping[str, str]) -> None:
    """At build(): a provider the Python backend cannot use is an error before the job runs."""
    provider = provider_name(properties)
    if provider not in SUPPORTED_PROVIDERS:
        raise ValueError(f"{AWSConfigConstants.AWS_CREDENTIALS_PROVIDER} {provider} is not "
                         f"supported by the Python backend of this version (it supports "
                         f"{', '.join(SUPPORTED_PROVIDERS)}); use the Java backend")


def boto3_session(properties: Mapping[str, str]) -> boto3.Session:
    check_supported(properties)
    region = properties.get(AWSConfigConstants.AWS_REGION)
    provider = provider_name(properties)
    if provider == CredentialProvider.BASIC.value:
        return boto3.Session(
            aws_access_key_id=properties[AWSConfigConstants.AWS_ACCESS_KEY_ID],
            aws_secret_access_key=properties[AWSConfigConstants.AWS_SECRET_ACCESS_KEY],
            aws_session_token=properties.get(AWSConfigConstants.AWS_SESSION_TOKEN) or None,
            region_name=region)
    # ENV_VAR and AUTO: boto3's default chain, which starts with the environment.
    return boto3.Session(region_name=region)


def sqs_client(session: boto3.Session, region: str, endpoint: str, max_connections: int):
    """One client per subtask: its pool holds a connection per concurrent call, and botocore
    does not retry on its own (the sink decides, by pyflink_sqs/error_codes.py)."""
    return session.client(
        "sqs", region_name=region, endpoint_url=endpoint,
        config=Config(max_pool_connections=max_connections,
                      retries={"mode": "standard", "total_max_attempts": 1},
                      connect_timeout=10, read_timeout=60))
