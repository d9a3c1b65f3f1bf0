package io.github.pyflinksqs.sink;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many entries wait in AsyncSinkWriter's buffer (not in a call). AsyncSinkWriter keeps its
 * buffer private on Flink 1.20 and 2.0, so the writer counts what it puts in (a write, a re-queue
 * after a failure) and takes out (a call): the bufferedRecords gauge, and on FIFO queues the size
 * of the next batch ({@link FifoRateLimitingStrategy}). A request Flink times out is re-queued
 * without us: the count can then be low, which only makes batches smaller.
 */
final class BufferedCount {
    private final AtomicInteger entries = new AtomicInteger();

    void added(int count) {
        entries.addAndGet(count);
    }

    void taken(int count) {
        entries.addAndGet(-count);
    }

    int get() {
        return Math.max(0, entries.get());
    }
}
