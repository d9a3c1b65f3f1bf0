"""The builder's checks of FIFO queues and message options at build(), on both backends."""
import pytest
from pyflink.common.serialization import SimpleStringSchema

from pyflink_sqs import SqsMessage, SqsSink, config, java_backend
from tests.jvm.test_builder import PROPS, URL

FIFO_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo"


def fifo_builder(url=FIFO_URL):
    return (SqsSink.builder().set_sqs_url(url).set_serialization_schema(SimpleStringSchema())
            .set_sqs_client_properties(PROPS))


@pytest.mark.parametrize("backend", ["java", "python"])
def test_a_fifo_queue_without_a_group_id_fails_at_build(backend):
    with pytest.raises(ValueError, match="is a FIFO queue, whose messages need a message "
                                         "group id: set_message_group_id"):
        fifo_builder().set_backend(backend).build()
    sink = fifo_builder().set_backend(backend).set_message_group_id("orders").build()
    assert "message_group_id='orders'" in repr(sink), repr(sink)


def test_message_options_that_conflict_or_cannot_work_fail_at_build():
    with pytest.raises(ValueError, match="use one of set_message_group_id, "
                                         "set_message_group_id_field"):
        fifo_builder().set_message_group_id("a").set_message_group_id_field("b").build()
    with pytest.raises(ValueError, match="use one of set_message_group_id, set_message_builder"):
        fifo_builder().set_message_group_id("a").set_message_builder(str).build()
    with pytest.raises(ValueError, match="message_group_id: group_id must be 1..128"):
        fifo_builder().set_message_group_id("a b").build()
    with pytest.raises(ValueError, match="the dead-letter queue must be a standard queue"):
        (fifo_builder(URL).set_rejected_record_policy("dead_letter")
         .set_dead_letter_queue_url(FIFO_URL).build())
    with pytest.raises(ValueError, match="message_builder must be a function"):
        fifo_builder().set_message_builder("not callable")


def test_a_message_builder_needs_no_serialization_schema():
    sink = (SqsSink.builder().set_sqs_url(URL).set_sqs_client_properties(PROPS)
            .set_message_builder(lambda e: SqsMessage(e)).build())
    assert "message_builder=" in repr(sink)


def test_the_java_builder_refuses_a_fifo_queue_without_envelopes():
    # A Java caller that gives no group ids: the Java side names the problem itself. (PyFlink's
    # SimpleStringSchema has no public getter of its Java object.)
    with pytest.raises(ValueError, match="is a FIFO queue, whose messages need a message group "
                                         "id; set one with the Python builder"):
        java_backend.build_java_sink(SimpleStringSchema()._j_serialization_schema, FIFO_URL,
                                     PROPS, config.defaults())
