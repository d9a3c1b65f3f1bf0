package io.github.pyflinksqs.sink;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * What SQS accepts in a message besides its body: group and deduplication ids, delays and
 * message attributes. The rules of pyflink_sqs/message.py, in its words: the Python builder
 * checks messages described in Python, this class those described in the JVM (SQL metadata
 * columns); tests/fixtures/message_rules.json holds both to the same answers. Each check
 * returns null, or the problem in a sentence that starts with {@code where}.
 */
public final class MessageRules {
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
    public static final int MAX_ATTRIBUTES = 10;
    static final int MAX_ATTRIBUTE_NAME_CHARS = 256;
    static final int MAX_ID_CHARS = 128;
    public static final int MAX_DELAY_SECONDS = 900;
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    // Letters, digits and punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~).
    private static final Pattern ID =
            Pattern.compile("[A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]+");

    private MessageRules() {}

    /** A group or deduplication id: 1..128 letters, digits and punctuation. */
    public static String idProblem(String value, String what, String where) {
        if (value == null || value.isEmpty() || value.length() > MAX_ID_CHARS
                || !ID.matcher(value).matches()) {
            return where + ": " + what + " must be 1.." + MAX_ID_CHARS + " characters of "
                    + "letters, digits and punctuation, got " + shown(value);
        }
        return null;
    }

    public static String delayProblem(int delaySeconds, String where) {
        if (delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
            return where + ": delay_seconds must be an integer in 0.." + MAX_DELAY_SECONDS
                    + ", got " + delaySeconds;
        }
        return null;
    }

    /** String attributes, as SQL's MAP<STRING, STRING> gives them (a null value included). */
    public static String stringAttributesProblem(Map<String, String> attributes, String where) {
        if (attributes.size() > MAX_ATTRIBUTES) {
            return where + ": " + attributes.size() + " message attributes, SQS allows at most "
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

    static String attributeNameProblem(String name, String where) {
        String problem = null;
        if (name == null || name.isEmpty()) {
            problem = "must be a non-empty str";
        } else if (name.length() > MAX_ATTRIBUTE_NAME_CHARS) {
            problem = "is " + name.length() + " characters long, over " + MAX_ATTRIBUTE_NAME_CHARS;
        } else if (!ATTRIBUTE_NAME.matcher(name).matches()) {
            problem = "may contain only letters, digits, '_', '-' and '.'";
        } else if (name.toLowerCase(java.util.Locale.ROOT).startsWith("aws.")
                || name.toLowerCase(java.util.Locale.ROOT).startsWith("amazon.")) {
            problem = "must not start with 'AWS.' or 'Amazon.' (reserved)";
        } else if (name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            problem = "must not start or end with '.' nor contain '..'";
        }
        return problem == null ? null : where + ": attribute name " + shown(name) + " " + problem;
    }

    static String stringValueProblem(String name, String value, String where) {
        String what = where + ": attribute " + shown(name);
        if (value == null || value.isEmpty()) {
            return what + ": a String value must be a non-empty str";
        }
        int index = MessageValidator.firstForbidden(value);
        if (index >= 0) {
            return String.format(
                    "%s: contains U+%04X, which SQS does not allow", what, value.codePointAt(index));
        }
        return null;
    }

    /**
     * A value as Python's repr() shows a str (quotes, escapes of control characters), cut to 80
     * characters as pyflink_sqs/message.py cuts it, so both sides speak the same words.
     */
    static String shown(String value) {
        if (value == null) {
            return "None";
        }
        char quote = value.indexOf('\'') >= 0 && value.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder text = new StringBuilder().append(quote);
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\\') {
                text.append("\\\\");
            } else if (c == quote) {
                text.append('\\').append(quote);
            } else if (c == '\n') {
                text.append("\\n");
            } else if (c == '\r') {
                text.append("\\r");
            } else if (c == '\t') {
                text.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                text.append(String.format("\\x%02x", c));
            } else {
                text.appendCodePoint(c);
            }
        }
        String shown = text.append(quote).toString();
        return shown.codePointCount(0, shown.length()) <= 80
                ? shown
                : shown.substring(0, shown.offsetByCodePoints(0, 77)) + "...";
    }
}
