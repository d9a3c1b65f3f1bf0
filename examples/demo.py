#!/usr/bin/env python3
"""
The pyflink-sqs demo: a PyFlink job sends generated events to a queue through SqsSink, and the
queue is read back with boto3. The queue lives in an embedded SQS emulator (moto) started by
this script: no AWS account, no Docker.

    python examples/demo.py [--events 1000] [--parallelism 2]

Exits non-zero when an event is missing from the queue.
"""
import argparse
import json
import logging
import sys
import time

import boto3
from moto.server import ThreadedMotoServer
from pyflink.common import Types
from pyflink.common.serialization import SimpleStringSchema
from pyflink.common.watermark_strategy import WatermarkStrategy
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.datastream.connectors.number_seq import NumberSequenceSource

from pyflink_sqs import AWSConfigConstants, SqsSink

REGION = "us-east-1"
# The emulator accepts any credentials; real jobs take them from the environment or a role.
CREDENTIALS = {"aws_access_key_id": "demo", "aws_secret_access_key": "demo-secret"}


def to_event(i: int) -> str:
    return json.dumps({"event_id": i, "kind": "page_view", "user": f"user-{i % 97}"})


def start_embedded_sqs() -> ThreadedMotoServer:
    """
    moto's SQS on a free 127.0.0.1 port. moto reads the clock through datetime arithmetic for
    every stored message on every call (about 12 us each), which makes a 1,000-message queue
    take minutes; its SQS module gets the same clock from time.time() here, 100x cheaper.
    """
    import moto.sqs.models as sqs_models

    exact_unix_time_millis = sqs_models.unix_time_millis
    sqs_models.unix_time_millis = (
        lambda dt=None: time.time() * 1000.0 if dt is None else exact_unix_time_millis(dt))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    return server


def read_back(sqs, queue_url: str, expected: int, timeout_s: float = 120.0):
    """Receives and deletes until `expected` messages came or the queue stays empty."""
    bodies, empty_polls = [], 0
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and empty_polls < 3:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                       VisibilityTimeout=600).get("Messages", [])
        if not messages:
            empty_polls += 1
            continue
        empty_polls = 0
        bodies += [m["Body"] for m in messages]
        # Deleting keeps the emulator fast: moto scans every stored message on each call.
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
    return bodies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000)
    parser.add_argument("--parallelism", type=int, default=2)
    args = parser.parse_args()

    server = start_embedded_sqs()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        sqs = boto3.client("sqs", region_name=REGION, endpoint_url=endpoint, **CREDENTIALS)
        queue_url = sqs.create_queue(QueueName="pyflink-sqs-demo")["QueueUrl"]
        print(f"embedded SQS at {endpoint}, queue {queue_url}")

        sink = (SqsSink.builder()
                .set_sqs_url(queue_url)
                .set_serialization_schema(SimpleStringSchema())
                .set_sqs_client_properties({
                    AWSConfigConstants.AWS_REGION: REGION,
                    AWSConfigConstants.AWS_ENDPOINT: endpoint,
                    AWSConfigConstants.AWS_ACCESS_KEY_ID: CREDENTIALS["aws_access_key_id"],
                    AWSConfigConstants.AWS_SECRET_ACCESS_KEY:
                        CREDENTIALS["aws_secret_access_key"],
                })
                .build())

        env = StreamExecutionEnvironment.get_execution_environment()
        env.set_parallelism(args.parallelism)
        events = (env.from_source(NumberSequenceSource(0, args.events - 1),
                                  WatermarkStrategy.no_watermarks(), "events")
                  .map(to_event, output_type=Types.STRING()))
        events.sink_to(sink)

        started = time.monotonic()
        env.execute("pyflink-sqs demo")
        elapsed = time.monotonic() - started
        received = read_back(sqs, queue_url, args.events)
    finally:
        server.stop()

    expected = {to_event(i) for i in range(args.events)}
    missing = expected - set(received)
    print(f"sent:      {args.events}")
    print(f"received:  {len(received)} ({len(received) - len(set(received))} duplicates)")
    print(f"elapsed:   {elapsed:.1f} s (job, including Flink start-up)")
    print(f"rate:      {args.events / elapsed:,.0f} messages/s "
          f"(bounded by the embedded emulator; see benchmarks/ for the sink's own speed)")
    if missing:
        print(f"MISSING:   {len(missing)} events, e.g. {sorted(missing)[:3]}", file=sys.stderr)
        return 1
    print("OK: every event arrived")
    return 0


if __name__ == "__main__":
    sys.exit(main())
