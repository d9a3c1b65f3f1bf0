package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.auth.MissingCredentialsException;
import io.github.pyflinksqs.client.SendMessageBatchResult;
import io.github.pyflinksqs.client.SqsClient;
import io.github.pyflinksqs.client.SqsServiceException;
import io.github.pyflinksqs.errors.ErrorClassifier;
import io.github.pyflinksqs.errors.ErrorRule;

import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends the batches {@link AsyncSinkWriter} forms (it owns buffering, batching by count and bytes,
 * the flush timer, in-flight limits with AIMD rate limiting, the request timeout and snapshotting)
 * and decides, per entry, by the table of pyflink_sqs/error_codes.py: delivered; sent again after a
 * backoff counted per entry and paid from a {@link RetryBudget} (the request stays in flight
 * meanwhile, so a checkpoint waits for it and AIMD sees the failure); refused for good (the
 * rejected-record policy applies); or fatal (the job fails saying what to check).
 *
 * <p>One request may become several calls: a SendMessageBatch call goes to one queue, and a batch
 * may hold entries for the sink's queue and dead-letter copies (or, later, other queues). The
 * request completes when all its calls have.
 *
 * <p>AsyncSinkWriter may form more requests than max_in_flight_requests on a standard queue ({@link
 * SqsSink#writerRequestLimit}); a {@link RequestGate} starts at most max_in_flight_requests at
 * once, the next when one ends, on the thread that ended it.
 *
 * <p>Entries come in converted (see {@link SqsAdmissionWriter}, which converts, applies the policy
 * and keeps FIFO order before entries reach this writer's buffer): its element converter is the
 * identity.
 */
class SqsSinkWriter extends AsyncSinkWriter<SqsMessageEntry, SqsMessageEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(SqsSinkWriter.class);
    static final long BACKOFF_BASE_MILLIS = Retries.BACKOFF_BASE_MILLIS;
    static final long BACKOFF_CAP_MILLIS = Retries.BACKOFF_CAP_MILLIS;
    private static final long WARNING_INTERVAL_MILLIS = RateLimitedLog.INTERVAL_MILLIS;
    static final SinkWriter.Context NO_CONTEXT =
            new SinkWriter.Context() {
                @Override
                public long currentWatermark() {
                    return Long.MIN_VALUE;
                }

                @Override
                public Long timestamp() {
                    return null;
                }
            };

    private final WriterSettings settings;
    private final SqsClient client;
    private final SqsSinkMetrics metrics;
    private final BufferedCount buffered;
    private final DeadLetters deadLetters;
    private final Backoff backoff = new Backoff(BACKOFF_BASE_MILLIS, BACKOFF_CAP_MILLIS);
    private final RetryBudget budget = new RetryBudget();
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, WARNING_INTERVAL_MILLIS);
    private final ScheduledExecutorService retryTimer;
    private final RequestGate gate;
    private final MailboxExecutor mailbox;
    // Told, on the mailbox thread, of entries that left for good (delivered or dropped by the
    // policy): FIFO ordering frees their groups. Null for standard queues.
    private final FinishedListener onFinished;
    // Null for standard queues: told when a request's calls were all answered.
    private final FifoRateLimitingStrategy fifoRateLimiting;

    SqsSinkWriter(
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<SqsMessageEntry>> states,
            WriterSettings settings,
            SqsClient client,
            SqsSinkMetrics metrics,
            BufferedCount buffered,
            FinishedListener onFinished,
            int maxCallsInFlight) {
        super(new Identity(), context, configuration, states);
        this.gate = new RequestGate(maxCallsInFlight);
        this.fifoRateLimiting =
                configuration.getRateLimitingStrategy() instanceof FifoRateLimitingStrategy
                        ? (FifoRateLimitingStrategy) configuration.getRateLimitingStrategy()
                        : null;
        this.settings = settings;
        this.client = client;
        this.metrics = metrics;
        this.buffered = buffered;
        this.onFinished = onFinished;
        this.mailbox = context.getMailboxExecutor();
        this.deadLetters = new DeadLetters(settings.queueUrl, settings.maxInlineBytes);
        this.retryTimer =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "pyflink-sqs-retry");
                            thread.setDaemon(true);
                            return thread;
                        });
        for (BufferedRequestState<SqsMessageEntry> state : states) {
            buffered.added(state.getBufferedRequestEntries().size());
        }
    }

    /** Hears, in a mail, of entries that left for good: delivered, or dropped by the policy. */
    interface FinishedListener {
        void finished(List<SqsMessageEntry> entries) throws Exception;
    }

    /** Entries are converted before they reach this writer. */
    private static final class Identity
            implements ElementConverter<SqsMessageEntry, SqsMessageEntry> {
        private static final long serialVersionUID = 1L;

        @Override
        public SqsMessageEntry apply(SqsMessageEntry entry, SinkWriter.Context context) {
            return entry;
        }
    }

    /** Puts a converted entry in the buffer; AsyncSinkWriter sends it when a batch is due. */
    void add(SqsMessageEntry entry) throws IOException, InterruptedException {
        buffered.added(1);
        write(entry, NO_CONTEXT);
    }

    /**
     * Puts entries in the buffer as one: counted first, so on a FIFO queue (where the next batch is
     * what is buffered) the last write sends them in one batch, not one call each.
     */
    void addAll(Collection<SqsMessageEntry> entries) throws IOException, InterruptedException {
        buffered.added(entries.size());
        for (SqsMessageEntry entry : entries) {
            write(entry, NO_CONTEXT);
        }
    }

    @Override
    protected long getSizeInBytes(SqsMessageEntry entry) {
        return entry.sizeInBytes();
    }

    @Override
    protected void submitRequestEntries(
            List<SqsMessageEntry> entries, ResultHandler<SqsMessageEntry> resultHandler) {
        buffered.taken(entries.size());
        metrics.requestFormed();
        Map<String, List<SqsMessageEntry>> byQueue = new LinkedHashMap<>();
        for (SqsMessageEntry entry : entries) {
            byQueue.computeIfAbsent(target(entry), queue -> new ArrayList<>()).add(entry);
        }
        Request request = new Request(resultHandler, byQueue.size());
        gate.submit(() -> request.start(byQueue));
    }

    private String target(SqsMessageEntry entry) {
        if (entry.isDeadLetter()) {
            return settings.deadLetterQueueUrl;
        }
        return entry.queueUrl() != null ? entry.queueUrl() : settings.queueUrl;
    }

    /** One AsyncSinkWriter request: its calls' outcomes, gathered until the last answers. */
    private final class Request {
        private final ResultHandler<SqsMessageEntry> handler;
        private int callsLeft;
        private final List<SqsMessageEntry> delivered = new ArrayList<>();
        private final List<AnswerSorter.Retry> retry = new ArrayList<>();
        private final List<AnswerSorter.Refusal> refused = new ArrayList<>();
        private boolean noAnswer;
        private boolean ended;
        private boolean failedCall;
        private String fatal;
        private Throwable fatalCause;

        Request(ResultHandler<SqsMessageEntry> handler, int calls) {
            this.handler = handler;
            this.callsLeft = calls;
        }

        /** Through the gate: on the mailbox thread, or on the thread that ended a request. */
        void start(Map<String, List<SqsMessageEntry>> byQueue) {
            metrics.callStarted();
            for (Map.Entry<String, List<SqsMessageEntry>> call : byQueue.entrySet()) {
                String target = call.getKey();
                List<SqsMessageEntry> sent = call.getValue();
                long started = System.nanoTime();
                try {
                    client.sendMessageBatch(target, sent)
                            .whenComplete(
                                    (result, error) -> {
                                        metrics.latency((System.nanoTime() - started) / 1_000_000);
                                        answered(target, sent, result, error);
                                    });
                } catch (Throwable e) {
                    answered(target, sent, null, e);
                }
            }
        }

        /** On an HTTP client thread. Never throws: an unanswered request holds checkpoints. */
        void answered(
                String target,
                List<SqsMessageEntry> sent,
                SendMessageBatchResult result,
                Throwable error) {
            boolean last;
            try {
                synchronized (this) {
                    if (error != null) {
                        onCallFailed(target, sent, unwrap(error));
                    } else {
                        onAnswer(target, sent, result);
                    }
                    last = --callsLeft == 0;
                }
            } catch (Throwable unexpected) {
                end();
                complete(() -> handler.completeExceptionally(asException(unexpected)));
                return;
            }
            if (last) {
                if (fifoRateLimiting != null) {
                    fifoRateLimiting.answered();
                }
                complete(this::finish);
            }
        }

        private void onCallFailed(String target, List<SqsMessageEntry> sent, Throwable error) {
            failedCall = true;
            metrics.failedAttempts(sent.size());
            ErrorRule rule = classify(error);
            if (settings.failOnError || !rule.action().isTransient()) {
                fatal =
                        "SqsSink cannot send to "
                                + target
                                + ": "
                                + error.getMessage()
                                + (rule.hint().isEmpty() ? "" : "; " + rule.hint())
                                + (settings.failOnError && rule.action().isTransient()
                                        ? " (a transient error, but fail_on_error is set)"
                                        : "");
                fatalCause = error;
                return;
            }
            noAnswer |= !(error instanceof SqsServiceException);
            String what = "SendMessageBatch to " + target + " failed (" + error + ")";
            for (SqsMessageEntry entry : sent) {
                retry.add(new AnswerSorter.Retry(entry, codeOf(error), what));
            }
        }

        private void onAnswer(
                String target, List<SqsMessageEntry> sent, SendMessageBatchResult result) {
            AnswerSorter.Outcome outcome =
                    AnswerSorter.sort(sent, result, target, settings.failOnError);
            if (outcome.fatal != null) {
                fatal = outcome.fatal;
                return;
            }
            delivered.addAll(outcome.delivered);
            retry.addAll(outcome.retry);
            refused.addAll(outcome.refused);
            if (!outcome.retry.isEmpty() || !outcome.refused.isEmpty()) {
                failedCall = true;
                metrics.failedAttempts(outcome.retry.size() + outcome.refused.size());
            }
        }

        /** After the last call answered: every entry's fate goes to the handler, once. */
        private void finish() {
            if (fatal != null) {
                end();
                handler.completeExceptionally(new SqsSinkException(fatal, fatalCause));
                return;
            }
            List<SqsMessageEntry> left = new ArrayList<>(delivered);
            List<SqsMessageEntry> copies = new ArrayList<>();
            for (AnswerSorter.Refusal refusal : refused) {
                SqsMessageEntry copy = onRefused(refusal); // throws for policy 'fail'
                if (copy != null) {
                    copies.add(copy);
                }
                left.add(refusal.entry);
            }
            metrics.sent(delivered);
            if (onFinished != null && !left.isEmpty()) {
                mailbox.execute(() -> onFinished.finished(left), "SQS entries finished");
            }
            if (!failedCall) {
                budget.onSuccess(delivered.stream().anyMatch(e -> e.attempt() > 0));
            }
            if (retry.isEmpty()) {
                requeue(copies);
            } else {
                retryAfterBackoff(copies);
            }
        }

        /** The entries to retry, with the dead-letter copies, go back after one backoff. */
        private void retryAfterBackoff(List<SqsMessageEntry> copies) {
            List<SqsMessageEntry> again = new ArrayList<>(copies);
            int attempt = 0;
            for (AnswerSorter.Retry entry : retry) {
                warnings.warn(entry.code, entry.what + "; sending it again after a backoff");
                again.add(
                        entry.code.equals(AnswerSorter.MD5_MISMATCH)
                                ? entry.entry.nextAttemptAfterIntegrityFailure()
                                : entry.entry.nextAttempt());
                attempt = Math.max(attempt, entry.entry.attempt());
            }
            long delay =
                    budget.tryAcquire(noAnswer)
                            ? backoff.delayMillis(attempt)
                            : backoff.capMillis();
            int retried = retry.size();
            retryTimer.schedule(
                    () ->
                            complete(
                                    () -> {
                                        metrics.retried(retried);
                                        requeue(again);
                                    }),
                    delay,
                    TimeUnit.MILLISECONDS);
        }

        private void requeue(List<SqsMessageEntry> entries) {
            end();
            if (entries.isEmpty()) {
                handler.complete();
            } else {
                buffered.added(entries.size());
                handler.retryForEntries(entries);
            }
        }

        /** Runs a step that ends the request; whatever it throws fails the job, never hangs. */
        private void complete(Runnable step) {
            try {
                step.run();
            } catch (Throwable e) {
                end();
                handler.completeExceptionally(asException(e));
            }
        }

        /**
         * Before the handler hears of it, after any backoff: the inFlightRequests gauge drops and
         * the gate starts the next request waiting, on this thread.
         */
        private void end() {
            if (!ended) {
                ended = true;
                metrics.callEnded();
                gate.ended();
            }
        }
    }

    /** A record SQS refused for good: null when it is dropped, else its dead-letter copy. */
    private SqsMessageEntry onRefused(AnswerSorter.Refusal refusal) {
        SqsMessageEntry entry = refusal.entry;
        String what =
                "SQS refused "
                        + entry.describe()
                        + " sent to "
                        + target(entry)
                        + ": "
                        + refusal.code
                        + (refusal.message.isEmpty() ? "" : " (" + refusal.message + ")");
        switch (settings.rejectedRecordPolicy) {
            case SKIP:
                metrics.rejected();
                warnings.warn(
                        "skip:" + refusal.code, what + "; skipped (rejected_record_policy=skip)");
                return null;
            case DEAD_LETTER:
                metrics.deadLettered();
                warnings.warn(
                        "dlq:" + refusal.code,
                        what + "; sent to the dead-letter queue " + settings.deadLetterQueueUrl);
                return deadLetters.copyOf(
                        entry.body().getBytes(StandardCharsets.UTF_8),
                        entry.body(),
                        new Rejection(refusal.code, refusal.message),
                        entry.position());
            default:
                throw new RecordRejectedException(
                        what
                                + ". Set rejected_record_policy to 'skip' or 'dead_letter' to keep "
                                + "the job running past such records");
        }
    }

    /** SQS's answer by its codes, any other failure of the call by its kind. */
    static ErrorRule classify(Throwable error) {
        if (error instanceof SqsServiceException) {
            SqsServiceException e = (SqsServiceException) error;
            return ErrorClassifier.classifyRequest(e.statusCode(), e.code(), e.queryCode());
        }
        return ErrorClassifier.classifyCallFailure(failureKind(error));
    }

    /**
     * The kind (a key of pyflink_sqs/error_codes.py CALL_FAILURE_RULES) of a call's failure other
     * than SQS's answer; the Python backend's sender.py call_failure_kind names its exceptions
     * alike.
     */
    static String failureKind(Throwable error) {
        if (error instanceof MissingCredentialsException) {
            // Retryable when a refreshing provider could not reach STS or a metadata endpoint,
            // or it answered 5xx: the next refresh may succeed; missing settings will not.
            return ((MissingCredentialsException) error).isRetryable()
                    ? "credentials_unavailable"
                    : "credentials_missing";
        }
        if (isUnresolvable(error)) {
            return "unknown_host";
        }
        if ((hasCause(error, SSLHandshakeException.class) && !closedInHandshake(error))
                || hasCause(error, SSLPeerUnverifiedException.class)) {
            return "tls_not_trusted";
        }
        if (hasCause(error, SocketTimeoutException.class)
                || hasCause(error, HttpTimeoutException.class)) {
            // Our HTTP client's connect and read timeouts; the JDK client's (benchmarks only).
            return "timeout";
        }
        if (hasCause(error, ConnectException.class)) {
            return "connection_refused";
        }
        if (error instanceof IOException) {
            // closed or reset mid-call, an answer cut short or not JSON (SendMessageBatchCodec)
            return "connection_reset";
        }
        return "unexpected";
    }

    /**
     * The connection closed or was reset during the TLS handshake ("Remote host terminated the
     * handshake"): the JDK reports it as an SSLHandshakeException, caused by the EOF or the
     * socket's error, not by a certificate; a reset connection, not a certificate to fix.
     */
    static boolean closedInHandshake(Throwable error) {
        return hasCause(error, EOFException.class) || hasCause(error, SocketException.class);
    }

    /** The endpoint's host name does not resolve: asking again will not change that. */
    static boolean isUnresolvable(Throwable error) {
        return hasCause(error, UnknownHostException.class)
                || hasCause(error, UnresolvedAddressException.class);
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        // At most 32 links: a chain of causes may loop (initCause refuses only itself).
        int links = 0;
        for (Throwable t = error; t != null && links++ < 32; t = t.getCause()) {
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

    private static Throwable unwrap(Throwable error) {
        while (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    private static Exception asException(Throwable error) {
        return error instanceof Exception
                ? (Exception) error
                : new SqsSinkException("SqsSink failed while handling an answer: " + error, error);
    }

    @Override
    public void close() {
        retryTimer.shutdownNow();
        client.close();
        super.close();
    }
}
