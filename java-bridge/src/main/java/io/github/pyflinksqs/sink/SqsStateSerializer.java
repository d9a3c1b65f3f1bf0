package io.github.pyflinksqs.sink;

import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Buffered entries in a checkpoint: the base class writes each entry's size, this class the
 * body's UTF-8 bytes. Version 1.
 */
public class SqsStateSerializer extends AsyncSinkWriterStateSerializer<SqsMessageEntry> {

    @Override
    protected void serializeRequestToStream(SqsMessageEntry entry, DataOutputStream out)
            throws IOException {
        byte[] body = entry.body().getBytes(StandardCharsets.UTF_8);
        out.writeInt(body.length);
        out.write(body);
    }

    @Override
    protected SqsMessageEntry deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return new SqsMessageEntry(new String(body, StandardCharsets.UTF_8), body.length);
    }

    @Override
    public int getVersion() {
        return 1;
    }
}
