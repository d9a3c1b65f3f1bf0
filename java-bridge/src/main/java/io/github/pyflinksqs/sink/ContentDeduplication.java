package io.github.pyflinksqs.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deduplication id the sink gives a FIFO message that has none: SHA-256 (hex) of its group id,
 * body and attributes, each part length-prefixed. The same as content_deduplication_id in
 * pyflink_sqs/deduplication.py (tests/fixtures/deduplication_ids.json holds both), so a record
 * replayed after a restore gets the id it had, and SQS drops it within its 5-minute window.
 */
public final class ContentDeduplication {
    private ContentDeduplication() {}

    public static String id(String groupId, byte[] body, Map<String, MessageAttribute> attributes) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        update(digest, groupId.getBytes(StandardCharsets.UTF_8));
        update(digest, body);
        for (Map.Entry<String, MessageAttribute> attribute : new TreeMap<>(attributes).entrySet()) {
            MessageAttribute value = attribute.getValue();
            update(digest, attribute.getKey().getBytes(StandardCharsets.UTF_8));
            update(digest, value.dataType().getBytes(StandardCharsets.UTF_8));
            update(
                    digest,
                    value.binaryValue() != null
                            ? value.binaryValue()
                            : value.stringValue().getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder hex = new StringBuilder(64);
        for (byte b : digest.digest()) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16))
                    .append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }

    private static void update(MessageDigest digest, byte[] part) {
        long length = part.length;
        for (int shift = 56; shift >= 0; shift -= 8) {
            digest.update((byte) (length >>> shift));
        }
        digest.update(part);
    }
}
