"""The writer's call loop (python_backend/call_loop.py): calls begin at a turn, run_until()
returns once what it waits for holds, and a writer closed on another thread while the worker
waits in it ends that wait with an error instead of holding the worker for ever."""
import asyncio
import threading

import pytest

from pyflink_sqs.python_backend.call_loop import CallLoop, WriterClosed


def test_a_call_begins_at_the_next_turn_and_run_until_returns_once_it_has_ended():
    calls, events, answer = CallLoop(), [], threading.Event()

    async def call(name):
        events.append(f"{name} began")
        while not answer.is_set():
            await asyncio.sleep(0.005)
        events.append(f"{name} ended")
        calls.progress()

    calls.start(call, "a")
    assert events == []  # not before the worker runs the loop
    calls.turn()
    assert events == ["a began"]
    threading.Timer(0.05, answer.set).start()
    calls.run_until(lambda: "a ended" in events)
    assert events == ["a began", "a ended"]
    cleaned = []
    calls.shutdown(lambda: cleaned.append(True))
    assert cleaned == [True]


def test_closing_on_another_thread_ends_the_workers_wait_with_an_error_and_cancels_calls():
    calls, cancelled, cleaned = CallLoop(), [], []

    async def never_answered():
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    calls.start(never_answered)
    threading.Timer(0.1, calls.shutdown, args=(lambda: cleaned.append(True),)).start()
    with pytest.raises(WriterClosed):
        calls.run_until(lambda: False)
    assert cancelled == [True] and cleaned == [True]
