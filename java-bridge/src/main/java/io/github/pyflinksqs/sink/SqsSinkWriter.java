package io.github.pyflinksqs.sink;

import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * The sink's writer: converts each element, checks it against what SQS accepts, and either
 * hands it to the {@link SqsBatchWriter} or applies the rejected-record policy right away, so
 * a record SQS would refuse never occupies a batch.
 */
class SqsSinkWriter<InputT>
        implements StatefulSinkWriter<InputT, BufferedRequestState<SqsMessageEntry>> {
    private static final Logger LOG = LoggerFactory.getLogger(SqsSinkWriter.class);
    private static final long WARNING_INTERVAL_MILLIS = 60_000;

    private final SqsElementConverter<InputT> converter;
    private final SqsBatchWriter batchWriter;
    private final WriterSettings settings;
    private final SqsSinkMetrics metrics;
    private final DeadLetters deadLetters;
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, WARNING_INTERVAL_MILLIS);
    private final int subtask;

    SqsSinkWriter(
            SqsElementConverter<InputT> converter,
            WriterInitContext context,
            SqsBatchWriter batchWriter,
            WriterSettings settings,
            SqsSinkMetrics metrics) {
        this.converter = converter;
        this.batchWriter = batchWriter;
        this.settings = settings;
        this.metrics = metrics;
        this.deadLetters = new DeadLetters(settings.queueUrl, settings.maxRecordSizeInBytes);
        this.subtask = context.getTaskInfo().getIndexOfThisSubtask();
        converter.open(context);
    }

    @Override
    public void write(InputT element, Context context) throws IOException, InterruptedException {
        ConvertedRecord record = converter.convert(element);
        if (record.rejection() == null) {
            metrics.buffered(1);
            batchWriter.write(record.entry(), context);
            return;
        }
        String what = "SqsSink rejected record " + record.position() + " of subtask " + subtask
                + " (" + record.serialized().length + " bytes) before sending to "
                + settings.queueUrl + ": "
                + record.rejection().detail();
        switch (settings.rejectedRecordPolicy) {
            case SKIP:
                metrics.rejected();
                warnings.warn(record.rejection().reason(),
                        what + "; skipped (rejected_record_policy=skip)");
                return;
            case DEAD_LETTER:
                metrics.deadLettered();
                metrics.buffered(1);
                warnings.warn(record.rejection().reason(),
                        what + "; sent to the dead-letter queue " + settings.deadLetterQueueUrl);
                batchWriter.write(
                        deadLetters.copyOf(
                                record.serialized(),
                                record.entry() == null ? null : record.entry().body(),
                                record.rejection(), record.position()),
                        context);
                return;
            default:
                throw new RecordRejectedException(
                        what + ". Set rejected_record_policy to 'skip' or 'dead_letter' to keep "
                                + "the job running past such records");
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        batchWriter.flush(endOfInput);
    }

    @Override
    public List<BufferedRequestState<SqsMessageEntry>> snapshotState(long checkpointId)
            throws IOException {
        return batchWriter.snapshotState(checkpointId);
    }

    @Override
    public void close() throws Exception {
        LOG.info("SqsSink subtask {} to {} closing: {}", subtask, settings.queueUrl,
                metrics.summary());
        batchWriter.close();
    }
}
