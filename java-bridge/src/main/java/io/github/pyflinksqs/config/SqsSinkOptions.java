package io.github.pyflinksqs.config;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Defaults and bounds of the sink options. They are not written here: the jar build generates
 * sink-options.properties from pyflink_sqs/config.py, the one table of options.
 */
public final class SqsSinkOptions {
    static final String RESOURCE = "/io/github/pyflinksqs/sink-options.properties";
    private static final GeneratedResource TABLE = GeneratedResource.load(RESOURCE);

    public static final String FAIL_ON_ERROR = "fail_on_error";
    public static final String MAX_BATCH_SIZE = "max_batch_size";
    public static final String MAX_IN_FLIGHT_REQUESTS = "max_in_flight_requests";
    public static final String MAX_BUFFERED_REQUESTS = "max_buffered_requests";
    public static final String MAX_BATCH_SIZE_IN_BYTES = "max_batch_size_in_bytes";
    public static final String MAX_TIME_IN_BUFFER_MS = "max_time_in_buffer_ms";
    public static final String MAX_RECORD_SIZE_IN_BYTES = "max_record_size_in_bytes";
    public static final String REJECTED_RECORD_POLICY = "rejected_record_policy";
    public static final String FIFO_DEDUPLICATION = "fifo_deduplication";

    private SqsSinkOptions() {}

    public static long defaultValue(String option) {
        return Long.parseLong(required(option + ".default"));
    }

    public static String defaultText(String option) {
        return required(option + ".default");
    }

    public static boolean defaultFlag(String option) {
        return Boolean.parseBoolean(required(option + ".default"));
    }

    /** Throws IllegalArgumentException naming the option, the value and the allowed range. */
    public static long checkBounds(String option, long value) {
        long min = Long.parseLong(required(option + ".min"));
        String max = TABLE.optional(option + ".max");
        if (value < min || (max != null && value > Long.parseLong(max))) {
            throw new IllegalArgumentException(
                    option
                            + " must be "
                            + (max == null
                                    ? "an integer >= " + min
                                    : "an integer in " + min + ".." + max)
                            + ", got "
                            + value);
        }
        return value;
    }

    /** Option name -> its Table API key (sql-key entries of the table), in a stable order. */
    public static SortedMap<String, String> sqlKeys() {
        SortedMap<String, String> keys = new TreeMap<>();
        for (String property : TABLE.keys()) {
            if (property.endsWith(".sql-key")) {
                keys.put(
                        property.substring(0, property.length() - ".sql-key".length()),
                        TABLE.text(property));
            }
        }
        return keys;
    }

    private static String required(String key) {
        return TABLE.text(key);
    }
}
