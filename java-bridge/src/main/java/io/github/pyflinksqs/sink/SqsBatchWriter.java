package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.auth.MissingCredentialsException;
import io.github.pyflinksqs.client.BatchEntryFailure;
import io.github.pyflinksqs.client.SendMessageBatchResult;
import io.github.pyflinksqs.client.SqsClient;
import io.github.pyflinksqs.client.SqsServiceException;
import io.github.pyflinksqs.errors.ErrorAction;
import io.github.pyflinksqs.errors.ErrorClassifier;
import io.github.pyflinksqs.errors.ErrorRule;

import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.DequeRequestBuffer;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends the batches that {@link AsyncSinkWriter} forms (it owns buffering, batching by count
 * and bytes, the flush timer, in-flight limits with AIMD rate limiting, and snapshotting),
 * one SendMessageBatch call each, and decides per the table of pyflink_sqs/error_codes.py:
 * transient failures go back to the buffer after a jittered backoff (the call stays in flight
 * meanwhile, so a checkpoint waits for it and the rate limiter sees the failures), fatal ones
 * fail the job with what to check, and records SQS will never accept follow the policy.
 */
class SqsBatchWriter extends AsyncSinkWriter<SqsMessageEntry, SqsMessageEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(SqsBatchWriter.class);
    static final long BACKOFF_BASE_MILLIS = 50;
    static final long BACKOFF_CAP_MILLIS = 5_000;
    private static final long WARNING_INTERVAL_MILLIS = 60_000;

    private final WriterSettings settings;
    private final SqsClient client;
    private final SqsSinkMetrics metrics;
    private final DeadLetters deadLetters;
    private final Backoff backoff = new Backoff(BACKOFF_BASE_MILLIS, BACKOFF_CAP_MILLIS);
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, WARNING_INTERVAL_MILLIS);
    private final ScheduledExecutorService retryTimer;
    // Null unless the queue is FIFO: then batches keep each message group in order.
    private final FifoRequestBuffer fifoBuffer;
    private final MailboxExecutor mailbox;

    SqsBatchWriter(
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<SqsMessageEntry>> states,
            WriterSettings settings,
            SqsClient client,
            SqsSinkMetrics metrics) {
        this(context, configuration, states, settings, client, metrics,
                settings.fifo ? new FifoRequestBuffer() : null);
    }

    private SqsBatchWriter(
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<SqsMessageEntry>> states,
            WriterSettings settings,
            SqsClient client,
            SqsSinkMetrics metrics,
            FifoRequestBuffer fifoBuffer) {
        super(
                new Identity(),
                context,
                configuration,
                states,
                fifoBuffer != null
                        ? new FifoBatchCreator(
                                configuration.getMaxBatchSizeInBytes(),
                                context.getMailboxExecutor())
                        : new DestinationBatchCreator(configuration.getMaxBatchSizeInBytes()),
                fifoBuffer != null ? fifoBuffer : new DequeRequestBuffer<>());
        this.fifoBuffer = fifoBuffer;
        this.mailbox = context.getMailboxExecutor();
        this.settings = settings;
        this.client = client;
        this.metrics = metrics;
        this.deadLetters = new DeadLetters(settings.queueUrl, settings.maxRecordSizeInBytes);
        this.retryTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pyflink-sqs-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Entries come in converted: {@link SqsSinkWriter} converts and applies the policy. */
    private static final class Identity implements ElementConverter<SqsMessageEntry, SqsMessageEntry> {
        private static final long serialVersionUID = 1L;

        @Override
        public SqsMessageEntry apply(SqsMessageEntry entry, SinkWriter.Context context) {
            return entry;
        }
    }

    @Override
    protected void submitRequestEntries(
            List<SqsMessageEntry> entries, ResultHandler<SqsMessageEntry> flinkResultHandler) {
        ResultHandler<SqsMessageEntry> resultHandler =
                fifoBuffer == null ? flinkResultHandler : releasingGroups(flinkResultHandler, entries);
        String target = entries.get(0).isDeadLetter() ? settings.deadLetterQueueUrl : settings.queueUrl;
        metrics.callStarted(entries.size());
        long started = System.nanoTime();
        client.sendMessageBatch(target, entries)
                .whenComplete(
                        (result, error) -> {
                            metrics.callFinished((System.nanoTime() - started) / 1_000_000);
                            try {
                                if (error != null) {
                                    onCallFailed(unwrap(error), entries, target, resultHandler);
                                } else {
                                    onAnswer(result, entries, target, resultHandler);
                                }
                            } catch (RuntimeException e) {
                                // Never leave a call unanswered: the next checkpoint would wait
                                // for it forever.
                                resultHandler.completeExceptionally(e);
                            }
                        });
    }

    /**
     * Frees the call's message groups once its outcome is in the buffer: the result handler
     * queues a mail that puts retried entries back at the head of their groups; ours, queued
     * after it from the same thread, runs after it (the mailbox is FIFO).
     */
    private ResultHandler<SqsMessageEntry> releasingGroups(
            ResultHandler<SqsMessageEntry> handler, List<SqsMessageEntry> entries) {
        return new ResultHandler<SqsMessageEntry>() {
            @Override
            public void complete() {
                handler.complete();
                release();
            }

            @Override
            public void completeExceptionally(Exception e) {
                handler.completeExceptionally(e);
                release();
            }

            @Override
            public void retryForEntries(List<SqsMessageEntry> requeue) {
                handler.retryForEntries(requeue);
                release();
            }

            private void release() {
                mailbox.execute(() -> fifoBuffer.release(entries), "release SQS message groups");
            }
        };
    }

    @Override
    protected long getSizeInBytes(SqsMessageEntry entry) {
        return entry.sizeInBytes();
    }

    private void onCallFailed(
            Throwable error,
            List<SqsMessageEntry> entries,
            String target,
            ResultHandler<SqsMessageEntry> resultHandler) {
        metrics.failed(entries.size());
        ErrorRule rule = classify(error);
        if (settings.failOnError || !rule.action().isTransient()) {
            resultHandler.completeExceptionally(
                    new SqsSinkException(
                            "SqsSink cannot send to " + target + ": " + error.getMessage()
                                    + (rule.hint().isEmpty() ? "" : "; " + rule.hint())
                                    + (settings.failOnError && rule.action().isTransient()
                                            ? " (a transient error, but fail_on_error is set)"
                                            : ""),
                            error));
            return;
        }
        warnings.warn(
                codeOf(error),
                "SendMessageBatch to " + target + " failed (" + error + "); retrying "
                        + entries.size() + " records after a backoff");
        retryLater(resultHandler, entries, entries.size());
    }

    private void onAnswer(
            SendMessageBatchResult result,
            List<SqsMessageEntry> entries,
            String target,
            ResultHandler<SqsMessageEntry> resultHandler) {
        if (result.failed().isEmpty()) {
            backoff.reset();
            metrics.sent(entries.size(), totalBytes(entries));
            resultHandler.complete();
            return;
        }
        metrics.failed(result.failed().size());
        List<SqsMessageEntry> requeue = new ArrayList<>();
        boolean[] failed = new boolean[entries.size()];
        int transientFailures = 0;
        for (BatchEntryFailure failure : result.failed()) {
            if (failure.index() < 0 || failure.index() >= entries.size() || failed[failure.index()]) {
                resultHandler.completeExceptionally(new SqsSinkException(
                        "SQS reported a failed entry with an Id this sink did not send ("
                                + failure + "); cannot tell which record to retry"));
                return;
            }
            failed[failure.index()] = true;
            SqsMessageEntry entry = entries.get(failure.index());
            ErrorRule rule = ErrorClassifier.classifyEntry(failure.code(), failure.senderFault());
            String what = describe(entry, target, failure);
            if (settings.failOnError) {
                resultHandler.completeExceptionally(
                        new SqsSinkException(what + " (fail_on_error is set)"));
                return;
            }
            if (rule.action().isTransient()) {
                transientFailures++;
                requeue.add(entry);
                warnings.warn(failure.code(), what + "; retrying it after a backoff");
            } else if (rule.action() == ErrorAction.FATAL || entry.isDeadLetter()) {
                resultHandler.completeExceptionally(new SqsSinkException(
                        what + (rule.hint().isEmpty() ? "" : "; " + rule.hint())));
                return;
            } else {
                SqsMessageEntry copy = onRejected(entry, failure, what);
                if (copy != null) {
                    requeue.add(copy);
                }
            }
        }
        List<SqsMessageEntry> delivered = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            if (!failed[i]) {
                delivered.add(entries.get(i));
            }
        }
        metrics.sent(delivered.size(), totalBytes(delivered));
        if (transientFailures > 0) {
            retryLater(resultHandler, requeue, transientFailures);
        } else {
            backoff.reset();
            metrics.buffered(requeue.size());
            resultHandler.retryForEntries(requeue);
        }
    }

    /** A record SQS refused for good: null when it is dropped, else its dead-letter copy. */
    private SqsMessageEntry onRejected(
            SqsMessageEntry entry, BatchEntryFailure failure, String what) {
        switch (settings.rejectedRecordPolicy) {
            case SKIP:
                metrics.rejected();
                warnings.warn("skip:" + failure.code(), what + "; skipped (rejected_record_policy=skip)");
                return null;
            case DEAD_LETTER:
                metrics.deadLettered();
                warnings.warn("dlq:" + failure.code(),
                        what + "; sent to the dead-letter queue " + settings.deadLetterQueueUrl);
                return deadLetters.copyOf(
                        entry.body().getBytes(StandardCharsets.UTF_8), entry.body(),
                        new Rejection(failure.code(), failure.message()), entry.position());
            default:
                throw new RecordRejectedException(
                        what + ". Set rejected_record_policy to 'skip' or 'dead_letter' to keep "
                                + "the job running past such records");
        }
    }

    private void retryLater(
            ResultHandler<SqsMessageEntry> resultHandler,
            List<SqsMessageEntry> requeue,
            int retried) {
        long delay = backoff.nextDelayMillis();
        retryTimer.schedule(
                () -> {
                    metrics.retried(retried);
                    metrics.buffered(requeue.size() - retried);
                    resultHandler.retryForEntries(requeue);
                },
                delay,
                TimeUnit.MILLISECONDS);
    }

    private static String describe(SqsMessageEntry entry, String target, BatchEntryFailure failure) {
        return "SQS refused "
                + (entry.position() >= 0 ? "record " + entry.position() : "a record")
                + " (" + entry.sizeInBytes() + " bytes) sent to " + target + ": "
                + failure.code() + (failure.message().isEmpty() ? "" : " (" + failure.message() + ")");
    }

    static ErrorRule classify(Throwable error) {
        if (error instanceof SqsServiceException) {
            SqsServiceException e = (SqsServiceException) error;
            return ErrorClassifier.classifyRequest(e.statusCode(), e.code(), e.queryCode());
        }
        if (hasCause(error, UnknownHostException.class)
                || hasCause(error, UnresolvedAddressException.class)) {
            return ErrorClassifier.classifyRequest(400, "", "");
        }
        if (hasCause(error, javax.net.ssl.SSLHandshakeException.class)
                || hasCause(error, javax.net.ssl.SSLPeerUnverifiedException.class)) {
            return ErrorClassifier.classifyRequest(0, ErrorClassifier.TLS_NOT_TRUSTED, "");
        }
        if (error instanceof IOException) {
            return ErrorClassifier.classifyRequest(0, "", "");
        }
        if (error instanceof MissingCredentialsException) {
            return ErrorClassifier.classifyRequest(403, "", "");
        }
        return ErrorClassifier.classifyRequest(400, "", "");
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String codeOf(Throwable error) {
        return error instanceof SqsServiceException
                ? ((SqsServiceException) error).code()
                : error.getClass().getSimpleName();
    }

    private static long totalBytes(List<SqsMessageEntry> entries) {
        long bytes = 0;
        for (SqsMessageEntry entry : entries) {
            bytes += entry.sizeInBytes();
        }
        return bytes;
    }

    private static Throwable unwrap(Throwable error) {
        while (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    @Override
    public void close() {
        retryTimer.shutdownNow();
        client.close();
    }
}
