package io.github.pyflinksqs.sink;

/** A record that cannot be sent as it is. The message names the record, never its body. */
public class RecordRejectedException extends RuntimeException {
    public RecordRejectedException(String message) {
        super(message);
    }
}
