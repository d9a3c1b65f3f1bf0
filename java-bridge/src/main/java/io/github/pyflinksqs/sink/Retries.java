package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.config.GeneratedResource;

/**
 * How the Java backend paces sending again what failed: the numbers of pyflink_sqs/retries.py,
 * which the jar build writes into retries.properties, so both backends use the same numbers.
 */
final class Retries {
    private static final GeneratedResource VALUES =
            GeneratedResource.load("/io/github/pyflinksqs/retries.properties");

    /** Full jitter: a delay drawn from [0, min(cap, base * 2^attempt)] (see {@link Backoff}). */
    static final long BACKOFF_BASE_MILLIS = VALUES.integer("backoff-base-millis");

    static final long BACKOFF_CAP_MILLIS = VALUES.integer("backoff-cap-millis");

    /** Answers with a wrong digest of one entry before the job fails (see AnswerSorter). */
    static final int MD5_ATTEMPTS = VALUES.integer("md5-attempts");

    private Retries() {}
}
