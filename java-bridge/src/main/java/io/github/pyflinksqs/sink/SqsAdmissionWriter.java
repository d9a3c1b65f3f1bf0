package io.github.pyflinksqs.sink;

import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The sink's writer as Flink sees it: converts each element ({@link SqsElementConverter}), applies
 * the rejected-record policy to records SQS would refuse (so they never occupy a batch), keeps FIFO
 * message groups in order ({@link FifoOrder}), and hands entries to the {@link SqsSinkWriter},
 * Flink's AsyncSinkWriter, which sends them.
 *
 * <p>Why two objects: AsyncSinkWriter's only way into its buffer is write(), and on a FIFO queue an
 * entry held back for its group's order must enter later, from the mail that reports its
 * predecessor delivered; so the AsyncSinkWriter takes entries already converted.
 *
 * <p>Checkpoints (flush(false), then snapshotState) wait only for calls in flight: entries held
 * back for their group are not admitted meanwhile and go into the state after the buffered ones,
 * each group's in order. At end of input (flush(true)) everything is sent.
 *
 * <p>With large-payload offload, every entry passes through a queue in input order, where those
 * over the threshold wait for their body's S3 PUT (up to max_in_flight_requests at once, {@link
 * PayloadOffloader}); entries leave it from its head, so order (and a FIFO group's) is kept. A
 * checkpoint first waits for the PUTs under way: state holds only entries whose object exists, so
 * the state format is unchanged.
 */
class SqsAdmissionWriter<InputT>
        implements StatefulSinkWriter<InputT, BufferedRequestState<SqsMessageEntry>> {
    private static final Logger LOG = LoggerFactory.getLogger(SqsAdmissionWriter.class);
    private static final long WARNING_INTERVAL_MILLIS = RateLimitedLog.INTERVAL_MILLIS;

    private final SqsElementConverter<InputT> converter;
    private final SqsSinkWriter sinkWriter;
    private final WriterSettings settings;
    private final SqsSinkMetrics metrics;
    private final BufferedCount buffered;
    private final DeadLetters deadLetters;
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, WARNING_INTERVAL_MILLIS);
    private final MailboxExecutor mailbox;
    private final int subtask;
    private final int maxBufferedRequests;
    // Null for a standard queue.
    private final FifoOrder fifo;
    // Null unless the queue is FIFO and fifo_deduplication is per_record.
    private final RecordDeduplication recordDeduplication;
    private final String deduplicationNonce;
    // FIFO owners freed while a checkpoint flushed, or restored: admitted after it.
    private final ArrayDeque<SqsMessageEntry> toAdmit = new ArrayDeque<>();
    private boolean checkpointing;
    // Null without large-payload offload.
    private final PayloadOffloader offloader;
    private final int maxOffloading;
    // Entries in input order, each done once its body is in S3 (at once when it stays inline).
    private final ArrayDeque<CompletableFuture<SqsMessageEntry>> offloading = new ArrayDeque<>();
    // Set while entries leave the queue: admitting one may yield to the mailbox, whose mail must
    // not admit the next before it (a FIFO group would lose its order).
    private boolean admittingOffloaded;

    /**
     * @param sinkWriter makes the AsyncSinkWriter from the restored entries it should buffer and
     *     the callback for entries that finished (null for a standard queue)
     */
    SqsAdmissionWriter(
            SqsElementConverter<InputT> converter,
            WriterInitContext context,
            Collection<SqsMessageEntry> restored,
            String deduplicationNonce,
            WriterSettings settings,
            int maxBufferedRequests,
            SqsSinkMetrics metrics,
            BufferedCount buffered,
            PayloadOffloader offloader,
            int maxOffloading,
            SinkWriterFactory sinkWriter) {
        this.converter = converter;
        this.offloader = offloader;
        this.maxOffloading = maxOffloading;
        this.settings = settings;
        this.metrics = metrics;
        this.buffered = buffered;
        this.maxBufferedRequests = maxBufferedRequests;
        this.mailbox = context.getMailboxExecutor();
        this.deadLetters = new DeadLetters(settings.queueUrl, settings.maxInlineBytes);
        this.subtask = context.getTaskInfo().getIndexOfThisSubtask();
        this.fifo = settings.fifo ? new FifoOrder() : null;
        this.deduplicationNonce = deduplicationNonce;
        this.recordDeduplication =
                settings.fifo && settings.deduplication == FifoDeduplication.PER_RECORD
                        ? new RecordDeduplication(
                                deduplicationNonce,
                                Long.toString(context.getRestoredCheckpointId().orElse(0)),
                                subtask)
                        : null;
        if (fifo == null) {
            this.sinkWriter = sinkWriter.create(restored, null);
        } else {
            this.sinkWriter = sinkWriter.create(Collections.emptyList(), this::onFinished);
            // Restored entries take their group's turn again, in the order the state kept.
            for (SqsMessageEntry entry : restored) {
                SqsMessageEntry admitted = fifo.offer(entry);
                if (admitted != null) {
                    toAdmit.add(admitted);
                }
            }
            if (!toAdmit.isEmpty()) {
                mailbox.execute(this::admitWaiting, "admit restored SQS entries");
            }
        }
        // On Flink 1.20 AsyncSinkWriter would call ElementConverter.open(Sink.InitContext),
        // never open(WriterInitContext); the converter is ours, so we open it here on every line.
        converter.open(context);
    }

    /** Makes the AsyncSinkWriter; a function of the writer it serves only through callbacks. */
    interface SinkWriterFactory {
        SqsSinkWriter create(
                Collection<SqsMessageEntry> restored, SqsSinkWriter.FinishedListener onFinished);
    }

    @Override
    public void write(InputT element, Context context) throws IOException, InterruptedException {
        ConvertedRecord record = converter.convert(element);
        SqsMessageEntry entry = accepted(record);
        if (entry == null) {
            return;
        }
        if (offloader == null) {
            admit(entry);
            return;
        }
        // The deduplication id comes from the message as described, not from its pointer.
        SqsMessageEntry described = fifo == null ? entry : withDeduplicationId(entry);
        CompletableFuture<SqsMessageEntry> done =
                record.s3Key() != null && entry == record.entry()
                        ? offloader.offload(described, record.s3Key())
                        : CompletableFuture.completedFuture(described);
        offloading.add(done);
        if (!done.isDone()) {
            done.whenComplete(
                    (ignored, error) ->
                            mailbox.execute(this::admitOffloaded, "admit offloaded SQS entries"));
        }
        admitOffloaded();
        while (offloading.size() >= maxOffloading) {
            mailbox.yield();
            admitOffloaded();
        }
    }

    /** Entries whose body is in S3 (or that stay inline) go on, from the head, in order. */
    private void admitOffloaded() throws IOException, InterruptedException {
        if (admittingOffloaded) {
            return;
        }
        admittingOffloaded = true;
        try {
            while (!offloading.isEmpty() && offloading.peek().isDone()) {
                SqsMessageEntry entry;
                try {
                    entry = offloading.poll().join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException
                            ? (RuntimeException) e.getCause()
                            : e;
                }
                admit(entry);
            }
        } finally {
            admittingOffloaded = false;
        }
    }

    private void admit(SqsMessageEntry entry) throws IOException, InterruptedException {
        if (fifo == null) {
            sinkWriter.add(entry);
            return;
        }
        entry = withDeduplicationId(entry);
        // Backpressure over what waits here too: AsyncSinkWriter bounds only its own buffer.
        while (fifo.waitingCount() + buffered.get() >= maxBufferedRequests) {
            mailbox.yield();
        }
        SqsMessageEntry admitted = fifo.offer(entry);
        if (admitted != null) {
            sinkWriter.add(admitted);
        }
    }

    /** A FIFO message without a deduplication id gets one, per fifo_deduplication. */
    private SqsMessageEntry withDeduplicationId(SqsMessageEntry entry) {
        if (entry.deduplicationId() != null || entry.groupId() == null) {
            return entry;
        }
        return entry.withDeduplicationId(
                recordDeduplication != null
                        ? recordDeduplication.idFor(entry)
                        : ContentDeduplication.id(
                                entry.groupId(),
                                entry.body().getBytes(StandardCharsets.UTF_8),
                                entry.attributes()));
    }

    /** The entry to send, or null when the policy dropped the record; throws for 'fail'. */
    private SqsMessageEntry accepted(ConvertedRecord record) {
        if (record.rejection() == null) {
            return record.entry();
        }
        String what =
                "SqsSink rejected record "
                        + record.position()
                        + " of subtask "
                        + subtask
                        + " ("
                        + record.serialized().length
                        + " bytes) before sending to "
                        + settings.queueUrl
                        + ": "
                        + record.rejection().detail();
        switch (settings.rejectedRecordPolicy) {
            case SKIP:
                metrics.rejected();
                warnings.warn(
                        record.rejection().reason(),
                        what + "; skipped (rejected_record_policy=skip)");
                return null;
            case DEAD_LETTER:
                metrics.deadLettered();
                warnings.warn(
                        record.rejection().reason(),
                        what + "; sent to the dead-letter queue " + settings.deadLetterQueueUrl);
                return deadLetters.copyOf(
                        record.serialized(),
                        record.entry() == null ? null : record.entry().body(),
                        record.rejection(),
                        record.position());
            default:
                throw new RecordRejectedException(
                        what
                                + ". Set rejected_record_policy to 'skip' or 'dead_letter' to keep "
                                + "the job running past such records");
        }
    }

    /** Mail: these FIFO entries were delivered or dropped; their groups' next ones go in. */
    private void onFinished(List<SqsMessageEntry> entries)
            throws IOException, InterruptedException {
        for (SqsMessageEntry entry : entries) {
            SqsMessageEntry next = fifo.finished(entry);
            if (next != null) {
                toAdmit.add(next);
            }
        }
        if (!checkpointing) {
            admitWaiting();
        }
    }

    private void admitWaiting() throws IOException, InterruptedException {
        if (!toAdmit.isEmpty()) {
            List<SqsMessageEntry> entries = new ArrayList<>(toAdmit);
            toAdmit.clear();
            sinkWriter.addAll(entries);
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        // Bodies still going to S3 first: the entries go on only once their object exists.
        admitOffloaded();
        while (!offloading.isEmpty()) {
            mailbox.yield();
            admitOffloaded();
        }
        if (fifo == null) {
            sinkWriter.flush(endOfInput);
            return;
        }
        if (!endOfInput) {
            // A checkpoint waits for the calls in flight only; freed groups wait for it.
            checkpointing = true;
            try {
                sinkWriter.flush(false);
            } finally {
                checkpointing = false;
            }
            return;
        }
        // End of input: send everything, one message per group per round trip.
        do {
            admitWaiting();
            sinkWriter.flush(true);
        } while (!toAdmit.isEmpty() || fifo.waitingCount() > 0);
    }

    @Override
    public List<BufferedRequestState<SqsMessageEntry>> snapshotState(long checkpointId)
            throws IOException {
        if (!offloading.isEmpty()) {
            // flush(false) came first and waited for every PUT: state has no body not in S3.
            throw new IllegalStateException(
                    offloading.size() + " entries still wait for S3 at a snapshot");
        }
        List<BufferedRequestState<SqsMessageEntry>> states = sinkWriter.snapshotState(checkpointId);
        if (fifo == null) {
            List<RequestEntryWrapper<SqsMessageEntry>> entries = new ArrayList<>();
            states.forEach(state -> entries.addAll(state.getBufferedRequestEntries()));
            return Collections.singletonList(
                    new SqsWriterState(entries, settings.queueUrl, false, null));
        }
        // Per group: the owner (buffered, or freed during the checkpoint), then the waiting.
        List<RequestEntryWrapper<SqsMessageEntry>> entries = new ArrayList<>();
        for (BufferedRequestState<SqsMessageEntry> state : states) {
            entries.addAll(state.getBufferedRequestEntries());
        }
        Function<SqsMessageEntry, RequestEntryWrapper<SqsMessageEntry>> wrap =
                entry -> new RequestEntryWrapper<>(entry, entry.sizeInBytes());
        toAdmit.forEach(entry -> entries.add(wrap.apply(entry)));
        fifo.waitingEntries().forEach(entry -> entries.add(wrap.apply(entry)));
        if (!toAdmit.isEmpty()) {
            mailbox.execute(this::admitWaiting, "admit SQS entries after a checkpoint");
        }
        return Collections.singletonList(
                new SqsWriterState(entries, settings.queueUrl, true, deduplicationNonce));
    }

    @Override
    public void close() throws Exception {
        LOG.info(
                "SqsSink subtask {} to {} closing: {}",
                subtask,
                settings.queueUrl,
                metrics.summary()
                        + (fifo == null
                                ? ""
                                : ", "
                                        + fifo.waitingCount()
                                        + " waiting for their "
                                        + "message group"));
        sinkWriter.close();
        if (offloader != null) {
            offloader.close();
        }
    }
}
