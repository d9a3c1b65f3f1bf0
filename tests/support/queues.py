"""Creating queues on LocalStack and reading everything back with boto3."""
import threading
import time
import uuid
from collections import Counter
from typing import List

import boto3

REGION = "us-east-1"
ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"


def sqs_client(endpoint: str):
    return boto3.client("sqs", region_name=REGION, endpoint_url=endpoint,
                        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)


def create_queue(endpoint: str, prefix: str = "q", **attributes) -> str:
    name = f"{prefix}-{uuid.uuid4().hex[:12]}"
    if attributes.get("FifoQueue") == "true":
        name += ".fifo"
    return sqs_client(endpoint).create_queue(
        QueueName=name, Attributes={k: str(v) for k, v in attributes.items()})["QueueUrl"]


def queue_depth(endpoint: str, queue_url: str) -> int:
    """Messages visible in the queue (exact on LocalStack)."""
    attributes = sqs_client(endpoint).get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


def drain(endpoint: str, queue_url: str, expected: int = None, idle_seconds: float = 2.0,
          threads: int = 4, timeout: float = 300) -> List[str]:
    """
    Receives and deletes messages until the queue stays empty for idle_seconds (after at
    least `expected` messages, when given). Returns the bodies, duplicates included.
    """
    bodies: List[str] = []
    lock = threading.Lock()
    state = {"last_message": time.monotonic()}
    deadline = time.monotonic() + timeout

    def worker():
        client = sqs_client(endpoint)
        while time.monotonic() < deadline:
            messages = client.receive_message(
                QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                VisibilityTimeout=120).get("Messages", [])
            now = time.monotonic()
            if messages:
                client.delete_message_batch(QueueUrl=queue_url, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                    for i, m in enumerate(messages)])
                with lock:
                    bodies.extend(m["Body"] for m in messages)
                    state["last_message"] = now
                continue
            with lock:
                enough = expected is None or len(bodies) >= expected
                if enough and now - state["last_message"] >= idle_seconds:
                    return
            time.sleep(0.05)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return bodies


def multiset_difference(expected: List[str], received: List[str]):
    """(missing, unexpected): both empty when the queue held exactly what was sent."""
    want, got = Counter(expected), Counter(received)
    return want - got, got - want
