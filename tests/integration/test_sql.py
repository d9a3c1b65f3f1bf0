"""'connector' = 'sqs' from PyFlink's Table API: rows arrive encoded by the table's format,
and mistakes in the DDL are named when the statement is planned."""
import json

import pytest
from pyflink.table import (DataTypes, EnvironmentSettings, ExplainDetail, Schema,
                           TableDescriptor, TableEnvironment)

from pyflink_sqs import config, enable_sql, large_payload
from tests.support.java import jvm
from tests.support.extended_client import receive_with_extended_client
from tests.support.queues import ACCESS_KEY, SECRET_KEY, create_queue, drain
from tests.support.s3 import create_bucket


def table_env():
    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    enable_sql(t_env)
    return t_env


def sqs_table(t_env, name, columns, queue, endpoint, **options):
    settings = {"connector": "sqs", "queue-url": queue, "format": "json",
                "aws.region": "us-east-1", "aws.endpoint": endpoint, "aws.credentials.provider.basic.accesskeyid": ACCESS_KEY,
                "aws.credentials.provider.basic.secretkey": SECRET_KEY, **options}
    settings = {k: v for k, v in settings.items() if v is not None}
    with_clause = ", ".join(f"'{k}' = '{v}'" for k, v in settings.items())
    t_env.execute_sql(f"CREATE TABLE {name} ({columns}) WITH ({with_clause})")


@pytest.mark.smoke
def test_a_thousand_rows_inserted_with_sql_arrive_as_json(localstack):
    queue = create_queue(localstack.endpoint)
    t_env = table_env()
    t_env.execute_sql("""
        CREATE TABLE orders_in (n BIGINT) WITH (
          'connector' = 'datagen', 'number-of-rows' = '1000',
          'fields.n.kind' = 'sequence', 'fields.n.start' = '1', 'fields.n.end' = '1000')""")
    sqs_table(t_env, "orders_out", "order_id STRING, amount DOUBLE, ts TIMESTAMP(3)", queue,
              localstack.endpoint, **{"sink.batch.max-size": "7"})
    t_env.execute_sql("""
        INSERT INTO orders_out
        SELECT CONCAT('order-', CAST(n AS STRING)), n * 1.5, TIMESTAMP '2026-11-25 12:00:00'
        FROM orders_in""").wait()
    rows = [json.loads(body) for body in drain(localstack.endpoint, queue, 1000)]
    assert sorted(r["order_id"] for r in rows) == sorted(f"order-{n}" for n in range(1, 1001))
    assert all(set(r) == {"order_id", "amount", "ts"} for r in rows)
    assert all(r["amount"] == int(r["order_id"][6:]) * 1.5 for r in rows)
    assert {r["ts"] for r in rows} == {"2026-11-25 12:00:00"}


@pytest.mark.parametrize("format_options, expected", [
    ({"format": "csv"}, ["a,1", "b,2"]),
    ({"format": "raw"}, ["a", "b"]),
])
def test_other_formats_flink_ships_work(localstack, format_options, expected):
    queue = create_queue(localstack.endpoint)
    t_env = table_env()
    columns = "name STRING" if format_options["format"] == "raw" else "name STRING, n INT"
    sqs_table(t_env, "out_q", columns, queue, localstack.endpoint, **format_options)
    select = ("SELECT name FROM (VALUES ('a'), ('b')) AS t(name)"
              if format_options["format"] == "raw"
              else "SELECT * FROM (VALUES ('a', 1), ('b', 2)) AS t(name, n)")
    t_env.execute_sql(f"INSERT INTO out_q {select}").wait()
    assert sorted(drain(localstack.endpoint, queue, len(expected))) == expected


QUEUE = "https://sqs.us-east-1.amazonaws.com/000000000000/orders"


