package io.github.pyflinksqs.sink;

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
    private transient long position;

    public SqsElementConverter(
            SerializationSchema<InputT> serializationSchema, long maxRecordSizeInBytes) {
        this(MessageDescriber.bodies(serializationSchema), maxRecordSizeInBytes);
    }

    SqsElementConverter(MessageDescriber<InputT> describer, long maxRecordSizeInBytes) {
        this.describer = describer;
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
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
        return new ConvertedRecord(
                entry,
                bytes,
                MessageValidator.check(body, entry.sizeInBytes(), maxRecordSizeInBytes),
                recordPosition);
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
