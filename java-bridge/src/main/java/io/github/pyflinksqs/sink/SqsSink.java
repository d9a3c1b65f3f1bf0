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
                                onFinished));
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
                        .setMaxInFlightRequests(getMaxInFlightRequests())
                        .setMaxBufferedRequests(getMaxBufferedRequests())
                        .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                        .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                        // A backstop only: our calls end first (HTTP connect and read
                        // timeouts, then at most one backoff), so Flink's timeout, which sends
                        // a request again while it may still succeed, should never fire.
                        .setRequestTimeoutMS(requestTimeout().toMillis())
                        .setFailOnTimeout(false);
        if (settings.fifo) {
            builder.setRateLimitingStrategy(new FifoRateLimitingStrategy(aimd(), buffered));
        }
        return builder.build();
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

    /** connect + read timeout + the longest backoff + 10 s for the mailbox: 85 s by default. */
    Duration requestTimeout() {
        return AwsClientProperties.connectTimeout()
                .plus(AwsClientProperties.readTimeout(clientProperties))
                .plusMillis(SqsSinkWriter.BACKOFF_CAP_MILLIS)
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
