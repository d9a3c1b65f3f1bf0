package io.github.pyflinksqs.sink;

import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Buffered entries in a checkpoint. Every version starts as connector-base's
 * AsyncSinkWriterStateSerializer lays state out (the identifier -1, the entry count, and per entry
 * its size then the entry); what an entry holds grew:
 *
 * <ul>
 *   <li>1: body;
 *   <li>2: dead-letter flag, position, attributes, body;
 *   <li>3: dead-letter flag, position, group id, deduplication id, delay, attributes, body;
 *   <li>4: a header after the identifier (the sink's queue URL, FIFO flag, deduplication nonce),
 *       then per entry as 3 plus the entry's own queue URL before the attributes.
 * </ul>
 *
 * Every version is read (src/test/resources/state has each as its release wrote it).
 */
public class SqsStateSerializer
        implements SimpleVersionedSerializer<BufferedRequestState<SqsMessageEntry>> {
    static final int VERSION = 4;
    private static final long DATA_IDENTIFIER = -1;
    private static final int NO_VALUE = -1;

    private final String queueUrl;
    private final boolean fifo;

    /**
     * @param queueUrl the sink's queue, for a header of state that does not carry its own
     */
    public SqsStateSerializer(String queueUrl, boolean fifo) {
        this.queueUrl = queueUrl;
        this.fifo = fifo;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(BufferedRequestState<SqsMessageEntry> state) throws IOException {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(DATA_IDENTIFIER);
            SqsWriterState header = state instanceof SqsWriterState ? (SqsWriterState) state : null;
            writeString(
                    out,
                    header != null && header.queueUrl() != null ? header.queueUrl() : queueUrl);
            out.writeBoolean(header != null && header.fifo() != null ? header.fifo() : fifo);
            writeString(out, header == null ? null : header.deduplicationNonce());
            List<RequestEntryWrapper<SqsMessageEntry>> entries = state.getBufferedRequestEntries();
            out.writeInt(entries.size());
            for (RequestEntryWrapper<SqsMessageEntry> wrapper : entries) {
                out.writeLong(wrapper.getSize());
                writeEntry(wrapper.getRequestEntry(), out);
            }
            out.flush();
            return bytes.toByteArray();
        }
    }

    private static void writeEntry(SqsMessageEntry entry, DataOutputStream out) throws IOException {
        out.writeBoolean(entry.isDeadLetter());
        out.writeLong(entry.position());
        writeString(out, entry.groupId());
        writeString(out, entry.deduplicationId());
        out.writeInt(entry.delaySeconds());
        writeString(out, entry.queueUrl());
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
    public SqsWriterState deserialize(int version, byte[] serialized) throws IOException {
        if (version < 1 || version > VERSION) {
            throw new IOException(
                    "SqsSink state version "
                            + version
                            + " is newer than this pyflink-sqs reads "
                            + "(1.."
                            + VERSION
                            + "): restore it with the release that wrote it");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            if (in.readLong() != DATA_IDENTIFIER) {
                throw new IOException("SqsSink state is corrupted: it does not start as one");
            }
            String stateQueueUrl = null;
            Boolean stateFifo = null;
            String nonce = null;
            if (version >= 4) {
                stateQueueUrl = readString(in);
                stateFifo = in.readBoolean();
                nonce = readString(in);
            }
            int count = in.readInt();
            List<RequestEntryWrapper<SqsMessageEntry>> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long size = in.readLong();
                entries.add(new RequestEntryWrapper<>(readEntry(version, in), size));
            }
            return new SqsWriterState(entries, stateQueueUrl, stateFifo, nonce);
        }
    }

    private static SqsMessageEntry readEntry(int version, DataInputStream in) throws IOException {
        if (version == 1) {
            String body = readString(in);
            return new SqsMessageEntry(body, utf8Length(body));
        }
        boolean deadLetter = in.readBoolean();
        long position = in.readLong();
        String groupId = null;
        String deduplicationId = null;
        int delaySeconds = SqsMessageEntry.NO_DELAY;
        String entryQueueUrl = null;
        if (version >= 3) {
            groupId = readString(in);
            deduplicationId = readString(in);
            delaySeconds = in.readInt();
        }
        if (version >= 4) {
            entryQueueUrl = readString(in);
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
                body,
                utf8Length(body),
                attributes,
                deadLetter,
                position,
                groupId,
                deduplicationId,
                delaySeconds,
                entryQueueUrl,
                0,
                0);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
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
