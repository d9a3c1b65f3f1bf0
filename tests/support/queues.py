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

    A drain that reaches its timeout while the queue still holds messages raises: its bodies
    would be a part of the queue, and a caller would count the rest as lost (a soak once
    reported 24,327 "lost" records that were still in the queue after a 600 s drain).
    """
    bodies: List[str] = []
    lock = threading.Lock()
    state = {"last_message": time.monotonic(), "done": False}
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
                if state["done"] or (enough and now - state["last_message"] >= idle_seconds):
                    state["done"] = True
                    return
            time.sleep(0.05)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if not state["done"]:
        left = messages_held(endpoint, queue_url)
        if left:
            raise AssertionError(
                f"drain reached its {timeout} s timeout with {left} messages still in "
                f"{queue_url} ({len(bodies)} received"
                + (f" of {expected} expected" if expected is not None else "")
                + "): give it a longer timeout")
    return bodies


def messages_held(endpoint: str, queue_url: str) -> int:
    """Messages in the queue: visible, received but not deleted, and delayed."""
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
             "ApproximateNumberOfMessagesDelayed"]
    attributes = sqs_client(endpoint).get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return sum(int(attributes.get(name, 0)) for name in names)


def multiset_difference(expected: List[str], received: List[str]):
    """(missing, unexpected): both empty when the queue held exactly what was sent."""
    want, got = Counter(expected), Counter(received)
    return want - got, got - want
