package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.client.BatchEntryFailure;
import io.github.pyflinksqs.client.BatchEntrySuccess;
import io.github.pyflinksqs.client.MessageMd5;
import io.github.pyflinksqs.client.SendMessageBatchResult;
import io.github.pyflinksqs.errors.ErrorAction;
import io.github.pyflinksqs.errors.ErrorClassifier;
import io.github.pyflinksqs.errors.ErrorRule;

import java.util.ArrayList;
import java.util.List;

/**
 * What became of each entry of a SendMessageBatch call SQS answered with 200. Pure logic: no I/O,
 * no Flink. The answer must account for every entry sent exactly once, by the Id the entry had in
 * the call (its index): an entry in neither list is sent again (with fail_on_error it fails the
 * job, as a failed entry does), never assumed delivered; an Id that was not sent, or one listed
 * twice, fails the job (the answer cannot be trusted to say which record is which). A delivered
 * entry's MD5OfMessageBody and MD5OfMessageAttributes must match what was sent, as the AWS SDK for
 * Java checks: a mismatch is sent again, and fails the job at its third mismatch.
 */
final class AnswerSorter {
    static final int MAX_INTEGRITY_FAILURES = Retries.MD5_ATTEMPTS;
    static final String MISSING_FROM_ANSWER = "pyflink-sqs.MissingFromAnswer";
    static final String MD5_MISMATCH = "pyflink-sqs.MD5Mismatch";

    private AnswerSorter() {}

    /** An entry SQS refused for good: the rejected-record policy decides. */
    static final class Refusal {
        final SqsMessageEntry entry;
        final String code;
        final String message;

        Refusal(SqsMessageEntry entry, String code, String message) {
            this.entry = entry;
            this.code = code;
            this.message = message;
        }
    }

    /** An entry to send again, and why (for the rate-limited WARNING). */
    static final class Retry {
        final SqsMessageEntry entry;
        final String code;
        final String what;

        Retry(SqsMessageEntry entry, String code, String what) {
            this.entry = entry;
            this.code = code;
            this.what = what;
        }
    }

    static final class Outcome {
        final List<SqsMessageEntry> delivered = new ArrayList<>();
        final List<Retry> retry = new ArrayList<>();
        final List<Refusal> refused = new ArrayList<>();

        /** Null unless the job must fail; then the message says why. */
        String fatal;
    }

