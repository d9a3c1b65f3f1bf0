package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.auth.CredentialsProviderFactory;
import io.github.pyflinksqs.config.AwsClientProperties;
import io.github.pyflinksqs.config.LargePayloadOffload;
import io.github.pyflinksqs.config.QueueUrls;
import io.github.pyflinksqs.config.SqsSinkOptions;

import org.apache.flink.api.common.serialization.SerializationSchema;

import java.util.Objects;
import java.util.Properties;
import java.util.UUID;

/**
 * The builder of the Flink "Amazon SQS Sink" documentation. Unset options take the defaults of
 * pyflink_sqs/config.py (see {@link SqsSinkOptions}).
 */
public class SqsSinkBuilder<InputT> {
    private SerializationSchema<InputT> serializationSchema;
    private String sqsUrl;
    private Properties sqsClientProperties;
    private boolean failOnError = SqsSinkOptions.defaultFlag(SqsSinkOptions.FAIL_ON_ERROR);
    private long maxBatchSize = SqsSinkOptions.defaultValue(SqsSinkOptions.MAX_BATCH_SIZE);
    private long maxInFlightRequests =
            SqsSinkOptions.defaultValue(SqsSinkOptions.MAX_IN_FLIGHT_REQUESTS);
    private long maxBufferedRequests =
            SqsSinkOptions.defaultValue(SqsSinkOptions.MAX_BUFFERED_REQUESTS);
    private long maxBatchSizeInBytes =
            SqsSinkOptions.defaultValue(SqsSinkOptions.MAX_BATCH_SIZE_IN_BYTES);
    private long maxTimeInBufferMS =
            SqsSinkOptions.defaultValue(SqsSinkOptions.MAX_TIME_IN_BUFFER_MS);
    private long maxRecordSizeInBytes =
            SqsSinkOptions.defaultValue(SqsSinkOptions.MAX_RECORD_SIZE_IN_BYTES);
    private RejectedRecordPolicy rejectedRecordPolicy =
            RejectedRecordPolicy.parse(
                    SqsSinkOptions.defaultText(SqsSinkOptions.REJECTED_RECORD_POLICY));
    private String deadLetterQueueUrl;
    private boolean messageEnvelopes;
    private MessageDescriber<InputT> messageDescriber;
    private LargePayloadOffload largePayloadOffload;
    // With offload, an unset max_record_size_in_bytes is LargePayloadOffload.MAX_RECORD_BYTES:
    // its default (SQS's 256 KiB) is the threshold's, so no record could go to S3.
    private boolean maxRecordSizeSet;
    private FifoDeduplication fifoDeduplication =
            FifoDeduplication.parse(SqsSinkOptions.defaultText(SqsSinkOptions.FIFO_DEDUPLICATION));

    SqsSinkBuilder() {}

    public SqsSinkBuilder<InputT> setSerializationSchema(SerializationSchema<InputT> schema) {
        this.serializationSchema = schema;
        return this;
    }

    public SqsSinkBuilder<InputT> setSqsUrl(String sqsUrl) {
        this.sqsUrl = sqsUrl;
        return this;
    }

    public SqsSinkBuilder<InputT> setSqsClientProperties(Properties properties) {
        this.sqsClientProperties = properties;
        return this;
    }

    public SqsSinkBuilder<InputT> setFailOnError(boolean failOnError) {
        this.failOnError = failOnError;
        return this;
    }

    public SqsSinkBuilder<InputT> setMaxBatchSize(int value) {
        this.maxBatchSize = SqsSinkOptions.checkBounds(SqsSinkOptions.MAX_BATCH_SIZE, value);
        return this;
    }

    public SqsSinkBuilder<InputT> setMaxInFlightRequests(int value) {
        this.maxInFlightRequests =
                SqsSinkOptions.checkBounds(SqsSinkOptions.MAX_IN_FLIGHT_REQUESTS, value);
        return this;
    }

    public SqsSinkBuilder<InputT> setMaxBufferedRequests(int value) {
        this.maxBufferedRequests =
                SqsSinkOptions.checkBounds(SqsSinkOptions.MAX_BUFFERED_REQUESTS, value);
        return this;
    }

    public SqsSinkBuilder<InputT> setMaxBatchSizeInBytes(long value) {
        this.maxBatchSizeInBytes =
                SqsSinkOptions.checkBounds(SqsSinkOptions.MAX_BATCH_SIZE_IN_BYTES, value);
        return this;
    }

    public SqsSinkBuilder<InputT> setMaxTimeInBufferMS(long value) {
        this.maxTimeInBufferMS =
                SqsSinkOptions.checkBounds(SqsSinkOptions.MAX_TIME_IN_BUFFER_MS, value);
        return this;
    }

