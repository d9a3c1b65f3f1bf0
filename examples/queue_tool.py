#!/usr/bin/env python3
"""
Small SQS chores for the examples and the Docker demo:

    queue_tool.py [--endpoint URL] create NAME            prints the new queue's URL
    queue_tool.py [--endpoint URL] expect QUEUE_URL COUNT  reads n-0..n-<COUNT-1> back, exits 1
                                                           when one is missing
"""
import argparse
import sys

import boto3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--endpoint")
    parser.add_argument("--region", default="us-east-1")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("create").add_argument("name")
    expect = commands.add_parser("expect")
    expect.add_argument("queue_url")
    expect.add_argument("count", type=int)
    args = parser.parse_args()
    sqs = boto3.client("sqs", region_name=args.region, endpoint_url=args.endpoint)

    if args.command == "create":
        print(sqs.create_queue(QueueName=args.name)["QueueUrl"])
        return 0
    expected = {f"n-{i}" for i in range(args.count)}
    received = set()
    empty_polls = 0
    while expected - received and empty_polls < 5:
        messages = sqs.receive_message(QueueUrl=args.queue_url, MaxNumberOfMessages=10,
                                       WaitTimeSeconds=1).get("Messages", [])
        empty_polls = 0 if messages else empty_polls + 1
        for message in messages:
            received.add(message["Body"])
        if messages:
            sqs.delete_message_batch(QueueUrl=args.queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                for i, m in enumerate(messages)])
    missing = expected - received
    print(f"expected {len(expected)}, received {len(received & expected)}, "
          f"missing {len(missing)}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
