package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.auth.CredentialsProviderFactory;
import io.github.pyflinksqs.client.S3PayloadClient;
import io.github.pyflinksqs.client.SqsClient;
import io.github.pyflinksqs.config.AwsClientProperties;

import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.connector.base.sink.writer.strategy.AIMDScalingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.CongestionControlRateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RateLimitingStrategy;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * An Amazon SQS sink on Flink's {@link AsyncSinkBase}: at-least-once, since every buffered record
 * is either sent before a checkpoint completes or stored in it.
 *
 * <p>Build it with {@link #builder()}; from Python, with {@code pyflink_sqs.SqsSink.builder()}.
 */
public class SqsSink<InputT> extends AsyncSinkBase<InputT, SqsMessageEntry> {
    private static final long serialVersionUID = 3L;
    private static final Logger LOG = LoggerFactory.getLogger(SqsSink.class);
    // Rounds of max_in_flight_requests batches formed ahead of the calls on a standard queue
    // (writerRequestLimit, measured there).
    static final int FORMED_AHEAD_ROUNDS = 2;

    private final WriterSettings settings;
    private final Properties clientProperties;

    SqsSink(
            SqsElementConverter<InputT> elementConverter,
            int maxBatchSize,
            int maxInFlightRequests,
            int maxBufferedRequests,
            long maxBatchSizeInBytes,
            long maxTimeInBufferMS,
            WriterSettings settings,
            Properties clientProperties) {
        // AsyncSinkWriter bounds what it buffers, the messages as sent: with offload a record may
        // be larger than that, and the converter holds it to max_record_size_in_bytes.
        super(
                elementConverter,
                maxBatchSize,
                maxInFlightRequests,
                maxBufferedRequests,
                maxBatchSizeInBytes,
                maxTimeInBufferMS,
                settings.maxInlineBytes);
        this.settings = settings;
        this.clientProperties = clientProperties;
    }

    public static <InputT> SqsSinkBuilder<InputT> builder() {
        return new SqsSinkBuilder<>();
    }

    @Override
    public StatefulSinkWriter<InputT, BufferedRequestState<SqsMessageEntry>> createWriter(
            WriterInitContext context) {
        return restoreWriter(context, Collections.emptyList());
    }

    @Override
    public StatefulSinkWriter<InputT, BufferedRequestState<SqsMessageEntry>> restoreWriter(
            WriterInitContext context,
            Collection<BufferedRequestState<SqsMessageEntry>> recoveredState) {
        List<SqsMessageEntry> restored =
                RestoredState.entries(recoveredState, settings.queueUrl, settings.fifo);
        if (context.getTaskInfo().getIndexOfThisSubtask() == 0) {
            LOG.info(
                    "{} starting with client properties {}",
                    this,
                    AwsClientProperties.masked(clientProperties));
        }
        BufferedCount buffered = new BufferedCount();
        SqsSinkMetrics metrics = new SqsSinkMetrics(context.metricGroup(), buffered::get);
        AsyncSinkWriterConfiguration configuration = writerConfiguration(buffered);
        @SuppressWarnings("unchecked")
        SqsElementConverter<InputT> converter = (SqsElementConverter<InputT>) getElementConverter();
        String nonce = RestoredState.deduplicationNonce(recoveredState);
        return new SqsAdmissionWriter<>(
                converter,
                context,
                restored,
                nonce != null ? nonce : settings.deduplicationNonce,
                settings,
                getMaxBufferedRequests(),
                metrics,
                buffered,
                settings.offload == null ? null : createOffloader(metrics),
                getMaxInFlightRequests(),
                (entries, onFinished) ->
                        new SqsSinkWriter(
                                context,
                                configuration,
                                asStates(entries),
                                settings,
                                createClient(),
                                metrics,
                                buffered,
                                onFinished,
                                getMaxInFlightRequests()));
    }

    private static Collection<BufferedRequestState<SqsMessageEntry>> asStates(
            Collection<SqsMessageEntry> entries) {
        if (entries.isEmpty()) {
            return Collections.emptyList();
        }
        List<RequestEntryWrapper<SqsMessageEntry>> wrappers = new ArrayList<>(entries.size());
        for (SqsMessageEntry entry : entries) {
            wrappers.add(new RequestEntryWrapper<>(entry, entry.sizeInBytes()));
        }
        return Collections.singletonList(new BufferedRequestState<>(wrappers));
    }

    private AsyncSinkWriterConfiguration writerConfiguration(BufferedCount buffered) {
        AsyncSinkWriterConfiguration.AsyncSinkWriterConfigurationBuilder builder =
                AsyncSinkWriterConfiguration.builder()
                        .setMaxBatchSize(getMaxBatchSize())
                        .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                        .setMaxInFlightRequests(writerRequestLimit())
                        .setMaxBufferedRequests(getMaxBufferedRequests())
                        .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                        .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                        // A backstop only: our requests end first (requestTimeout), so Flink's
                        // timeout, which sends a request again while it may still succeed,
                        // should never fire.
                        .setRequestTimeoutMS(requestTimeout().toMillis())
                        .setFailOnTimeout(false);
        if (settings.fifo) {
            builder.setRateLimitingStrategy(new FifoRateLimitingStrategy(aimd(), buffered));
        }
        return builder.build();
    }

    /**
     * How many requests AsyncSinkWriter may have in flight: on a standard queue three times
     * max_in_flight_requests, so that twice as many batches as may be in calls wait, formed, to
     * start the moment a call ends, without a mail (see {@link RequestGate}; the writer's calls
     * stay within max_in_flight_requests). The typical job (a Python map in front, 20 ms endpoint,
     * p1, 1,000,000 records, alternating, benchmarks/in_flight.py, 2026-12-07): none formed ahead
     * 17,638 and 18,992 msg/s (39.2 and 42.7 calls in flight on average), one round 22,776 and
     * 21,672 (47.9, 46.8), two rounds 23,676 and 23,158 (50.0, 49.8), of a bound of 25,000. On a
     * FIFO queue exactly max_in_flight_requests: its batches are formed from the groups free when a
     * call ends ({@link FifoRateLimitingStrategy}), so none is formed ahead.
     */
    int writerRequestLimit() {
        return (int) Math.min(Integer.MAX_VALUE, (long) rounds() * getMaxInFlightRequests());
    }

    /** A round is max_in_flight_requests requests: the calls, then those formed ahead. */
    private int rounds() {
        return settings.fifo ? 1 : 1 + FORMED_AHEAD_ROUNDS;
    }

    /** What AsyncSinkWriterConfiguration uses when given no strategy (connector-base 1.20-2.3). */
    private RateLimitingStrategy aimd() {
        return CongestionControlRateLimitingStrategy.builder()
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setInitialMaxInFlightMessages(getMaxBatchSize())
                .setScalingStrategy(
                        AIMDScalingStrategy.builder(getMaxBatchSize() * getMaxInFlightRequests())
                                .build())
                .build();
    }

    /**
     * A request formed last may wait for a round of requests to end before each of its own (see
     * {@link #writerRequestLimit}), and each ends within connect + read timeout + the longest
     * backoff; so that many rounds of it, + 10 s for the mailbox: 235 s by default (FIFO: 85 s).
     */
    Duration requestTimeout() {
        return AwsClientProperties.connectTimeout()
                .plus(AwsClientProperties.readTimeout(clientProperties))
                .plusMillis(SqsSinkWriter.BACKOFF_CAP_MILLIS)
                .multipliedBy(rounds())
                .plusSeconds(10);
    }

    private SqsClient createClient() {
        String region = AwsClientProperties.region(clientProperties);
        boolean trustAll = AwsClientProperties.trustAllCertificates(clientProperties);
        if (trustAll) {
            LOG.warn(
                    "SqsSink to {}: aws.trust.all.certificates is set, so the TLS certificate "
                            + "of {} is not checked; use it only for a test endpoint, never for AWS",
                    settings.queueUrl,
                    AwsClientProperties.endpoint(clientProperties, region));
        }
        return new SqsClient(
                AwsClientProperties.endpoint(clientProperties, region),
                region,
                CredentialsProviderFactory.create(clientProperties),
                AwsClientProperties.connectTimeout(),
                AwsClientProperties.readTimeout(clientProperties),
                trustAll);
    }

    /**
     * The S3 side of large-payload offload: the sink's credentials and region, at the endpoint
     * LargePayloadOffload.s3EndpointFor names, else AWS's regional S3 endpoint.
     */
    private PayloadOffloader createOffloader(SqsSinkMetrics metrics) {
        String region = AwsClientProperties.region(clientProperties);
        String endpoint =
                settings.offload.s3EndpointFor(
                        clientProperties.getProperty(AwsClientProperties.ENDPOINT));
        boolean given = endpoint != null;
        return new PayloadOffloader(
                new S3PayloadClient(
                        given
                                ? URI.create(endpoint)
                                : AwsClientProperties.regionalEndpoint("s3", region),
                        given,
                        region,
                        CredentialsProviderFactory.create(clientProperties),
                        AwsClientProperties.connectTimeout(),
                        AwsClientProperties.readTimeout(clientProperties),
                        AwsClientProperties.trustAllCertificates(clientProperties)),
                settings.offload,
                settings.failOnError,
                metrics);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<SqsMessageEntry>>
            getWriterStateSerializer() {
        return new SqsStateSerializer(settings.queueUrl, settings.fifo);
    }

    public String getQueueUrl() {
        return settings.queueUrl;
    }

    /** Without the client properties: they hold credentials. */
    @Override
    public String toString() {
        return "SqsSink{queueUrl="
                + settings.queueUrl
                + ", failOnError="
                + settings.failOnError
                + ", maxBatchSize="
                + getMaxBatchSize()
                + ", maxInFlightRequests="
                + getMaxInFlightRequests()
                + ", maxBufferedRequests="
                + getMaxBufferedRequests()
                + ", maxBatchSizeInBytes="
                + getMaxBatchSizeInBytes()
                + ", maxTimeInBufferMS="
                + getMaxTimeInBufferMS()
                + ", maxRecordSizeInBytes="
                + settings.maxRecordSizeInBytes
                + (settings.offload == null ? "" : ", largePayloadOffload=" + settings.offload)
                + ", rejectedRecordPolicy="
                + settings.rejectedRecordPolicy
                + (settings.deadLetterQueueUrl == null
                        ? ""
                        : ", deadLetterQueueUrl=" + settings.deadLetterQueueUrl)
                + "}";
    }
}
