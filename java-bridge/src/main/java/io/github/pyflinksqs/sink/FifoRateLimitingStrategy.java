package io.github.pyflinksqs.sink;

import org.apache.flink.connector.base.sink.writer.strategy.RateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.ResultInfo;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flink's AIMD rate limiting, with one change for FIFO queues: a batch smaller than max_batch_size
 * may go out when no call awaits an answer, and right after a call was answered or completed (the
 * batch then holds everything buffered); otherwise only full batches go, as usual.
 *
 * <p>Why: AsyncSinkWriter flushes when its buffer holds a batch's count (or bytes), else when
 * max_time_in_buffer_ms passes. On a FIFO queue its buffer holds at most one entry per message
 * group ({@link FifoOrder}), so with fewer than max_batch_size busy groups it would never hold a
 * full batch and each group would move one message per buffer timeout (5 s by default). Sending
 * every entry at once instead made one call per message (measured: 1,200 calls for 1,200 messages
 * in 10 groups), because groups freed by different calls never share one again. Flushing at each
 * completion lets the groups a call freed go out together with whatever came meanwhile: each group
 * still moves one message per round trip, in as few calls as that allows. Flink calls this object
 * on the mailbox thread; {@link #answered} comes from HTTP threads.
 */
final class FifoRateLimitingStrategy implements RateLimitingStrategy {
    private final RateLimitingStrategy aimd;
    private final BufferedCount buffered;
    // Requests whose calls SQS has not answered yet. A request waiting out a backoff before
    // its failed entries go back is answered: the groups it delivered must not wait for it.
    private final AtomicInteger unanswered = new AtomicInteger();
    private volatile boolean justAnswered;
    private boolean justCompleted;

    FifoRateLimitingStrategy(RateLimitingStrategy aimd, BufferedCount buffered) {
        this.aimd = aimd;
        this.buffered = buffered;
    }

    @Override
    public void registerInFlightRequest(RequestInfo requestInfo) {
        unanswered.incrementAndGet();
        justAnswered = false;
        justCompleted = false;
        aimd.registerInFlightRequest(requestInfo);
    }

    /** Every call of a request was answered (from the HTTP client's thread). */
    void answered() {
        unanswered.decrementAndGet();
        justAnswered = true;
    }

    @Override
    public void registerCompletedRequest(ResultInfo resultInfo) {
        justCompleted = true;
        aimd.registerCompletedRequest(resultInfo);
    }

    @Override
    public boolean shouldBlock(RequestInfo requestInfo) {
        return aimd.shouldBlock(requestInfo);
    }

    @Override
    public int getMaxBatchSize() {
        int full = aimd.getMaxBatchSize();
        boolean partial = unanswered.get() <= 0 || justAnswered || justCompleted;
        return partial ? Math.min(full, Math.max(1, buffered.get())) : full;
    }
}
