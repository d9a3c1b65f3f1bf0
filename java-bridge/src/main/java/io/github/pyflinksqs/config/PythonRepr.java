package io.github.pyflinksqs.config;

/**
 * A str as Python's repr() shows it (quotes, escapes of control characters), cut to 80 characters
 * as pyflink_sqs cuts values in its messages, so errors raised in the JVM read as those raised in
 * Python (tests/fixtures hold both to the same words).
 */
public final class PythonRepr {
    private PythonRepr() {}

    public static String of(String value) {
        return shortened(full(value));
    }

    /** repr() without the cut, as an f-string's {value!r} gives it. */
    public static String full(String value) {
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
        return text.append(quote).toString();
    }

    private static String shortened(String shown) {
        return shown.codePointCount(0, shown.length()) <= 80
                ? shown
                : shown.substring(0, shown.offsetByCodePoints(0, 77)) + "...";
    }
}
