"""Amazon SQS sink for PyFlink: ``stream.sink_to(SqsSink.builder()...build())``."""
from pyflink_sqs.aws_config import AWSConfigConstants, CredentialProvider
from pyflink_sqs.message import Attribute, SqsMessage
from pyflink_sqs.message_rules import MessageError
from pyflink_sqs.sink import SqsSink, SqsSinkBuilder
from pyflink_sqs.table import enable_sql

__all__ = ["SqsSink", "SqsSinkBuilder", "AWSConfigConstants", "CredentialProvider",
           "SqsMessage", "Attribute", "MessageError", "enable_sql"]
