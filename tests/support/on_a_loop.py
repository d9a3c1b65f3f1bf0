"""Runs coroutines to their end on one event loop that a test keeps: the Python backend's SQS
client keeps its connections between calls, and they belong to the loop that opened them."""
import asyncio


class OnALoop:
    def __init__(self):
        self.loop = asyncio.new_event_loop()

    def __call__(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    def close(self) -> None:
        self.loop.close()
