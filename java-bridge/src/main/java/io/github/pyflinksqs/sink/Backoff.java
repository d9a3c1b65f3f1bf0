package io.github.pyflinksqs.sink;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS Architecture Blog;
 * botocore's standard retry mode): before attempt n+1 of an entry, a delay drawn from [0, min(cap,
 * base * 2^n)]. Counted per entry, so one failing call does not slow the others.
 */
final class Backoff {
    private final long baseMillis;
    private final long capMillis;

    Backoff(long baseMillis, long capMillis) {
        this.baseMillis = baseMillis;
        this.capMillis = capMillis;
    }

    /** The delay before sending again what failed at its attempt-th send (0 = the first). */
    long delayMillis(int attempt) {
        return ThreadLocalRandom.current().nextLong(ceilingMillis(attempt) + 1);
    }

    long ceilingMillis(int attempt) {
        // 2^20 * 50 ms is far over any cap: the shift cannot overflow.
        return Math.min(capMillis, baseMillis << Math.min(Math.max(attempt, 0), 20));
    }

    long capMillis() {
        return capMillis;
    }
}
