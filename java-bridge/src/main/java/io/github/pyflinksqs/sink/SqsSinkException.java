package io.github.pyflinksqs.sink;

/** The sink cannot go on; the message names the queue and what went wrong. */
public class SqsSinkException extends RuntimeException {
    public SqsSinkException(String message) {
        super(message);
    }

    public SqsSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
