package io.github.pyflinksqs.sink;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS Architecture
 * Blog): a delay drawn from [0, min(cap, base * 2^failures)]. Failures count consecutive failed
 * calls of the subtask and reset at the first call that fully succeeds.
 */
final class Backoff {
    private final long baseMillis;
    private final long capMillis;
    private final AtomicInteger failures = new AtomicInteger();

    Backoff(long baseMillis, long capMillis) {
        this.baseMillis = baseMillis;
        this.capMillis = capMillis;
    }

    long nextDelayMillis() {
        int attempt = Math.min(failures.getAndIncrement(), 30);
        long ceiling = Math.min(capMillis, baseMillis << Math.min(attempt, 20));
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    void reset() {
        failures.set(0);
    }
}
