package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.Fixtures;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What SQS accepts as a body: Java rejects what Python rejects, in the same words. */
class MessageValidatorTest {
    @Test
    void everyBodyCaseIsJudgedAsPythonJudgesIt() {
        JsonNode rules = Fixtures.shared("body_rules.json");
        long limit = rules.path("max_record_size_in_bytes").asLong();
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : rules.path("cases")) {
            String body = c.path("body").asText();
            Rejection rejection =
                    MessageValidator.check(
                            body, body.getBytes(StandardCharsets.UTF_8).length, limit);
            String reason = rejection == null ? null : rejection.reason();
            String detail = rejection == null ? null : rejection.detail();
            String expectedReason = c.path("reason").isNull() ? null : c.path("reason").asText();
            String expectedDetail = c.path("detail").isNull() ? null : c.path("detail").asText();
            if (!Objects.equals(reason, expectedReason)
                    || !Objects.equals(detail, expectedDetail)) {
                wrong.add(c + " -> " + rejection);
            }
        }
        assertEquals(List.of(), wrong);
    }
}
