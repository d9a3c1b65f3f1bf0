"""The Python backend's SQS client against a boto3 client, no Flink: 50 senders each sending
SendMessageBatch calls of 10 messages, one after the other, to the no-op endpoint (0 ms: CPU
bound, which is what matters under the GIL; 20 ms: latency bound). boto3's senders are threads
(how a boto3 client is used); ours are tasks on one event loop, as the writer runs them
(python_backend/call_loop.py), and, to show what that is worth, threads too. Prints messages/s,
CPU per call and the ratios, measured in one run.

    .venv/bin/python benchmarks/python_clients.py        (make bench runs it too)
"""
import asyncio
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


def on_threads(send, queue_url: str):
    """(msg/s, CPU us per call) of THREADS threads calling send(), a blocking call."""
    deadline = time.monotonic() + SECONDS
    sent = [0]
    lock = threading.Lock()

    def worker():
        while time.monotonic() < deadline:
            send(QueueUrl=queue_url, Entries=ENTRIES)
            with lock:
                sent[0] += len(ENTRIES)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    cpu = time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return _rates(sent[0], cpu)


def on_a_loop(client: SqsHttpClient, queue_url: str):
    """(msg/s, CPU us per call) of THREADS tasks on one event loop calling our client."""
    async def senders():
        deadline = time.monotonic() + SECONDS
        sent = [0]

        async def sender():
            while time.monotonic() < deadline:
                await client.send_message_batch(QueueUrl=queue_url, Entries=ENTRIES)
                sent[0] += len(ENTRIES)

        await asyncio.gather(*(sender() for _ in range(THREADS)))
        client.close()
        return sent[0]

    cpu = time.process_time()
    return _rates(asyncio.run(senders()), cpu)


def _rates(sent: int, cpu_started: float):
    calls = sent / len(ENTRIES)
    return sent / SECONDS, (time.process_time() - cpu_started) / calls * 1e6


def blocking(client: SqsHttpClient):
    """Our client's call as a blocking one: each thread runs it on a loop of its own."""
    local = threading.local()

    def send(**arguments):
        if not hasattr(local, "loop"):
            local.loop = asyncio.new_event_loop()
        return local.loop.run_until_complete(client_of_thread(local).send_message_batch(
            **arguments))

    def client_of_thread(state):
        if not hasattr(state, "client"):
            state.client = client()
        return state.client

    return send


def main() -> None:
    endpoint.build()
    session = boto3.Session(aws_access_key_id="bench", aws_secret_access_key="bench-secret")
    for latency in (0, 20):
        noop = endpoint.NoopEndpoint(latency)
        try:
            boto = session.client("sqs", region_name="us-east-1", endpoint_url=noop.url,
                                  config=Config(max_pool_connections=THREADS,
                                                retries={"total_max_attempts": 1}))
            ours = lambda: SqsHttpClient(session, "us-east-1", noop.url)  # noqa: E731
            boto_rate, boto_cpu = on_threads(boto.send_message_batch, noop.queue_url)
            our_rate, our_cpu = on_a_loop(ours(), noop.queue_url)
            threaded_rate, threaded_cpu = on_threads(blocking(ours), noop.queue_url)
        finally:
            noop.stop()
        print(f"{latency:>2} ms endpoint, {THREADS} senders: boto3 client on threads "
              f"{boto_rate:,.0f} msg/s ({boto_cpu:,.0f} us CPU a call); the Python backend's "
              f"client on one loop {our_rate:,.0f} msg/s ({our_cpu:,.0f} us), "
              f"{our_rate / boto_rate:.2f}x boto3; the same client on threads "
              f"{threaded_rate:,.0f} msg/s ({threaded_cpu:,.0f} us)", flush=True)


if __name__ == "__main__":
    main()
