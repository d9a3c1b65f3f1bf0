package io.github.pyflinksqs.errors;

import io.github.pyflinksqs.config.GeneratedResource;

import java.util.HashMap;
import java.util.Map;

/**
 * Classifies SQS errors by the table of pyflink_sqs/error_codes.py, which the jar build writes into
 * error-codes.properties. The fallbacks for codes the table does not know mirror
 * classify_request/classify_entry/classify_s3 there; tests run the same cases against both.
 */
public final class ErrorClassifier {
    static final String RESOURCE = "/io/github/pyflinksqs/error-codes.properties";
    private static final ErrorRule RETRY = new ErrorRule(ErrorAction.RETRY, "");
    private static final ErrorRule THROTTLE = new ErrorRule(ErrorAction.THROTTLE, "");
    private static final ErrorRule REJECT = new ErrorRule(ErrorAction.REJECT, "");
    private static final ErrorRule REFUSED =
            new ErrorRule(
                    ErrorAction.FATAL,
                    "the request was refused; check the queue URL, region, endpoint "
                            + "and credentials");

    private static final Map<String, ErrorRule> REQUEST_RULES = new HashMap<>();
    private static final Map<String, ErrorRule> ENTRY_RULES = new HashMap<>();
    private static final Map<String, ErrorRule> S3_RULES = new HashMap<>();
    private static final Map<String, ErrorRule> CALL_FAILURE_RULES = new HashMap<>();
    private static final ErrorRule S3_REFUSED =
            new ErrorRule(
                    ErrorAction.FATAL,
                    "S3 refused the request; check the bucket, endpoint and credentials");

    static {
        GeneratedResource table = GeneratedResource.load(RESOURCE);
        for (String key : table.keys()) {
            String value = table.text(key);
            int bar = value.indexOf('|');
            ErrorRule rule =
                    new ErrorRule(
                            ErrorAction.valueOf(value.substring(0, bar)), value.substring(bar + 1));
            if (key.startsWith("request.")) {
                REQUEST_RULES.put(key.substring("request.".length()), rule);
            } else if (key.startsWith("entry.")) {
                ENTRY_RULES.put(key.substring("entry.".length()), rule);
            } else if (key.startsWith("s3.")) {
                S3_RULES.put(key.substring("s3.".length()), rule);
            } else if (key.startsWith("call.")) {
                CALL_FAILURE_RULES.put(key.substring("call.".length()), rule);
            }
        }
    }

    private ErrorClassifier() {}

    /** A call that failed with an HTTP status; status 0 when there was no answer. */
    /** Our name for a failed TLS handshake (pyflink_sqs/error_codes.py TLS_NOT_TRUSTED). */
    public static final String TLS_NOT_TRUSTED = "pyflink-sqs.TlsNotTrusted";

    public static ErrorRule classifyRequest(int status, String code, String queryCode) {
        for (String name : new String[] {code, queryCode}) {
            if (name != null && REQUEST_RULES.containsKey(name)) {
                return REQUEST_RULES.get(name);
            }
        }
        return byStatus(status, REFUSED);
    }

    /** A PutObject of large-payload offload that failed; status 0 when there was no answer. */
    public static ErrorRule classifyS3(int status, String code) {
        ErrorRule rule = code == null ? null : S3_RULES.get(code);
        return rule != null ? rule : byStatus(status, S3_REFUSED);
    }

    /**
     * A call without an answer from SQS, by its kind (a key of error_codes.CALL_FAILURE_RULES, as
     * SqsSinkWriter.failureKind names it).
     */
    public static ErrorRule classifyCallFailure(String kind) {
        ErrorRule rule = CALL_FAILURE_RULES.get(kind);
        if (rule == null) {
            throw new IllegalArgumentException(
                    "no call failure kind '"
                            + kind
                            + "' in "
                            + RESOURCE
                            + ": a bug in pyflink-sqs");
        }
        return rule;
    }

    /** A code the table does not know: 5xx and no answer are transient, 503 and 429 slow down. */
    private static ErrorRule byStatus(int status, ErrorRule refused) {
        if (status == 0 || status >= 500) {
            return status == 503 ? THROTTLE : RETRY;
        }
        return status == 429 ? THROTTLE : refused;
    }

    /** An entry SQS reported under "Failed": known codes by the table, others by SenderFault. */
    public static ErrorRule classifyEntry(String code, boolean senderFault) {
        ErrorRule rule = ENTRY_RULES.get(code);
        if (rule != null) {
            return rule;
        }
        return senderFault ? REJECT : RETRY;
    }
}
