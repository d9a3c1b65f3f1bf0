package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.client.S3PayloadClient;
import io.github.pyflinksqs.client.S3ServiceException;
import io.github.pyflinksqs.config.LargePayloadOffload;
import io.github.pyflinksqs.errors.ErrorClassifier;
import io.github.pyflinksqs.errors.ErrorRule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Puts the bodies of offloaded entries into S3 (large-payload offload), each acknowledged before
 * its entry is handed on to be sent, and makes each entry the pointer message the Extended Client
 * reads. Errors are decided by pyflink_sqs/error_codes.py (S3_RULES): transient ones are retried
 * after a backoff, others fail the job naming the bucket and key.
 */
final class PayloadOffloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PayloadOffloader.class);
    private static final long WARNING_INTERVAL_MILLIS = RateLimitedLog.INTERVAL_MILLIS;

    private final S3PayloadClient client;
    private final LargePayloadOffload offload;
    private final boolean failOnError;
    private final SqsSinkMetrics metrics;
    private final Backoff backoff =
            new Backoff(SqsSinkWriter.BACKOFF_BASE_MILLIS, SqsSinkWriter.BACKOFF_CAP_MILLIS);
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, WARNING_INTERVAL_MILLIS);
    private final ScheduledExecutorService retryTimer;

    PayloadOffloader(
            S3PayloadClient client,
            LargePayloadOffload offload,
            boolean failOnError,
            SqsSinkMetrics metrics) {
        this.client = client;
        this.offload = offload;
        this.failOnError = failOnError;
        this.metrics = metrics;
        this.retryTimer =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "pyflink-sqs-s3-retry");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /**
     * Puts the entry's body under key; completes with the pointer entry, or exceptionally with an
     * {@link SqsSinkException} that names bucket, key and record. Never completes before S3
     * acknowledged the object.
     */
    CompletableFuture<SqsMessageEntry> offload(SqsMessageEntry entry, String key) {
        byte[] body = entry.body().getBytes(StandardCharsets.UTF_8);
        CompletableFuture<SqsMessageEntry> done = new CompletableFuture<>();
        put(entry, key, body, 0, done);
        return done;
    }

    private void put(
            SqsMessageEntry entry,
            String key,
            byte[] body,
            int attempt,
            CompletableFuture<SqsMessageEntry> done) {
        client.putObject(offload.bucket(), key, body)
                .whenComplete(
                        (ok, error) -> {
                            if (error == null) {
                                metrics.offloaded(body.length);
                                done.complete(pointerEntry(entry, offload, key, body.length));
                                return;
                            }
                            Throwable cause = unwrap(error);
                            ErrorRule rule = classify(cause);
                            boolean retryable = rule.action().isTransient();
                            String what =
                                    "SqsSink cannot put the body of "
                                            + entry.describe()
                                            + " to s3://"
                                            + offload.bucket()
                                            + "/"
                                            + key
                                            + ": "
                                            + cause.getMessage();
                            if (failOnError || !retryable) {
                                done.completeExceptionally(
                                        new SqsSinkException(
                                                what
                                                        + (rule.hint().isEmpty()
                                                                ? ""
                                                                : "; " + rule.hint())
                                                        + (retryable
                                                                ? " (a transient error, but "
                                                                        + "fail_on_error is set)"
                                                                : ""),
                                                cause));
                                return;
                            }
                            warnings.warn(
                                    "S3 " + codeOf(cause), what + "; retrying after a backoff");
                            retryTimer.schedule(
                                    () -> put(entry, key, body, attempt + 1, done),
                                    backoff.delayMillis(attempt),
                                    TimeUnit.MILLISECONDS);
                        });
    }

    /** The entry as sent once its body is in S3 under key: pointer body, size attribute. */
    static SqsMessageEntry pointerEntry(
            SqsMessageEntry entry, LargePayloadOffload offload, String key, int bodyBytes) {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>(entry.attributes());
        attributes.put(
                offload.sizeAttribute(),
                MessageAttribute.of(
                        LargePayloadOffload.SIZE_ATTRIBUTE_TYPE,
                        Integer.toString(bodyBytes),
                        null));
        return entry.offloaded(offload.pointer(key), attributes);
    }

    static ErrorRule classify(Throwable error) {
        if (error instanceof S3ServiceException) {
            S3ServiceException e = (S3ServiceException) error;
            return ErrorClassifier.classifyS3(e.statusCode(), e.code());
        }
        // No answer from S3: the same kinds, and rules, as a SendMessageBatch call without one.
        return ErrorClassifier.classifyCallFailure(SqsSinkWriter.failureKind(error));
    }

    private static String codeOf(Throwable error) {
        return error instanceof S3ServiceException
                ? ((S3ServiceException) error).code()
                : error.getClass().getSimpleName();
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