@pytest.mark.parametrize("options, message", [
    ({"sink.batch.max-sizee": "5"}, "Unsupported options:\n\nsink.batch.max-sizee"),
    ({"queue-url": None}, "Missing required options are:\n\nqueue-url"),
    ({"sink.batch.max-size": "11"}, "'sink.batch.max-size' must be an integer in 1..10, "
                                    "got 11"),
    ({"sink.requests.max-inflight": "many"}, "'sink.requests.max-inflight' must be an "
                                             "integer, got 'many'"),
    ({"sink.rejected-record-policy": "dead_letter"},
     "'sink.rejected-record-policy' dead_letter needs 'sink.dead-letter-queue-url'"),
    ({"queue-url": "http://127.0.0.1:1/000000000000/q", "aws.region": None},
     "'aws.region' is not set"),
    ({"queue-url": QUEUE + ".fifo"}, "is a FIFO queue, whose messages need a message group "
                                     "id: set 'sink.message-group-id' (one group) or "
                                     "'sink.message-group-id.field' (a column)"),
    ({"sink.message-group-id.field": "customer"},
     "'sink.message-group-id.field' names column 'customer', which the table does not have "
     "(columns: body)"),
    ({"sink.message-group-id": "a b"}, "'sink.message-group-id' must be 1..128 letters"),
    ({"sink.message-group-id": "a", "sink.message-group-id.field": "body"},
     "Set either 'sink.message-group-id' or 'sink.message-group-id.field', not both"),
    ({"sink.parallelism": "0"}, "'sink.parallelism' must be at least 1, got 0"),
    ({"queue-url": QUEUE + ".fifo", "sink.message-group-id": "g", "sink.parallelism": "2"},
     "'sink.parallelism' cannot be set for the FIFO queue"),
])
def test_a_bad_table_definition_fails_naming_the_option(options, message):
    t_env = table_env()
    sqs_table(t_env, "bad", "body STRING", options.pop("queue-url", QUEUE), None,
              **{"aws.endpoint": None, **options})
    with pytest.raises(Exception) as error:
        t_env.explain_sql("INSERT INTO bad SELECT 'x'")
    assert message in str(error.value)


@pytest.mark.parametrize("deduplication", ["per_record", "content"])
def test_a_fifo_table_keeps_each_groups_order_with_either_kind_of_deduplication_id(
        localstack, deduplication):
    from pyflink_sqs.deduplication import content_deduplication_id
    from tests.support.queues import sqs_client

    queue = create_queue(localstack.endpoint, "sqlfifo", FifoQueue="true",
                         ContentBasedDeduplication="false")
    t_env = table_env()
    t_env.get_config().set("parallelism.default", "1")
    sqs_table(t_env, "orders_fifo", "customer STRING, seq INT", queue, localstack.endpoint,
              **{"sink.message-group-id.field": "customer",
                 "sink.fifo.deduplication": deduplication})
    rows = ", ".join(f"('c{n % 3}', {n // 3})" for n in range(60))
    t_env.execute_sql(f"INSERT INTO orders_fifo SELECT * FROM (VALUES {rows}) "
                      f"AS t(customer, seq)").wait()

    client = sqs_client(localstack.endpoint)
    received = []
    while True:
        messages = client.receive_message(
            QueueUrl=queue, MaxNumberOfMessages=10,
            MessageSystemAttributeNames=["MessageGroupId", "MessageDeduplicationId"]
        ).get("Messages", [])
        if not messages:
            break
        received += messages
        client.delete_message_batch(QueueUrl=queue, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])

    assert len(received) == 60
    for customer in ("c0", "c1", "c2"):
        ours = [m for m in received if m["Attributes"]["MessageGroupId"] == customer]
        assert [json.loads(m["Body"])["seq"] for m in ours] == list(range(20))
        ids = [m["Attributes"]["MessageDeduplicationId"] for m in ours]
        if deduplication == "content":
            # The same ids as the Python backend computes.
            assert ids == [content_deduplication_id(customer, m["Body"].encode(), {})
                           for m in ours]
        else:
            assert len(set(ids)) == len(ids) and all(len(i) == 64 for i in ids)


def test_describe_and_explain_show_the_sink():
    t_env = table_env()
    sqs_table(t_env, "described", "order_id STRING, amount DOUBLE", QUEUE, None)
    columns = [row[0] for row in t_env.execute_sql("DESCRIBE described").collect()]
    assert columns == ["order_id", "amount"]
    plan = t_env.explain_sql("INSERT INTO described SELECT 'x', 1.0")
    assert "Sink(table=[default_catalog.default_database.described]" in plan


def test_the_connector_offers_the_keys_of_the_option_table():
    factory = jvm().io.github.pyflinksqs.table.SqsDynamicTableFactory()
    offered = {option.key() for option in factory.optionalOptions()}
    # The option table's keys, large-payload offload's, and Flink's own sink.parallelism.
    assert offered == {o.sql_key for o in config.OPTIONS.values() if o.sql_key} | set(
        large_payload.SQL_KEYS.values()) | {"sink.parallelism"}
    assert {option.key() for option in factory.requiredOptions()} == {"queue-url", "format"}