    static Outcome sort(
            List<SqsMessageEntry> sent,
            SendMessageBatchResult result,
            String target,
            boolean failOnError) {
        Outcome outcome = new Outcome();
        boolean[] answered = new boolean[sent.size()];
        for (BatchEntrySuccess success : result.successful()) {
            int index = index(success.id(), sent.size(), answered, target, outcome);
            if (index < 0) {
                return outcome;
            }
            SqsMessageEntry entry = sent.get(index);
            String mismatch = md5Mismatch(entry, success);
            if (mismatch == null) {
                outcome.delivered.add(entry);
            } else {
                // The same words as the Python backend (sender.py).
                String what =
                        "SQS acknowledged "
                                + entry.describe()
                                + " sent to "
                                + target
                                + " with a "
                                + mismatch;
                if (entry.integrityFailures() + 1 >= MAX_INTEGRITY_FAILURES) {
                    outcome.fatal =
                            what
                                    + ", in "
                                    + MAX_INTEGRITY_FAILURES
                                    + " attempts; the "
                                    + "message SQS stored may not be the one sent: check what lies "
                                    + "between the sink and aws.endpoint (a proxy rewriting bodies)";
                    return outcome;
                }
                if (failOnError) {
                    outcome.fatal = what + " (fail_on_error is set)";
                    return outcome;
                }
                outcome.retry.add(new Retry(entry, MD5_MISMATCH, what));
            }
        }
        for (BatchEntryFailure failure : result.failed()) {
            int index = index(failure.id(), sent.size(), answered, target, outcome);
            if (index < 0) {
                return outcome;
            }
            SqsMessageEntry entry = sent.get(index);
            String what =
                    "SQS refused "
                            + entry.describe()
                            + " sent to "
                            + target
                            + ": "
                            + failure.code()
                            + (failure.message().isEmpty() ? "" : " (" + failure.message() + ")");
            if (failOnError) {
                outcome.fatal = what + " (fail_on_error is set)";
                return outcome;
            }
            ErrorRule rule = ErrorClassifier.classifyEntry(failure.code(), failure.senderFault());
            if (rule.action().isTransient()) {
                outcome.retry.add(new Retry(entry, failure.code(), what));
            } else if (rule.action() == ErrorAction.FATAL || entry.isDeadLetter()) {
                // A dead-letter copy SQS refuses again has nowhere left to go.
                outcome.fatal = what + (rule.hint().isEmpty() ? "" : "; " + rule.hint());
                return outcome;
            } else {
                outcome.refused.add(new Refusal(entry, failure.code(), failure.message()));
            }
        }
        int missing = 0;
        for (boolean listed : answered) {
            missing += listed ? 0 : 1;
        }
        if (missing > 0 && failOnError) {
            // An entry the answer leaves out failed as surely as one under Failed (the Python
            // backend's words, sender.py).
            outcome.fatal =
                    "SQS's answer to SendMessageBatch to "
                            + target
                            + " lists "
                            + missing
                            + " of the "
                            + sent.size()
                            + " entries sent neither as Successful nor as Failed (fail_on_error"
                            + " is set)";
            return outcome;
        }
        for (int i = 0; i < sent.size(); i++) {
            if (!answered[i]) {
                SqsMessageEntry entry = sent.get(i);
                outcome.retry.add(
                        new Retry(
                                entry,
                                MISSING_FROM_ANSWER,
                                "SQS's answer to the "
                                        + "call to "
                                        + target
                                        + " listed "
                                        + entry.describe()
                                        + " neither as "
                                        + "successful nor as failed"));
            }
        }
        return outcome;
    }

    /** The entry an answered Id names, or -1 after recording why the answer is unusable. */
    private static int index(
            String id, int sent, boolean[] answered, String target, Outcome outcome) {
        int index = -1;
        try {
            index = Integer.parseInt(id);
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        if (index < 0 || index >= sent || !String.valueOf(index).equals(id)) {
            outcome.fatal =
                    "SQS's answer to a call to "
                            + target
                            + " names an entry Id this "
                            + "sink did not send ('"
                            + shorten(id)
                            + "'; sent: 0.."
                            + (sent - 1)
                            + "), so it "
                            + "cannot tell which records were delivered";
            return -1;
        }
        if (answered[index]) {
            outcome.fatal =
                    "SQS's answer to a call to "
                            + target
                            + " lists entry "
                            + index
                            + " twice, so it cannot tell which records were delivered";
            return -1;
        }
        answered[index] = true;
        return index;
    }

    /**
     * Which digest differs (with both values), or null; one the answer leaves out is not checked.
     */
    static String md5Mismatch(SqsMessageEntry entry, BatchEntrySuccess success) {
        String body = MessageMd5.ofBody(entry.body());
        if (success.md5OfMessageBody() != null
                && !success.md5OfMessageBody().equalsIgnoreCase(body)) {
            return mismatch("MD5OfMessageBody", success.md5OfMessageBody(), body);
        }
        String attributes = MessageMd5.ofAttributes(entry.attributes());
        if (attributes != null
                && success.md5OfMessageAttributes() != null
                && !success.md5OfMessageAttributes().equalsIgnoreCase(attributes)) {
            return mismatch("MD5OfMessageAttributes", success.md5OfMessageAttributes(), attributes);
        }
        return null;
    }

    private static String mismatch(String field, String returned, String expected) {
        String shown = returned.length() <= 32 ? returned : returned.substring(0, 32);
        return field + " of '" + shown + "' where the entry sent has '" + expected + "'";
    }

    private static String shorten(String id) {
        return id.length() <= 40 ? id : id.substring(0, 37) + "...";
    }
}