    /** Above 1 MiB (SQS's limit) only with large-payload offload, which build() checks. */
    public SqsSinkBuilder<InputT> setMaxRecordSizeInBytes(long value) {
        if (value < 1 || value > LargePayloadOffload.MAX_RECORD_BYTES) {
            SqsSinkOptions.checkBounds(SqsSinkOptions.MAX_RECORD_SIZE_IN_BYTES, value);
        }
        this.maxRecordSizeInBytes = value;
        this.maxRecordSizeSet = true;
        return this;
    }

    /**
     * Messages over thresholdBytes (body plus attributes, as SQS counts them) have their body put
     * to S3 in the Amazon SQS Extended Client's format (see pyflink_sqs's
     * set_large_payload_offload); keyPrefix may be empty, s3Endpoint null.
     */
    public SqsSinkBuilder<InputT> setLargePayloadOffload(
            String bucket,
            int thresholdBytes,
            String keyPrefix,
            boolean legacySizeAttribute,
            String s3Endpoint) {
        this.largePayloadOffload =
                new LargePayloadOffload(
                        bucket, thresholdBytes, keyPrefix, legacySizeAttribute, s3Endpoint);
        return this;
    }

    /** fail (default), skip or dead_letter: what happens to a record SQS will never accept. */
    public SqsSinkBuilder<InputT> setRejectedRecordPolicy(String policy) {
        this.rejectedRecordPolicy = RejectedRecordPolicy.parse(policy);
        return this;
    }

    /** per_record (default) or content: the deduplication id of a FIFO message without one. */
    public SqsSinkBuilder<InputT> setFifoDeduplication(String mode) {
        this.fifoDeduplication = FifoDeduplication.parse(mode);
        return this;
    }

    /** The queue that receives rejected records when the policy is dead_letter. */
    public SqsSinkBuilder<InputT> setDeadLetterQueueUrl(String url) {
        this.deadLetterQueueUrl = url == null || url.trim().isEmpty() ? null : url.trim();
        return this;
    }

    /**
     * Elements are the JSON envelopes pyflink_sqs's Python builder makes (body, group and
     * deduplication ids, delay, attributes; see pyflink_sqs/message.py), serialized with
     * SimpleStringSchema. How PyFlink jobs reach FIFO queues, attributes and delays.
     */
    public SqsSinkBuilder<InputT> setMessageEnvelopes(boolean messageEnvelopes) {
        this.messageEnvelopes = messageEnvelopes;
        return this;
    }

    /**
     * Elements described as messages by this function instead of a serialization schema (the SQL
     * sink's rows with their metadata columns). It must give FIFO messages a group id.
     */
    public SqsSinkBuilder<InputT> setMessageDescriber(MessageDescriber<InputT> describer) {
        this.messageDescriber = describer;
        return this;
    }

    private MessageDescriber<InputT> describer() {
        if (messageDescriber != null) {
            return messageDescriber;
        }
        return messageEnvelopes
                ? MessageDescriber.envelopes(serializationSchema)
                : MessageDescriber.bodies(serializationSchema);
    }

    /**
     * Checks every setting, in the order a user fixes them (what is missing, sizes, the queues, the
     * client properties), and builds the sink. Each mistake raises an exception that names the
     * option, here in the client rather than on every task manager at start.
     */
    public SqsSink<InputT> build() {
        if (largePayloadOffload != null && !maxRecordSizeSet) {
            maxRecordSizeInBytes = LargePayloadOffload.MAX_RECORD_BYTES;
        }
        checkRequired();
        checkSizes();
        boolean fifo = checkQueues();
        Properties properties = checkedClientProperties();
        return new SqsSink<>(
                new SqsElementConverter<>(
                        describer(),
                        maxRecordSizeInBytes,
                        largePayloadOffload,
                        maxBatchSizeInBytes),
                (int) maxBatchSize,
                (int) maxInFlightRequests,
                (int) maxBufferedRequests,
                maxBatchSizeInBytes,
                maxTimeInBufferMS,
                writerSettings(fifo),
                properties);
    }

    private void checkRequired() {
        if (messageDescriber == null) {
            Objects.requireNonNull(serializationSchema, "serialization_schema must be set");
        }
        if (sqsUrl == null || sqsUrl.trim().isEmpty()) {
            throw new IllegalArgumentException("sqs_url must be set");
        }
        Objects.requireNonNull(sqsClientProperties, "sqs_client_properties must be set");
    }

