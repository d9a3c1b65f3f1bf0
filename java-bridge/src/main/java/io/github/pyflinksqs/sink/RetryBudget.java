package io.github.pyflinksqs.sink;

/**
 * The retry quota of botocore's standard retry mode and the AWS SDK for Java v2 (a token bucket
 * shared by a client's calls): 500 tokens; a retry after a failed answer takes 5, a retry after no
 * answer (reset, timeout) takes 10; a call that succeeds gives back what its retry took, or 1 when
 * it was not a retry. The SDKs stop retrying when the bucket is empty; a streaming sink must not
 * fail a job for a transient error, so here an empty bucket means the retry waits the backoff cap
 * (5 s) instead of a short jittered delay: under persistent throttling each subtask's calls slow
 * down to one retry per call per 5 s, and AsyncSinkWriter's AIMD limit lowers how many records are
 * in flight, until SQS recovers.
 */
final class RetryBudget {
    static final int CAPACITY = 500;
    static final int RETRY_COST = 5;
    static final int NO_ANSWER_RETRY_COST = 10;
    static final int SUCCESS_REFILL = 1;

    private int tokens = CAPACITY;

    /** Takes the cost of one retry; false when the bucket cannot pay it (nothing is taken). */
    synchronized boolean tryAcquire(boolean noAnswer) {
        int cost = noAnswer ? NO_ANSWER_RETRY_COST : RETRY_COST;
        if (tokens < cost) {
            return false;
        }
        tokens -= cost;
        return true;
    }

    /** A call succeeded; `retried` when what it sent had failed before. */
    synchronized void onSuccess(boolean retried) {
        tokens = Math.min(CAPACITY, tokens + (retried ? RETRY_COST : SUCCESS_REFILL));
    }

    synchronized int tokens() {
        return tokens;
    }
}
