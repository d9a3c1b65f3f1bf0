package io.github.pyflinksqs.sink;

import java.util.Locale;

/** How the sink makes the deduplication id of a FIFO message that has none (fifo_deduplication). */
public enum FifoDeduplication {
    /** Each record its own id, kept by a replay ({@link RecordDeduplication}). */
    PER_RECORD,
    /** The message's content: identical messages of a group within 5 minutes are one. */
    CONTENT;

    public static FifoDeduplication parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "fifo_deduplication must be one of per_record, content, got '" + value + "'");
        }
    }
}
