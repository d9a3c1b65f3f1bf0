package io.github.pyflinksqs.sink;

import java.util.Locale;

/** What happens to a record SQS will never accept (rejected_record_policy). */
public enum RejectedRecordPolicy {
    /** Fail the job, naming the record's position, size and reason. */
    FAIL,
    /** Drop it, counted in the rejectedRecords metric and logged (rate-limited). */
    SKIP,
    /** Send a copy to the dead-letter queue with the reason as message attributes. */
    DEAD_LETTER;

    public static RejectedRecordPolicy parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "rejected_record_policy must be one of fail, skip, dead_letter, got '"
                            + value
                            + "'");
        }
    }
}
