package io.github.pyflinksqs.sink;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.util.FlinkRuntimeException;


/**
 * Serializes an element with the user's schema into a message body and checks it against what
 * SQS accepts. SQS bodies are text, so the bytes must be UTF-8: invalid bytes are a rejection,
 * never silently replaced by U+FFFD.
 */
public class SqsElementConverter<InputT> implements ElementConverter<InputT, SqsMessageEntry> {
    private static final long serialVersionUID = 1L;

    private final SerializationSchema<InputT> serializationSchema;
    private final long maxRecordSizeInBytes;
    // The serialized element is an envelope from pyflink_sqs (see SqsEnvelope), not the body.
    private final boolean envelopes;
    private transient long position;

    public SqsElementConverter(
            SerializationSchema<InputT> serializationSchema, long maxRecordSizeInBytes) {
        this(serializationSchema, maxRecordSizeInBytes, false);
    }

    SqsElementConverter(
            SerializationSchema<InputT> serializationSchema,
            long maxRecordSizeInBytes,
            boolean envelopes) {
        this.serializationSchema = serializationSchema;
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
        this.envelopes = envelopes;
    }

    @Override
    public void open(WriterInitContext context) {
        try {
            serializationSchema.open(context.asSerializationSchemaInitializationContext());
        } catch (Exception e) {
            throw new FlinkRuntimeException("Failed to open the SQS sink's serialization schema", e);
        }
    }

    ConvertedRecord convert(InputT element) {
        long recordPosition = ++position;
        byte[] serialized = serializationSchema.serialize(element);
        SqsEnvelope envelope = envelopes ? SqsEnvelope.parse(serialized) : null;
        byte[] bytes = envelope != null ? envelope.bodyBytes : serialized;
        String body = envelope != null ? envelope.body : StrictUtf8.decodeOrNull(bytes);
        if (body == null) {
            return new ConvertedRecord(
                    null, bytes,
                    new Rejection(
                            Rejection.NOT_UTF8,
                            "its " + bytes.length + " serialized bytes are not UTF-8 text, and "
                                    + "SQS message bodies are text"),
                    recordPosition);
        }
        SqsMessageEntry entry =
                envelope == null
                        ? new SqsMessageEntry(
                                body, bytes.length, java.util.Collections.emptyMap(), false,
                                recordPosition)
                        : new SqsMessageEntry(
                                body, bytes.length, envelope.attributes, false, recordPosition,
                                envelope.groupId, envelope.deduplicationId,
                                envelope.delaySeconds);
        return new ConvertedRecord(
                entry, bytes,
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
