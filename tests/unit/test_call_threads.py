import threading

from tests.support.waiting import wait_until

from pyflink_sqs.python_backend.call_threads import CallThreads


def test_calls_run_on_at_most_size_daemon_threads_which_are_reused():
    threads = CallThreads(3, "t")
    names, release, done = set(), threading.Event(), threading.Semaphore(0)

    def call(n):
        names.add(threading.current_thread().name)
        assert threading.current_thread().daemon
        release.wait(10)
        done.release()

    for n in range(5):
        threads.submit(call, n)
    # Three calls at once, each on its own thread; the other two wait for a free one. (Waiting
    # for this before the release: a thread started but not yet scheduled could otherwise find
    # every call already taken by the other two, seen once on a busy machine.)
    wait_until(lambda: len(names) == 3, timeout=10, what="three calls running at once")
    assert names == {"t_0", "t_1", "t_2"}
    release.set()
    for _ in range(5):
        assert done.acquire(timeout=10)
    for n in range(20):  # one at a time: the idle threads take them, no new thread starts
        threads.submit(call, n)
        assert done.acquire(timeout=10)
    assert names == {"t_0", "t_1", "t_2"}
    threads.shutdown()


def test_shutdown_drops_calls_not_started_and_ends_the_threads():
    threads = CallThreads(1, "shutdown-test")
    started, release, ran = threading.Event(), threading.Event(), []

    def blocking():
        started.set()
        release.wait(10)

    threads.submit(blocking)
    assert started.wait(10)
    threads.submit(ran.append, "dropped")
    threads.shutdown()
    release.set()
    wait_until(lambda: not [t for t in threading.enumerate()
                            if t.name.startswith("shutdown-test_")],
               10, "the call thread did not end")
    assert ran == []
