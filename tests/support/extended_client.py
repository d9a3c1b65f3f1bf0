"""Reading a queue back with the real Amazon SQS Extended Client for Python
(amazon-sqs-extended-client), as a team's consumer would. It runs in a child process: importing
it replaces boto3.Session in the whole process, which would change the sink's own clients in a
local job (whose Python worker is the test process)."""
import json
import subprocess
import sys
import textwrap
from typing import Dict, List, Tuple

from tests.support.processes import child_environment
from tests.support.queues import ACCESS_KEY, REGION, SECRET_KEY

_READER = textwrap.dedent("""
    import json, sys, time
    import botocore.session
    import boto3
    import sqs_extended_client  # noqa: F401 -- replaces boto3.Session

    queue_url, bucket, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
    look_at_stored = sys.argv[4] == "1"

    def receive_all(receive, settle):
        messages, idle_since = {}, time.monotonic()
        while len(messages) < expected or time.monotonic() - idle_since < 2:
            if time.monotonic() - idle_since > 120:
                break
            for message in receive().get("Messages", []):
                idle_since = time.monotonic()
                messages[message["MessageId"]] = message
                settle(message)
        return list(messages.values())

    # As stored, with a plain botocore client (not patched), each made visible again.
    raw = botocore.session.get_session().create_client("sqs")
    stored = [] if not look_at_stored else receive_all(
        lambda: raw.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                    WaitTimeSeconds=1, VisibilityTimeout=60,
                                    MessageAttributeNames=["All"]),
        lambda m: None)
    for message in stored:
        raw.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"],
                                      VisibilityTimeout=0)
    # As a consumer reads them, with the Extended Client.
    sqs = boto3.session.Session().client("sqs")
    sqs.large_payload_support = bucket
    read = receive_all(
        lambda: sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                    WaitTimeSeconds=1, MessageAttributeNames=["All"]),
        lambda m: sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"]))
    json.dump({"stored": [[m["Body"], {name: value.get("StringValue") for name, value
                                       in m.get("MessageAttributes", {}).items()}]
                          for m in stored],
               "read": [m["Body"] for m in read]}, sys.stdout)
""")


def receive_with_extended_client(endpoint: str, queue_url: str, bucket: str, expected: int,
                                 look_at_stored: bool = True) \
        -> Tuple[List[Tuple[str, Dict[str, str]]], List[str]]:
    """(stored, read): each message as SQS stores it, (body, {attribute: string value}), read
    with a plain client; then each body as the Extended Client reads it, offloaded ones fetched from
    S3, in the order received. Each read waits for `expected` messages, then for two idle
    seconds. Deleting the messages leaves their S3 objects (delete_payload_from_s3 is off by
    default). look_at_stored=False skips the first read (stored is then empty): on a FIFO queue
    the messages it holds invisible would hold back the rest of their group."""
    env = child_environment(AWS_ENDPOINT_URL=endpoint, AWS_DEFAULT_REGION=REGION,
                            AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)
    result = subprocess.run([sys.executable, "-c", _READER, queue_url, bucket, str(expected),
                             "1" if look_at_stored else "0"],
                            env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"the Extended Client reader failed:\n{result.stderr[-3000:]}")
    answer = json.loads(result.stdout)
    return [(body, names) for body, names in answer["stored"]], answer["read"]
