"""The Python backend's SQS client against a boto3 client, no Flink: 50 threads each sending
SendMessageBatch calls of 10 messages, one after the other, to the no-op endpoint (0 ms: CPU
bound, which is what matters under the GIL; 20 ms: latency bound). Prints messages/s and the
ratio, measured in one run.

    .venv/bin/python benchmarks/python_clients.py        (make bench runs it too)
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

from benchmarks import endpoint  # noqa: E402
from pyflink_sqs.python_backend.sqs_http import SqsHttpClient  # noqa: E402

THREADS, SECONDS = 50, 6
ENTRIES = [{"Id": str(i), "MessageBody": f"m-{i}:1700000000000"} for i in range(10)]


def rate(client, queue_url: str) -> float:
    deadline = time.monotonic() + SECONDS
    sent = [0]
    lock = threading.Lock()

    def worker():
        while time.monotonic() < deadline:
            client.send_message_batch(QueueUrl=queue_url, Entries=ENTRIES)
            with lock:
                sent[0] += len(ENTRIES)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sent[0] / SECONDS


def main() -> None:
    endpoint.build()
    session = boto3.Session(aws_access_key_id="bench", aws_secret_access_key="bench-secret")
    for latency in (0, 20):
        noop = endpoint.NoopEndpoint(latency)
        try:
            boto = session.client("sqs", region_name="us-east-1", endpoint_url=noop.url,
                                  config=Config(max_pool_connections=THREADS,
                                                retries={"total_max_attempts": 1}))
            ours = SqsHttpClient(session, "us-east-1", noop.url)
            boto_rate, our_rate = rate(boto, noop.queue_url), rate(ours, noop.queue_url)
        finally:
            noop.stop()
        print(f"{latency:>2} ms endpoint, {THREADS} threads: boto3 client {boto_rate:,.0f} msg/s, "
              f"the Python backend's client {our_rate:,.0f} msg/s: {our_rate / boto_rate:.2f}x")


if __name__ == "__main__":
    main()
