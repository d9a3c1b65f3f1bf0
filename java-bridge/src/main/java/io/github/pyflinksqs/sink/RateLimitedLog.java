package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.config.GeneratedResource;

import org.slf4j.Logger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one WARNING per key (an error code) per interval, with how many were left out: a
 * throttled or poisoned stream must not write one line per record.
 */
final class RateLimitedLog {
    /** pyflink_sqs/python_backend/rate_limited_log.py INTERVAL_SECONDS, generated into the jar. */
    static final long INTERVAL_MILLIS =
            GeneratedResource.load("/io/github/pyflinksqs/rate-limited-log.properties")
                    .integer("interval-millis");

    private final Logger log;
    private final long intervalMillis;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalMillis = intervalMillis;
    }

    void warn(String key, String message) {
        long now = System.currentTimeMillis();
        Window window = windows.computeIfAbsent(key, k -> new Window());
        synchronized (window) {
            if (window.lastLoggedAt != 0 && now - window.lastLoggedAt < intervalMillis) {
                window.suppressed.incrementAndGet();
                return;
            }
            long suppressed = window.suppressed.getAndSet(0);
            window.lastLoggedAt = now;
            log.warn(
                    suppressed == 0
                            ? message
                            : message
                                    + " (and "
                                    + suppressed
                                    + " more like it since the last report)");
        }
    }

    private static final class Window {
        long lastLoggedAt;
        final AtomicLong suppressed = new AtomicLong();
    }
}
