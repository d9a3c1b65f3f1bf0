package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.client.BatchEntryFailure;
import io.github.pyflinksqs.client.SendMessageBatchResult;
import io.github.pyflinksqs.client.SqsClient;
import io.github.pyflinksqs.client.SqsServiceException;

import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.DequeRequestBuffer;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.SimpleBatchCreator;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Sends batches formed by {@link AsyncSinkWriter} (which owns buffering, batching by count and
 * bytes, the flush timer, in-flight limits and snapshotting) with one SendMessageBatch call
 * each, and hands failed entries back to it for retry.
 */
class SqsSinkWriter<InputT> extends AsyncSinkWriter<InputT, SqsMessageEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(SqsSinkWriter.class);

    private final String queueUrl;
    private final boolean failOnError;
    private final SqsClient client;
    private final Counter numRecordsOutErrors;

    SqsSinkWriter(
            ElementConverter<InputT, SqsMessageEntry> elementConverter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<SqsMessageEntry>> states,
            String queueUrl,
            boolean failOnError,
            SqsClient client) {
        super(
                elementConverter,
                context,
                configuration,
                states,
                new SimpleBatchCreator<>(configuration.getMaxBatchSizeInBytes()),
                new DequeRequestBuffer<>());
        this.queueUrl = queueUrl;
        this.failOnError = failOnError;
        this.client = client;
        this.numRecordsOutErrors = context.metricGroup().getNumRecordsOutErrorsCounter();
    }

    @Override
    protected void submitRequestEntries(
            List<SqsMessageEntry> entries, ResultHandler<SqsMessageEntry> resultHandler) {
        client.sendMessageBatch(queueUrl, entries)
                .whenComplete(
                        (result, error) -> {
                            try {
                                if (error != null) {
                                    onCallFailed(unwrap(error), entries, resultHandler);
                                } else if (!result.failed().isEmpty()) {
                                    onEntriesFailed(result, entries, resultHandler);
                                } else {
                                    resultHandler.complete();
                                }
                            } catch (RuntimeException e) {
                                // Never leave a request unanswered: the writer would wait for
                                // it forever at the next checkpoint.
                                resultHandler.completeExceptionally(e);
                            }
                        });
    }

    @Override
    protected long getSizeInBytes(SqsMessageEntry entry) {
        return entry.sizeInBytes();
    }

    private void onCallFailed(
            Throwable error,
            List<SqsMessageEntry> entries,
            ResultHandler<SqsMessageEntry> resultHandler) {
        numRecordsOutErrors.inc(entries.size());
        if (failOnError || isFatal(error)) {
            resultHandler.completeExceptionally(
                    new SqsSinkException(
                            "SqsSink could not send " + entries.size() + " records to "
                                    + queueUrl + ": " + error.getMessage()
                                    + (failOnError ? " (fail_on_error is set)" : ""),
                            error));
            return;
        }
        LOG.warn("SendMessageBatch to {} failed, retrying {} entries: {}",
                queueUrl, entries.size(), error.toString());
        resultHandler.retryForEntries(entries);
    }

    private void onEntriesFailed(
            SendMessageBatchResult result,
            List<SqsMessageEntry> entries,
            ResultHandler<SqsMessageEntry> resultHandler) {
        numRecordsOutErrors.inc(result.failed().size());
        if (failOnError) {
            resultHandler.completeExceptionally(
                    new SqsSinkException(
                            "SqsSink: SQS rejected " + result.failed().size() + " of "
                                    + entries.size() + " entries sent to " + queueUrl
                                    + " and fail_on_error is set; first: "
                                    + result.failed().get(0)));
            return;
        }
        List<SqsMessageEntry> retry = new ArrayList<>(result.failed().size());
        for (BatchEntryFailure failure : result.failed()) {
            if (failure.index() < 0 || failure.index() >= entries.size()) {
                resultHandler.completeExceptionally(
                        new SqsSinkException(
                                "SQS reported a failed entry with an Id this sink did not send ("
                                        + failure + "); cannot tell which record to retry"));
                return;
            }
            retry.add(entries.get(failure.index()));
        }
        LOG.warn("SQS rejected {} of {} entries sent to {}, retrying them; first: {}",
                retry.size(), entries.size(), queueUrl, result.failed().get(0));
        resultHandler.retryForEntries(retry);
    }

    /** An error answer that asking again will not change: a client error that is not a throttle. */
    private static boolean isFatal(Throwable error) {
        if (error instanceof SqsServiceException) {
            SqsServiceException e = (SqsServiceException) error;
            int status = e.statusCode();
            boolean throttled = status == 429 || e.code().contains("Throttl")
                    || e.queryCode().contains("Throttl");
            return status >= 400 && status < 500 && !throttled;
        }
        return !(error instanceof java.io.IOException);
    }

    private static Throwable unwrap(Throwable error) {
        while (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    @Override
    public void close() {
        client.close();
    }
}
