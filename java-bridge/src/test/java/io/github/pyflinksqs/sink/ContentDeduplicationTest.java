package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.Fixtures;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Content deduplication ids: the same as Python's on tests/fixtures/deduplication_ids.json. */
class ContentDeduplicationTest {
    @Test
    void everyCaseGivesPythonsId() {
        for (JsonNode c : Fixtures.shared("deduplication_ids.json").path("cases")) {
            Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
            for (JsonNode a : c.path("attributes")) {
                attributes.put(
                        a.path("name").asText(),
                        a.has("binary_base64")
                                ? MessageAttribute.of(
                                        a.path("data_type").asText(),
                                        null,
                                        Base64.getDecoder()
                                                .decode(a.path("binary_base64").asText()))
                                : MessageAttribute.of(
                                        a.path("data_type").asText(),
                                        a.path("string").asText(),
                                        null));
            }
            assertEquals(
                    c.path("content_deduplication_id").asText(),
                    ContentDeduplication.id(
                            c.path("group_id").asText(),
                            Base64.getDecoder().decode(c.path("body_base64").asText()),
                            attributes),
                    c.toString());
        }
    }
}
