package io.github.pyflinksqs.sink;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes the dead-letter copy of a rejected record: its body, and why it was rejected as message
 * attributes. A body SQS would refuse again (forbidden characters, not UTF-8, empty) is sent
 * base64-encoded; a copy over the record size limit is cut to fit, and says so.
 */
final class DeadLetters {
    static final String REASON = "pyflink-sqs.reason";
    static final String DETAIL = "pyflink-sqs.detail";
    static final String SOURCE_QUEUE = "pyflink-sqs.source-queue";
    static final String POSITION = "pyflink-sqs.position";
    static final String BODY_ENCODING = "pyflink-sqs.body-encoding";
    static final String TRUNCATED_FROM = "pyflink-sqs.truncated-from-bytes";
    // SQS caps a String attribute like a body; details are short sentences, kept short.
    private static final int MAX_DETAIL_CHARS = 500;

    private final String sourceQueueUrl;
    private final long maxRecordSizeInBytes;

    DeadLetters(String sourceQueueUrl, long maxRecordSizeInBytes) {
        this.sourceQueueUrl = sourceQueueUrl;
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
    }

    /** The copy to send to the dead-letter queue. */
    SqsMessageEntry copyOf(byte[] serialized, String body, Rejection rejection, long position) {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put(REASON, MessageAttribute.string(rejection.reason()));
        String detail = rejection.detail();
        // Characters are code points, as the Python backend counts them: a cut by UTF-16 units
        // could leave half a surrogate pair, which is no character SQS accepts.
        attributes.put(
                DETAIL,
                MessageAttribute.string(
                        detail.codePointCount(0, detail.length()) > MAX_DETAIL_CHARS
                                ? detail.substring(
                                        0, detail.offsetByCodePoints(0, MAX_DETAIL_CHARS))
                                : detail));
        attributes.put(SOURCE_QUEUE, MessageAttribute.string(sourceQueueUrl));
        if (position >= 0) {
            attributes.put(POSITION, MessageAttribute.of("Number", Long.toString(position), null));
        }

        String copy = body;
        if (body == null || body.isEmpty() || MessageValidator.firstForbidden(body) >= 0) {
            copy = Base64.getEncoder().encodeToString(serialized);
            attributes.put(
                    BODY_ENCODING,
                    MessageAttribute.string(serialized.length == 0 ? "empty" : "base64"));
            if (copy.isEmpty()) {
                copy = "-"; // SQS needs one character; the encoding attribute says it was empty
            }
        }
        int attributesSize = new SqsMessageEntry("", 0, attributes, true, position).sizeInBytes();
        int copyBytes = copy.getBytes(StandardCharsets.UTF_8).length;
        long room =
                maxRecordSizeInBytes
                        - attributesSize
                        - (TRUNCATED_FROM.length() + "Number".length() + 20);
        if (attributesSize + copyBytes > maxRecordSizeInBytes) {
            if (room < 1) {
                throw new RecordRejectedException(
                        "record "
                                + position
                                + " was rejected ("
                                + rejection
                                + ") and cannot go "
                                + "to the dead-letter queue: max_record_size_in_bytes="
                                + maxRecordSizeInBytes
                                + " leaves no room beside the "
                                + attributesSize
                                + " bytes of reason attributes");
            }
            attributes.put(
                    TRUNCATED_FROM,
                    MessageAttribute.of("Number", Integer.toString(copyBytes), null));
            copy = truncateUtf8(copy, (int) room);
        }
        return new SqsMessageEntry(
                copy, copy.getBytes(StandardCharsets.UTF_8).length, attributes, true, position);
    }

    /** The longest prefix of at most maxBytes UTF-8 bytes that does not split a character. */
    static String truncateUtf8(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int c = text.codePointAt(end);
            int width = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            if (bytes + width > maxBytes) {
                break;
            }
            bytes += width;
            end += Character.charCount(c);
        }
        return text.substring(0, end);
    }
}
