"""Reading aws.http-client.read-timeout from the client properties. (That the Python backend's
calls give up after it: tests/integration/test_answers.py, whose hung calls must time out after
2 s, well before the fault proxy gives up on them at 20 s.)"""
from pyflink_sqs.aws_config import AWSConfigConstants
from pyflink_sqs.client_properties import DEFAULT_READ_TIMEOUT_MILLIS, read_timeout_millis

KEY = AWSConfigConstants.HTTP_CLIENT_READ_TIMEOUT_MILLIS


def test_the_read_timeout_is_the_property_in_milliseconds():
    assert read_timeout_millis({KEY: "2000"}) == 2000
    assert read_timeout_millis({KEY: " 2000 "}) == 2000


def test_the_read_timeout_is_the_default_when_not_set_or_blank():
    assert read_timeout_millis({}) == DEFAULT_READ_TIMEOUT_MILLIS
    assert read_timeout_millis({KEY: ""}) == DEFAULT_READ_TIMEOUT_MILLIS