@pytest.mark.smoke
def test_a_table_descriptor_from_python_sends_rows_with_the_sinks_own_parallelism(localstack):
    queue = create_queue(localstack.endpoint)
    t_env = table_env()
    t_env.get_config().set("parallelism.default", "1")
    descriptor = (TableDescriptor.for_connector("sqs")
                  .schema(Schema.new_builder()
                          .column("order_id", DataTypes.STRING())
                          .column("amount", DataTypes.INT()).build())
                  .option("queue-url", queue)
                  .option("aws.region", "us-east-1")
                  .option("aws.endpoint", localstack.endpoint)
                  .option("aws.credentials.provider.basic.accesskeyid", ACCESS_KEY)
                  .option("aws.credentials.provider.basic.secretkey", SECRET_KEY)
                  .option("sink.parallelism", "2")
                  .format("json")
                  .build())
    t_env.create_temporary_table("described_out", descriptor)
    rows = t_env.from_elements([(f"o-{n}", n) for n in range(200)],
                               DataTypes.ROW([DataTypes.FIELD("order_id", DataTypes.STRING()),
                                              DataTypes.FIELD("amount", DataTypes.INT())]))
    statement = t_env.create_statement_set().add_insert("described_out", rows)
    plan = statement.explain(ExplainDetail.JSON_EXECUTION_PLAN)
    execution = json.loads(plan[plan.index("{", plan.index("== Physical Execution Plan ==")):])
    sinks = [node for node in execution["nodes"] if "Writer" in node["type"]
             or "Sink" in node["type"]]
    assert sinks and all(node["parallelism"] == 2 for node in sinks), execution["nodes"]
    statement.execute().wait()
    received = [json.loads(body) for body in drain(localstack.endpoint, queue, 200)]
    assert sorted(r["amount"] for r in received) == list(range(200))


def receive_all(endpoint, queue, system_attributes=()):
    """Every message now visible, with its attributes; deleted as read."""
    from tests.support.queues import sqs_client

    client = sqs_client(endpoint)
    received = []
    while True:
        messages = client.receive_message(
            QueueUrl=queue, MaxNumberOfMessages=10, MessageAttributeNames=["All"],
            MessageSystemAttributeNames=list(system_attributes)).get("Messages", [])
        if not messages:
            return received
        received += messages
        client.delete_message_batch(QueueUrl=queue, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])


