package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.config.GeneratedResource;
import io.github.pyflinksqs.config.PythonRepr;
import io.github.pyflinksqs.config.QueueUrls;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What SQS accepts in a message besides its body: group and deduplication ids, delays and message
 * attributes. The rules of pyflink_sqs/message_rules.py, in its words: the Python builder checks
 * messages described in Python, this class those described in the JVM (SQL metadata columns);
 * tests/fixtures/message_rules.json holds both to the same answers. Each check returns null, or the
 * problem in a sentence that starts with {@code where}.
 */
public final class MessageRules {
    // SQS's limits (API_SendMessage.html) and patterns as pyflink_sqs/message_rules.py writes them,
    // from the resource the jar build generates from it.
    private static final GeneratedResource RULES =
            GeneratedResource.load("/io/github/pyflinksqs/message-rules.properties");
    public static final int MAX_ATTRIBUTES = RULES.integer("max-attributes");
    static final int MAX_ATTRIBUTE_NAME_CHARS = RULES.integer("max-attribute-name-chars");
    static final int MAX_ID_CHARS = RULES.integer("max-id-chars");
    public static final int MAX_DELAY_SECONDS = RULES.integer("max-delay-seconds");
    private static final List<String> RESERVED_PREFIXES =
            List.of(RULES.text("reserved-prefixes").split(","));
    private static final Pattern ATTRIBUTE_NAME =
            Pattern.compile(RULES.text("attribute-name-pattern"));
    // Letters, digits and punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~).
    private static final Pattern ID = Pattern.compile(RULES.text("id-pattern"));

    private MessageRules() {}

    /** A group or deduplication id: 1..128 letters, digits and punctuation. */
    public static String idProblem(String value, String what, String where) {
        if (value == null
                || value.isEmpty()
                || value.length() > MAX_ID_CHARS
                || !ID.matcher(value).matches()) {
            return where
                    + ": "
                    + what
                    + " must be 1.."
                    + MAX_ID_CHARS
                    + " characters of "
                    + "letters, digits and punctuation, got "
                    + PythonRepr.of(value);
        }
        return null;
    }

    public static String delayProblem(int delaySeconds, String where) {
        if (delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
            return where
                    + ": delay_seconds must be an integer in 0.."
                    + MAX_DELAY_SECONDS
                    + ", got "
                    + delaySeconds;
        }
        return null;
    }

    /** String attributes, as SQL's MAP<STRING, STRING> gives them (a null value included). */
    public static String stringAttributesProblem(Map<String, String> attributes, String where) {
        if (attributes.size() > MAX_ATTRIBUTES) {
            return where
                    + ": "
                    + attributes.size()
                    + " message attributes, SQS allows at most "
                    + MAX_ATTRIBUTES;
        }
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            String problem = attributeNameProblem(attribute.getKey(), where);
            if (problem == null) {
                problem = stringValueProblem(attribute.getKey(), attribute.getValue(), where);
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /**
     * A message's own queue: a queue URL, in the sink's region (null: not known), of the sink's
     * kind, since the group and deduplication rules were checked for the sink's kind.
     */
    public static String queueProblem(String url, String sinkRegion, boolean fifo, String where) {
        String problem = QueueUrls.problem(url, "queue_url");
        if (problem != null) {
            return where + ": " + problem;
        }
        String queue = url.trim();
        String region = QueueUrls.region(queue);
        if (region != null && sinkRegion != null && !region.equals(sinkRegion)) {
            return where
                    + ": queue_url "
                    + queue
                    + " is in region "
                    + region
                    + ", and the sink "
                    + "sends to "
                    + sinkRegion
                    + " with its endpoint and credentials; use one "
                    + "sink per region";
        }
        if (QueueUrls.isFifo(queue) != fifo) {
            return where
                    + ": queue_url "
                    + queue
                    + " is "
                    + kind(!fifo)
                    + " queue and the "
                    + "sink's is "
                    + kind(fifo)
                    + " one; a message's queue must be of the "
                    + "sink's kind";
        }
        return null;
    }

    private static String kind(boolean fifo) {
        return fifo ? "a FIFO" : "a standard";
    }

    static String attributeNameProblem(String name, String where) {
        String problem = null;
        if (name == null || name.isEmpty()) {
            problem = "must be a non-empty str";
        } else if (name.length() > MAX_ATTRIBUTE_NAME_CHARS) {
            problem = "is " + name.length() + " characters long, over " + MAX_ATTRIBUTE_NAME_CHARS;
        } else if (!ATTRIBUTE_NAME.matcher(name).matches()) {
            problem = "may contain only letters, digits, '_', '-' and '.'";
        } else if (RESERVED_PREFIXES.stream().anyMatch(name.toLowerCase(Locale.ROOT)::startsWith)) {
            problem = "must not start with 'AWS.' or 'Amazon.' (reserved)";
        } else if (name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            problem = "must not start or end with '.' nor contain '..'";
        }
        return problem == null
                ? null
                : where + ": attribute name " + PythonRepr.of(name) + " " + problem;
    }

    static String stringValueProblem(String name, String value, String where) {
        String what = where + ": attribute " + PythonRepr.full(name); // {name!r}
        if (value == null || value.isEmpty()) {
            return what + ": a String value must be a non-empty str";
        }
        int index = MessageValidator.firstForbidden(value);
        if (index >= 0) {
            return String.format(
                    "%s: contains U+%04X, which SQS does not allow",
                    what, value.codePointAt(index));
        }
        return null;
    }
}
