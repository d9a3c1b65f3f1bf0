package io.github.pyflinksqs.client;

import io.github.pyflinksqs.sink.MessageAttribute;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MD5 digests SQS returns for each message it stored (MD5OfMessageBody,
 * MD5OfMessageAttributes), computed as SQS and the AWS SDK for Java's MessageMD5ChecksumInterceptor
 * compute them, so an answer can be checked against what was sent. Attributes: sorted by name; per
 * attribute the 4-byte big-endian length and UTF-8 bytes of the name and of the data type, one
 * transport byte (1 string, 2 binary), then the length and bytes of the value.
 * pyflink_sqs/message_md5.py is the same algorithm; both are tested against
 * tests/fixtures/md5_vectors.json.
 */
public final class MessageMd5 {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final byte STRING_TRANSPORT = 1;
    private static final byte BINARY_TRANSPORT = 2;

    private MessageMd5() {}

    public static String ofBody(String body) {
        return hex(md5().digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Null for no attributes (SQS then returns no MD5OfMessageAttributes). */
    public static String ofAttributes(Map<String, MessageAttribute> attributes) {
        if (attributes.isEmpty()) {
            return null;
        }
        MessageDigest digest = md5();
        for (Map.Entry<String, MessageAttribute> attribute : new TreeMap<>(attributes).entrySet()) {
            MessageAttribute value = attribute.getValue();
            update(digest, attribute.getKey().getBytes(StandardCharsets.UTF_8));
            update(digest, value.dataType().getBytes(StandardCharsets.UTF_8));
            if (value.binaryValue() != null) {
                digest.update(BINARY_TRANSPORT);
                update(digest, value.binaryValue());
            } else {
                digest.update(STRING_TRANSPORT);
                update(digest, value.stringValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return hex(digest.digest());
    }

    private static void update(MessageDigest digest, byte[] part) {
        digest.update(ByteBuffer.allocate(4).putInt(part.length).array());
        digest.update(part);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }
}
