package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.Fixtures;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DeadLetters copies each rejected record of tests/fixtures/dead_letter_cases.json as the Python
 * backend does (tests/unit/test_dead_letter_cases.py): the same body, attributes in the same order
 * and size, or the same error when the copy cannot fit.
 */
class DeadLetterCasesTest {
    private static final JsonNode FIXTURE = Fixtures.shared("dead_letter_cases.json");

    @Test
    void everyRecordIsCopiedAsThePythonBackendCopiesIt() {
        assertTrue(FIXTURE.path("cases").size() >= 15);
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : FIXTURE.path("cases")) {
            String want =
                    c.path("copy").isNull()
                            ? "cannot: " + c.path("cannot").asText()
                            : describe(c.path("copy"));
            String got = copied(c);
            if (!got.equals(want)) {
                wrong.add(c.path("what").asText() + ":\n want " + want + "\n got  " + got);
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static String copied(JsonNode c) {
        DeadLetters deadLetters =
                new DeadLetters(
                        FIXTURE.path("source_queue_url").asText(),
                        c.path("max_record_size_in_bytes").asLong());
        SqsMessageEntry copy;
        try {
            copy =
                    deadLetters.copyOf(
                            Base64.getDecoder().decode(c.path("serialized_base64").asText()),
                            c.path("body").isNull() ? null : c.path("body").asText(),
                            new Rejection(c.path("reason").asText(), c.path("detail").asText()),
                            c.path("position").asLong());
        } catch (RecordRejectedException e) {
            return "cannot: " + e.getMessage();
        }
        StringBuilder text =
                new StringBuilder("body ").append(quoted(copy.body())).append(", attributes [");
        for (Map.Entry<String, MessageAttribute> a : copy.attributes().entrySet()) {
            text.append(a.getKey())
                    .append(' ')
                    .append(a.getValue().dataType())
                    .append(' ')
                    .append(quoted(a.getValue().stringValue()))
                    .append("; ");
        }
        return text.append("], size ")
                .append(copy.sizeInBytes())
                .append(", dead letter ")
                .append(copy.isDeadLetter())
                .append(", position ")
                .append(copy.position())
                .toString();
    }

    /** The fixture's copy in the words of {@link #copied}. */
    private static String describe(JsonNode copy) {
        StringBuilder text =
                new StringBuilder("body ")
                        .append(quoted(copy.path("body").asText()))
                        .append(", attributes [");
        for (JsonNode a : copy.path("attributes")) {
            text.append(a.path("name").asText())
                    .append(' ')
                    .append(a.path("data_type").asText())
                    .append(' ')
                    .append(quoted(a.path("string").asText()))
                    .append("; ");
        }
        return text.append("], size ")
                .append(copy.path("size").asInt())
                .append(", dead letter ")
                .append(copy.path("dead_letter").asBoolean())
                .append(", position ")
                .append(copy.path("position").asLong())
                .toString();
    }

    /** The text with anything outside printable ASCII as \\uXXXX, so a failure shows it. */
    private static String quoted(String text) {
        StringBuilder quoted = new StringBuilder("'");
        for (char c : text.toCharArray()) {
            quoted.append(
                    c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return quoted.append("'").toString();
    }
}
