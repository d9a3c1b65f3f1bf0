"""Amazon SQS sink for PyFlink: ``stream.sink_to(SqsSink.builder()...build())``."""
from pyflink_sqs.aws_config import AWSConfigConstants, CredentialProvider
from pyflink_sqs.sink import SqsSink, SqsSinkBuilder

__all__ = ["SqsSink", "SqsSinkBuilder", "AWSConfigConstants", "CredentialProvider"]
