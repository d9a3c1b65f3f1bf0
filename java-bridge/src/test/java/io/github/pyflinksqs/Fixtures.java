package io.github.pyflinksqs;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;

/**
 * The case lists both backends are tested against (tests/fixtures/*.json, written from the Python
 * side by tests/fixtures/generate.py), and resources of this module's tests.
 */
public final class Fixtures {
    private static final Path SHARED = Paths.get("..", "tests", "fixtures");

    private Fixtures() {}

    public static JsonNode shared(String name) {
        try {
            return new ObjectMapper().readTree(Files.readAllBytes(SHARED.resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tests/fixtures/" + name, e);
        }
    }

    /**
     * The body of a signing vector: body_base64, or body_repeat times body_length for a long body
     * of one byte (as generate.py stores it).
     */
    public static byte[] vectorBody(JsonNode vector) {
        if (vector.has("body_repeat")) {
            return vector.path("body_repeat")
                    .asText()
                    .repeat(vector.path("body_length").asInt())
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return Base64.getDecoder().decode(vector.path("body_base64").asText());
    }

    /** A hex file of src/test/resources as bytes. */
    public static byte[] hexResource(String name) {
        try {
            String hex =
                    new String(
                                    Fixtures.class.getResourceAsStream("/" + name).readAllBytes(),
                                    StandardCharsets.US_ASCII)
                            .trim();
            byte[] bytes = new byte[hex.length() / 2];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            }
            return bytes;
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("cannot read test resource " + name, e);
        }
    }

    public static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x", b));
        }
        return text.toString();
    }
}
