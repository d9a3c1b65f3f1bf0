package io.github.pyflinksqs.sink;

import java.util.ArrayDeque;

/**
 * Starts at most {@code limit} requests at once (max_in_flight_requests); a request submitted
 * beyond that waits, in order, and starts on the thread that ends a running one: an HTTP client's
 * thread when SQS answered, the retry timer's after a backoff.
 *
 * <p>Why: AsyncSinkWriter starts its next batch only in a mail, on the task thread, after it heard
 * of an answer. With a Python map chained in front, that thread waits in PyFlink's bundle ends
 * (BeamPythonFunctionRunner.takeResult) for the Python worker, and answers queue up in its mailbox
 * meanwhile: 41.7 of 50 calls in flight on average (p10 4) against 49.0 without the map, at 20 ms
 * (benchmarks/in_flight.py, 2026-12-07). So on a standard queue the writer lets AsyncSinkWriter
 * form up to three times max_in_flight_requests requests ({@link SqsSink#writerRequestLimit}), and
 * this gate keeps the calls to max_in_flight_requests: the requests formed ahead start the moment a
 * call ends, with no mail in between.
 *
 * <p>A started request must end exactly once, else the gate stops; {@code start} must not throw.
 */
final class RequestGate {
    private final int limit;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    RequestGate(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a gate for " + limit + " requests");
        }
        this.limit = limit;
    }

    /** Runs {@code start} now if fewer than the limit run, else when one ends. */
    void submit(Runnable start) {
        synchronized (this) {
            if (running >= limit) {
                waiting.add(start);
                return;
            }
            running++;
        }
        start.run();
    }

    /**
     * A started request ended: the first waiting one starts, on this thread. A start that ends at
     * once (a call that fails before it is sent) starts the next within it: at most as deep as the
     * requests waiting, which AsyncSinkWriter bounds.
     */
    void ended() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
                return;
            }
        }
        next.run();
    }
}
