package io.github.pyflinksqs.auth;

/** Credentials cannot be found or are incomplete: not retried, the message says what to set. */
public class MissingCredentialsException extends RuntimeException {
    public MissingCredentialsException(String message) {
        super(message);
    }
}