    /** Record, batch and buffer sizes against each other and against large-payload offload. */
    private void checkSizes() {
        if (largePayloadOffload == null) {
            try {
                SqsSinkOptions.checkBounds(
                        SqsSinkOptions.MAX_RECORD_SIZE_IN_BYTES, maxRecordSizeInBytes);
            } catch (IllegalArgumentException e) {
                if (maxRecordSizeInBytes < 1
                        || maxRecordSizeInBytes > LargePayloadOffload.MAX_RECORD_BYTES) {
                    throw e;
                }
                throw new IllegalArgumentException(
                        e.getMessage()
                                + "; records up to "
                                + LargePayloadOffload.MAX_RECORD_BYTES
                                + " bytes need set_large_payload_offload()");
            }
        } else if (largePayloadOffload.thresholdBytes() > maxBatchSizeInBytes) {
            throw new IllegalArgumentException(
                    "set_large_payload_offload: threshold_bytes ("
                            + largePayloadOffload.thresholdBytes()
                            + ") must not exceed max_batch_size_in_bytes ("
                            + maxBatchSizeInBytes
                            + "): a message that stays in SQS must fit in a batch");
        } else if (maxRecordSizeInBytes <= largePayloadOffload.thresholdBytes()) {
            throw new IllegalArgumentException(
                    "max_record_size_in_bytes ("
                            + maxRecordSizeInBytes
                            + ") must exceed set_large_payload_offload's threshold_bytes ("
                            + largePayloadOffload.thresholdBytes()
                            + "), or no record could go to S3: raise it (up to "
                            + LargePayloadOffload.MAX_RECORD_BYTES
                            + ") or leave it unset (with offload its default is "
                            + LargePayloadOffload.MAX_RECORD_BYTES
                            + ")");
        }
        if (largePayloadOffload == null && maxRecordSizeInBytes > maxBatchSizeInBytes) {
            throw new IllegalArgumentException(
                    "max_record_size_in_bytes ("
                            + maxRecordSizeInBytes
                            + ") must not exceed max_batch_size_in_bytes ("
                            + maxBatchSizeInBytes
                            + ")");
        }
        if (maxBufferedRequests <= maxBatchSize) {
            throw new IllegalArgumentException(
                    "max_buffered_requests ("
                            + maxBufferedRequests
                            + ") must be greater than max_batch_size ("
                            + maxBatchSize
                            + ")");
        }
    }

    /**
     * The queue and the dead-letter queue against the rejected-record policy and the messages'
     * shape; returns whether the queue is a FIFO queue.
     */
    private boolean checkQueues() {
        if (rejectedRecordPolicy == RejectedRecordPolicy.DEAD_LETTER
                && deadLetterQueueUrl == null) {
            throw new IllegalArgumentException(
                    "rejected_record_policy dead_letter needs dead_letter_queue_url");
        }
        boolean fifo = QueueUrls.isFifo(sqsUrl);
        if (fifo && !messageEnvelopes && messageDescriber == null) {
            throw new IllegalArgumentException(
                    "sqs_url "
                            + sqsUrl.trim()
                            + " is a FIFO queue, whose messages need a "
                            + "message group id; set one with the Python builder "
                            + "(set_message_group_id, set_message_group_id_field or "
                            + "set_message_builder)");
        }
        if (deadLetterQueueUrl != null
                && rejectedRecordPolicy == RejectedRecordPolicy.DEAD_LETTER
                && QueueUrls.isFifo(deadLetterQueueUrl)) {
            throw new IllegalArgumentException(
                    "dead_letter_queue_url "
                            + deadLetterQueueUrl
                            + " is a FIFO queue; the "
                            + "dead-letter queue must be a standard queue");
        }
        return fifo;
    }

    /** A copy of the client properties whose region, endpoint, timeouts and credentials parse. */
    private Properties checkedClientProperties() {
        Properties properties = new Properties();
        properties.putAll(sqsClientProperties);
        String region = AwsClientProperties.region(properties);
        AwsClientProperties.endpoint(properties, region);
        AwsClientProperties.readTimeout(properties);
        AwsClientProperties.trustAllCertificates(properties);
        CredentialsProviderFactory.validate(properties);
        return properties;
    }

    private WriterSettings writerSettings(boolean fifo) {
        return new WriterSettings(
                sqsUrl.trim(),
                failOnError,
                rejectedRecordPolicy,
                rejectedRecordPolicy == RejectedRecordPolicy.DEAD_LETTER
                        ? deadLetterQueueUrl
                        : null,
                maxRecordSizeInBytes,
                // With offload a record may exceed a batch, its message (a pointer) may not.
                largePayloadOffload == null
                        ? Math.min(maxRecordSizeInBytes, maxBatchSizeInBytes)
                        : maxBatchSizeInBytes,
                largePayloadOffload,
                fifo,
                fifoDeduplication,
                UUID.randomUUID().toString());
    }
}
