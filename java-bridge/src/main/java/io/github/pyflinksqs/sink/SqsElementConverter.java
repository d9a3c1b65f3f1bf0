package io.github.pyflinksqs.sink;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.util.FlinkRuntimeException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Serializes an element with the user's schema into a message body. SQS bodies are text, so
 * the bytes must be UTF-8: invalid bytes fail with a clear error instead of being replaced by
 * U+FFFD, which would change the message without a trace.
 */
public class SqsElementConverter<InputT> implements ElementConverter<InputT, SqsMessageEntry> {
    private static final long serialVersionUID = 1L;

    private final SerializationSchema<InputT> serializationSchema;
    private final long maxRecordSizeInBytes;
    private transient long position;

    public SqsElementConverter(
            SerializationSchema<InputT> serializationSchema, long maxRecordSizeInBytes) {
        this.serializationSchema = serializationSchema;
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
    }

    @Override
    public void open(WriterInitContext context) {
        try {
            serializationSchema.open(context.asSerializationSchemaInitializationContext());
        } catch (Exception e) {
            throw new FlinkRuntimeException("Failed to open the SQS sink's serialization schema", e);
        }
    }

    @Override
    public SqsMessageEntry apply(InputT element, SinkWriter.Context context) {
        position++;
        byte[] bytes = serializationSchema.serialize(element);
        if (bytes.length > maxRecordSizeInBytes) {
            throw new RecordRejectedException(
                    "record " + position + " of this subtask is " + bytes.length
                            + " bytes, over max_record_size_in_bytes=" + maxRecordSizeInBytes);
        }
        return new SqsMessageEntry(decodeUtf8(bytes), bytes.length);
    }

    private String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RecordRejectedException(
                    "record " + position + " of this subtask (" + bytes.length
                            + " bytes) is not valid UTF-8; SQS message bodies are text");
        }
    }
}
