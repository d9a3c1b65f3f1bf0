package io.github.pyflinksqs.sink;

/**
 * What SQS accepts as a message body, checked before sending; the same rules as
 * pyflink_sqs/message_rules.py (tests run shared cases against both).
 */
public final class MessageValidator {
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
    static final String ALLOWED_CHARACTERS =
            "#x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF";

    private MessageValidator() {}

    /** Null when SQS would accept the body; sizeInBytes is what SQS counts for the message. */
    public static Rejection check(String body, long sizeInBytes, long maxRecordSizeInBytes) {
        if (sizeInBytes > maxRecordSizeInBytes) {
            return new Rejection(
                    Rejection.TOO_LARGE,
                    "it is "
                            + sizeInBytes
                            + " bytes, over max_record_size_in_bytes="
                            + maxRecordSizeInBytes);
        }
        if (body.isEmpty()) {
            return new Rejection(
                    Rejection.EMPTY_BODY,
                    "its body is empty, and SQS needs at least one character");
        }
        int index = firstForbidden(body);
        if (index >= 0) {
            return new Rejection(
                    Rejection.INVALID_CHARACTER,
                    String.format(
                            "it contains U+%04X at character %d, which SQS does not allow "
                                    + "(allowed: %s)",
                            body.codePointAt(index),
                            codePointIndex(body, index),
                            ALLOWED_CHARACTERS));
        }
        return null;
    }

    /** The char index of the first forbidden code point, or -1. Lone surrogates are forbidden. */
    static int firstForbidden(String body) {
        int length = body.length();
        for (int i = 0; i < length; ) {
            int c = body.codePointAt(i);
            boolean allowed =
                    c == 0x9
                            || c == 0xA
                            || c == 0xD
                            || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD)
                            || (c >= 0x10000 && c <= 0x10FFFF);
            if (!allowed) {
                return i;
            }
            i += Character.charCount(c);
        }
        return -1;
    }

    /** Characters counted as code points, as Python counts them. */
    private static int codePointIndex(String body, int charIndex) {
        return body.codePointCount(0, charIndex);
    }
}
