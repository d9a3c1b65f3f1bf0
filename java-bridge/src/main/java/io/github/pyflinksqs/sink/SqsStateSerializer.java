package io.github.pyflinksqs.sink;

import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Buffered entries in a checkpoint. The base class writes each entry's size; this class the
 * entry. Version 3 (dead-letter flag, position, group id, deduplication id, delay,
 * attributes, body) reads versions 2 (without group, deduplication id and delay) and 1 (body
 * only) too.
 */
public class SqsStateSerializer extends AsyncSinkWriterStateSerializer<SqsMessageEntry> {
    static final int VERSION = 3;
    private static final int NO_VALUE = -1;

    // The base class does not pass the version on to deserializeRequestFromStream.
    private int readingVersion = VERSION;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public BufferedRequestState<SqsMessageEntry> deserialize(int version, byte[] serialized)
            throws IOException {
        if (version < 1 || version > VERSION) {
            throw new IOException("unknown SqsSink state version " + version);
        }
        readingVersion = version;
        return super.deserialize(version, serialized);
    }

    @Override
    protected void serializeRequestToStream(SqsMessageEntry entry, DataOutputStream out)
            throws IOException {
        out.writeBoolean(entry.isDeadLetter());
        out.writeLong(entry.position());
        writeString(out, entry.groupId());
        writeString(out, entry.deduplicationId());
        out.writeInt(entry.delaySeconds());
        out.writeInt(entry.attributes().size());
        for (Map.Entry<String, MessageAttribute> attribute : entry.attributes().entrySet()) {
            writeString(out, attribute.getKey());
            writeString(out, attribute.getValue().dataType());
            writeString(out, attribute.getValue().stringValue());
            writeBytes(out, attribute.getValue().binaryValue());
        }
        writeString(out, entry.body());
    }

    @Override
    protected SqsMessageEntry deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        if (readingVersion == 1) {
            String body = readString(in);
            return new SqsMessageEntry(body, body.getBytes(StandardCharsets.UTF_8).length);
        }
        boolean deadLetter = in.readBoolean();
        long position = in.readLong();
        String groupId = null;
        String deduplicationId = null;
        int delaySeconds = SqsMessageEntry.NO_DELAY;
        if (readingVersion >= 3) {
            groupId = readString(in);
            deduplicationId = readString(in);
            delaySeconds = in.readInt();
        }
        int count = in.readInt();
        Map<String, MessageAttribute> attributes =
                count == 0 ? Collections.emptyMap() : new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = readString(in);
            String dataType = readString(in);
            String stringValue = readString(in);
            byte[] binaryValue = readBytes(in);
            attributes.put(name, MessageAttribute.of(dataType, stringValue, binaryValue));
        }
        String body = readString(in);
        return new SqsMessageEntry(
                body, body.getBytes(StandardCharsets.UTF_8).length, attributes, deadLetter,
                position, groupId, deduplicationId, delaySeconds);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        writeBytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(NO_VALUE);
            return;
        }
        out.writeInt(value.length);
        out.write(value);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = readBytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == NO_VALUE) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
