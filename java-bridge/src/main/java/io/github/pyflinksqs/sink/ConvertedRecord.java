package io.github.pyflinksqs.sink;

/** An element made into a message: the entry to send, or why it cannot be sent. */
final class ConvertedRecord {
    private final SqsMessageEntry entry;
    private final byte[] serialized;
    private final Rejection rejection;
    private final long position;
    private final String s3Key;

    ConvertedRecord(SqsMessageEntry entry, byte[] serialized, Rejection rejection, long position) {
        this(entry, serialized, rejection, position, null);
    }

    ConvertedRecord(
            SqsMessageEntry entry,
            byte[] serialized,
            Rejection rejection,
            long position,
            String s3Key) {
        this.entry = entry;
        this.serialized = serialized;
        this.rejection = rejection;
        this.position = position;
        this.s3Key = s3Key;
    }

    /** Null when the serialized bytes are not UTF-8 text. */
    SqsMessageEntry entry() {
        return entry;
    }

    /** The bytes the serialization schema produced. */
    byte[] serialized() {
        return serialized;
    }

    /** Null when the record can be sent. */
    Rejection rejection() {
        return rejection;
    }

    long position() {
        return position;
    }

    /**
     * With large-payload offload, the S3 key the body goes to before the entry is sent; null when
     * the message stays inline.
     */
    String s3Key() {
        return s3Key;
    }
}
