package io.github.pyflinksqs.errors;

/** What the sink does about an error; the values of pyflink_sqs/error_codes.py's Action. */
public enum ErrorAction {
    /** Transient: send again after a backoff. */
    RETRY,
    /** Transient, and the service asks us to slow down. */
    THROTTLE,
    /** Asking again changes nothing: fail the job, saying what to check. */
    FATAL,
    /** This record can never be sent: the rejected-record policy applies. */
    REJECT;

    public boolean isTransient() {
        return this == RETRY || this == THROTTLE;
    }
}