@pytest.mark.smoke
def test_metadata_columns_set_attributes_and_delays_and_stay_out_of_the_body(localstack):
    from tests.support.queues import sqs_client

    queue = create_queue(localstack.endpoint)
    t_env = table_env()
    sqs_table(t_env, "with_metadata",
              "order_id STRING, attrs MAP<STRING, STRING> METADATA FROM 'message-attributes', "
              "delay INT METADATA FROM 'delay-seconds'", queue, localstack.endpoint)
    t_env.execute_sql("""
        INSERT INTO with_metadata
        SELECT order_id, attrs, delay FROM (VALUES
          ('o-1', MAP['type', 'order', 'region', 'eu'], CAST(NULL AS INT)),
          ('o-2', CAST(NULL AS MAP<STRING, STRING>), 0),
          ('o-3', MAP['type', 'late'], 900)) AS t(order_id, attrs, delay)""").wait()
    messages = {json.loads(m["Body"])["order_id"]: m
                for m in receive_all(localstack.endpoint, queue)}
    assert set(messages) == {"o-1", "o-2"}  # o-3 is held for 900 s
    assert all(set(json.loads(m["Body"])) == {"order_id"} for m in messages.values())
    assert {k: v["StringValue"] for k, v in messages["o-1"]["MessageAttributes"].items()} == {
        "type": "order", "region": "eu"}
    assert "MessageAttributes" not in messages["o-2"]
    delayed = sqs_client(localstack.endpoint).get_queue_attributes(
        QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessagesDelayed"])["Attributes"]
    assert delayed["ApproximateNumberOfMessagesDelayed"] == "1"


@pytest.mark.smoke
def test_fifo_metadata_group_wins_over_the_option_and_given_deduplication_ids_are_sent(
        localstack):
    queue = create_queue(localstack.endpoint, "sqlmeta", FifoQueue="true",
                         ContentBasedDeduplication="false")
    t_env = table_env()
    t_env.get_config().set("parallelism.default", "1")
    sqs_table(t_env, "fifo_metadata",
              "seq INT, grp STRING METADATA FROM 'message-group-id', "
              "dedup STRING METADATA FROM 'message-deduplication-id'", queue,
              localstack.endpoint, **{"sink.message-group-id": "fallback"})
    # Literal rows only ('' for NULL): a VALUES row with an expression such as CAST(NULL ...)
    # becomes a UNION ALL of one-row inputs, which emits rows in no fixed order.
    rows = ", ".join(f"({n}, '{'' if n % 3 == 0 else 'g' + str(n % 2)}', "
                     f"'{'' if n % 2 else 'd-' + str(n)}')" for n in range(12))
    t_env.execute_sql(f"INSERT INTO fifo_metadata SELECT seq, NULLIF(grp, ''), "
                      f"NULLIF(dedup, '') FROM (VALUES {rows}) AS t(seq, grp, dedup)").wait()
    received = receive_all(localstack.endpoint, queue,
                           ["MessageGroupId", "MessageDeduplicationId"])
    by_seq = {json.loads(m["Body"])["seq"]: m["Attributes"] for m in received}
    assert sorted(by_seq) == list(range(12))
    for n, attributes in by_seq.items():
        # A NULL group falls back to sink.message-group-id; a NULL id is computed.
        assert attributes["MessageGroupId"] == ("fallback" if n % 3 == 0 else f"g{n % 2}")
        if n % 2 == 0:
            assert attributes["MessageDeduplicationId"] == f"d-{n}"
        else:
            assert len(attributes["MessageDeduplicationId"]) == 64  # SHA-256, per_record
    for group in ("fallback", "g0", "g1"):
        seqs = [json.loads(m["Body"])["seq"] for m in received
                if m["Attributes"]["MessageGroupId"] == group]
        assert seqs == sorted(seqs)


@pytest.mark.parametrize("queue, column, message", [
    (QUEUE, "d STRING METADATA FROM 'message-deduplication-id'",
     "column 'd' (METADATA FROM 'message-deduplication-id'): deduplication ids are for FIFO "
     "queues only"),
    (QUEUE + ".fifo", "s INT METADATA FROM 'delay-seconds'",
     "column 's' (METADATA FROM 'delay-seconds'): a delay per message is not allowed on the "
     "FIFO queue"),
    (QUEUE, "x STRING METADATA FROM 'no-such-key'", "no-such-key"),
    (QUEUE, "a INT METADATA FROM 'message-attributes'", "message-attributes"),
])
def test_a_metadata_column_sqs_cannot_take_fails_when_planned_naming_it(queue, column, message):
    t_env = table_env()
    sqs_table(t_env, "bad_metadata", f"body STRING, {column}", queue, None,
              **{"aws.endpoint": None, "sink.message-group-id":
                 "g" if queue.endswith(".fifo") else None})
    with pytest.raises(Exception) as error:
        t_env.explain_sql("INSERT INTO bad_metadata (body) SELECT 'x'")
    assert message in str(error.value)


def test_a_fifo_table_may_take_its_group_from_a_metadata_column_alone():
    t_env = table_env()
    sqs_table(t_env, "fifo_by_metadata", "body STRING, g STRING METADATA FROM 'message-group-id'",
              QUEUE + ".fifo", None, **{"aws.endpoint": None})
    assert "Sink(table=" in t_env.explain_sql("INSERT INTO fifo_by_metadata SELECT 'x', 'g'")


def test_an_attribute_name_sqs_reserves_fails_the_job_naming_the_record_and_column(
        localstack):
    queue = create_queue(localstack.endpoint)
    t_env = table_env()
    sqs_table(t_env, "reserved_attribute",
              "body STRING, attrs MAP<STRING, STRING> METADATA FROM 'message-attributes'",
              queue, localstack.endpoint)
    with pytest.raises(Exception) as error:
        t_env.execute_sql("INSERT INTO reserved_attribute SELECT 'x', MAP['AWS.trace', 'v']"
                          ).wait()
    text = str(error.value)
    assert ("record 1 (column 'attrs', METADATA FROM 'message-attributes'): attribute name "
            "'AWS.trace' must not start with 'AWS.' or 'Amazon.' (reserved)") in text, text[-3000:]


@pytest.mark.smoke
def test_a_queue_url_metadata_column_sends_each_row_to_its_own_queue(localstack):
    main, other = create_queue(localstack.endpoint), create_queue(localstack.endpoint)
    t_env = table_env()
    sqs_table(t_env, "routed", "n INT, q STRING METADATA FROM 'queue-url'", main,
              localstack.endpoint)
    rows = ", ".join(f"({n}, '{other if n % 2 else ''}')" for n in range(40))
    t_env.execute_sql(f"INSERT INTO routed SELECT n, NULLIF(q, '') FROM (VALUES {rows}) "
                      f"AS t(n, q)").wait()
    assert sorted(json.loads(b)["n"] for b in drain(localstack.endpoint, other, 20)) == list(
        range(1, 40, 2))
    assert sorted(json.loads(b)["n"] for b in drain(localstack.endpoint, main, 20)) == list(
        range(0, 40, 2))


def test_a_row_queue_in_another_region_fails_the_job_naming_the_record_and_column(localstack):
    main = create_queue(localstack.endpoint)
    t_env = table_env()
    sqs_table(t_env, "routed_far", "n INT, q STRING METADATA FROM 'queue-url'", main,
              localstack.endpoint)
    with pytest.raises(Exception) as error:
        t_env.execute_sql("INSERT INTO routed_far SELECT 1, "
                          "'https://sqs.eu-west-1.amazonaws.com/000000000000/far'").wait()
    text = str(error.value)
    assert ("record 1 (column 'q', METADATA FROM 'queue-url'): queue_url "
            "https://sqs.eu-west-1.amazonaws.com/000000000000/far is in region eu-west-1, and "
            "the sink sends to us-east-1") in text, text[-3000:]


def test_large_payload_offload_from_sql_sends_large_rows_through_s3(localstack):
    queue, bucket = create_queue(localstack.endpoint), create_bucket(localstack.endpoint)
    t_env = table_env()
    # No 'sink.record.max-size': with offload on, records of any size up to its bound may go.
    sqs_table(t_env, "documents", "id STRING, text STRING", queue, localstack.endpoint, **{
        "format": "json",
        "sink.large-payload.s3-bucket": bucket, "sink.large-payload.key-prefix": "sql/",
        "sink.large-payload.threshold": "1000"})
    t_env.execute_sql("""
        INSERT INTO documents VALUES
          ('big', REPEAT('x', 2 * 1024 * 1024)), ('small', 'tiny')""").wait()
    stored, read = receive_with_extended_client(localstack.endpoint, queue, bucket, 2)
    rows = {row["id"]: row["text"] for row in map(json.loads, read)}
    assert rows == {"big": "x" * 2 * 1024 * 1024, "small": "tiny"}
    assert sorted(attributes.get("ExtendedPayloadSize") is not None
                  for _, attributes in stored) == [False, True]


@pytest.mark.parametrize("options, message", [
    ({"sink.large-payload.threshold": "1000"},
     "'sink.large-payload.threshold' needs 'sink.large-payload.s3-bucket'"),
    ({"sink.large-payload.s3-bucket": "payloads", "sink.large-payload.key-prefix": "/x"},
     "'sink.large-payload.key-prefix' must be at most 988 characters"),
    ({"sink.record.max-size": str(2 * 1024 * 1024)},
     f"records up to {large_payload.MAX_RECORD_BYTES} bytes need "
     f"'sink.large-payload.s3-bucket'"),
    ({"sink.large-payload.s3-bucket": "payloads",
      "sink.large-payload.legacy-size-attribute": "yes"},
     "'sink.large-payload.legacy-size-attribute' must be true or false, got 'yes'"),
    ({"sink.large-payload.s3-bucket": "payloads", "sink.record.max-size": "262144"},
     r"'sink.record.max-size' \(262144\) must exceed 'sink.large-payload.threshold' "
     r"\(262144\), or no record could go to S3"),
])
def test_large_payload_mistakes_in_the_ddl_name_the_key(options, message):
    t_env = table_env()
    sqs_table(t_env, "documents", "text STRING", QUEUE, None, **{"format": "raw", **options})
    with pytest.raises(Exception, match=message):
        t_env.explain_sql("INSERT INTO documents VALUES ('x')")
