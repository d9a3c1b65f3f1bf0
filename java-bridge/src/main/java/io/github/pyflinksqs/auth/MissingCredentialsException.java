package io.github.pyflinksqs.auth;

/**
 * The credentials provider could not supply credentials. Retryable when the provider says the cause
 * may pass (STS or a metadata endpoint did not answer, or answered 5xx); otherwise the message says
 * what to set, and retrying changes nothing.
 */
public class MissingCredentialsException extends RuntimeException {
    private final boolean retryable;

    public MissingCredentialsException(String message) {
        this(message, false, null);
    }

    public MissingCredentialsException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean isRetryable() {
        return retryable;
    }
}
