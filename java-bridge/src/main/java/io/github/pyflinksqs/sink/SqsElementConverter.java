package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.config.LargePayloadOffload;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * Describes an element as a message (a {@link MessageDescriber}: the user's serialization schema,
 * pyflink_sqs's envelopes, or SQL rows) and checks the body against what SQS accepts. SQS bodies
 * are text, so the bytes must be UTF-8: invalid bytes are a rejection, never silently replaced by
 * U+FFFD.
 */
public class SqsElementConverter<InputT> implements ElementConverter<InputT, SqsMessageEntry> {
    private static final long serialVersionUID = 1L;

    private final MessageDescriber<InputT> describer;
    private final long maxRecordSizeInBytes;
    // Null without large-payload offload; then maxMessageBytes is unused.
    private final LargePayloadOffload offload;
    // The most an offloaded message may weigh in SQS: a batch's bytes.
    private final long maxMessageBytes;
    private transient long position;

    public SqsElementConverter(
            SerializationSchema<InputT> serializationSchema, long maxRecordSizeInBytes) {
        this(MessageDescriber.bodies(serializationSchema), maxRecordSizeInBytes, null, 0);
    }

    SqsElementConverter(
            MessageDescriber<InputT> describer,
            long maxRecordSizeInBytes,
            LargePayloadOffload offload,
            long maxMessageBytes) {
        this.describer = describer;
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
        this.offload = offload;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void open(WriterInitContext context) {
        try {
            describer.open(context.asSerializationSchemaInitializationContext());
        } catch (Exception e) {
            throw new FlinkRuntimeException(
                    "Failed to open the SQS sink's serialization schema", e);
        }
    }

    ConvertedRecord convert(InputT element) {
        long recordPosition = ++position;
        DescribedMessage message = describer.describe(element, recordPosition);
        byte[] bytes = message.bodyBytes;
        String body = message.body;
        if (body == null) {
            return new ConvertedRecord(
                    null,
                    bytes,
                    new Rejection(
                            Rejection.NOT_UTF8,
                            "its "
                                    + bytes.length
                                    + " serialized bytes are not UTF-8 text, and "
                                    + "SQS message bodies are text"),
                    recordPosition);
        }
        SqsMessageEntry entry =
                new SqsMessageEntry(
                        body,
                        bytes.length,
                        message.attributes,
                        false,
                        recordPosition,
                        message.groupId,
                        message.deduplicationId,
                        message.delaySeconds,
                        message.queueUrl,
                        0,
                        0);
        Rejection rejection =
                MessageValidator.check(body, entry.sizeInBytes(), maxRecordSizeInBytes);
        if (offload == null) {
            return new ConvertedRecord(entry, bytes, rejection, recordPosition);
        }
        for (String name : entry.attributes().keySet()) {
            if (LargePayloadOffload.isReserved(name)) {
                throw new IllegalArgumentException(
                        "record "
                                + recordPosition
                                + ": attribute name '"
                                + name
                                + "' is the Extended Client's mark of an offloaded message "
                                + "(large-payload offload is on), so a message must not set it");
            }
        }
        if (rejection != null || !offload.isLarge(entry.sizeInBytes())) {
            return new ConvertedRecord(entry, bytes, rejection, recordPosition);
        }
        return toS3(entry, bytes, recordPosition);
    }

    /** An entry over the threshold: the key its body goes to, or why it cannot go. */
    private ConvertedRecord toS3(SqsMessageEntry entry, byte[] bytes, long recordPosition) {
        int attributes = entry.attributes().size();
        if (attributes > LargePayloadOffload.MAX_USER_ATTRIBUTES) {
            return new ConvertedRecord(
                    entry,
                    bytes,
                    new Rejection(
                            Rejection.TOO_MANY_ATTRIBUTES,
                            "it is "
                                    + entry.sizeInBytes()
                                    + " bytes, over the offload threshold of "
                                    + offload.thresholdBytes()
                                    + ", and has "
                                    + attributes
                                    + " attributes; an offloaded message has at most "
                                    + LargePayloadOffload.MAX_USER_ATTRIBUTES
                                    + ", as SQS's 10th holds "
                                    + offload.sizeAttribute()),
                    recordPosition);
        }
        String key = offload.newKey();
        long size = offload.offloadedSize(key, entry.sizeInBytes() - bytes.length, bytes.length);
        if (size > maxMessageBytes) {
            return new ConvertedRecord(
                    entry,
                    bytes,
                    new Rejection(
                            Rejection.TOO_LARGE,
                            "it is "
                                    + entry.sizeInBytes()
                                    + " bytes; with its body in S3 its message would still be "
                                    + size
                                    + " bytes (the attributes), over max_batch_size_in_bytes="
                                    + maxMessageBytes),
                    recordPosition);
        }
        return new ConvertedRecord(entry, bytes, null, recordPosition, key);
    }

    /** For AsyncSinkBase's contract; the writer calls {@link #convert} to apply the policy. */
    @Override
    public SqsMessageEntry apply(InputT element, SinkWriter.Context context) {
        ConvertedRecord record = convert(element);
        if (record.rejection() != null) {
            throw new RecordRejectedException(
                    "record " + record.position() + " was rejected: " + record.rejection());
        }
        return record.entry();
    }
}
