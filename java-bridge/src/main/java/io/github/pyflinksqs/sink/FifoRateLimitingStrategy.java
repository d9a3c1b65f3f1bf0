package io.github.pyflinksqs.sink;

import org.apache.flink.connector.base.sink.writer.strategy.RateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.ResultInfo;

/**
 * Flink's AIMD rate limiting, with one change for FIFO queues: the next batch is whatever is
 * buffered (at most max_batch_size and what AIMD allows), so a batch goes out as soon as a call
 * may start, instead of when max_batch_size entries or the buffer timer are reached.
 *
 * <p>Why: AsyncSinkWriter flushes when its buffer holds a batch's count (or bytes), else when
 * max_time_in_buffer_ms passes. On a FIFO queue its buffer holds at most one entry per message
 * group ({@link FifoOrder}), so with fewer than max_batch_size busy groups it would never hold
 * a full batch, and each group would move one message per buffer timeout (5 s by default).
 * Batches still fill up while every call slot is busy.
 */
final class FifoRateLimitingStrategy implements RateLimitingStrategy {
    private final RateLimitingStrategy aimd;
    private final BufferedCount buffered;

    FifoRateLimitingStrategy(RateLimitingStrategy aimd, BufferedCount buffered) {
        this.aimd = aimd;
        this.buffered = buffered;
    }

    @Override
    public void registerInFlightRequest(RequestInfo requestInfo) {
        aimd.registerInFlightRequest(requestInfo);
    }

    @Override
    public void registerCompletedRequest(ResultInfo resultInfo) {
        aimd.registerCompletedRequest(resultInfo);
    }

    @Override
    public boolean shouldBlock(RequestInfo requestInfo) {
        return aimd.shouldBlock(requestInfo);
    }

    @Override
    public int getMaxBatchSize() {
        return Math.min(aimd.getMaxBatchSize(), Math.max(1, buffered.get()));
    }
}
