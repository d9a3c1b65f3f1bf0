package io.github.pyflinksqs.client;

import io.github.pyflinksqs.Fixtures;
import io.github.pyflinksqs.sink.MessageAttribute;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** SQS's digests on tests/fixtures/md5_vectors.json (published ones, and LocalStack's). */
class MessageMd5Test {
    private static final JsonNode VECTORS = Fixtures.shared("md5_vectors.json");

    @Test
    void everyBodyVector() {
        for (JsonNode v : VECTORS.path("bodies")) {
            assertEquals(
                    v.path("md5").asText(),
                    MessageMd5.ofBody(v.path("body").asText()),
                    v.path("source").asText());
        }
    }

    @Test
    void everyAttributeVector() {
        for (JsonNode v : VECTORS.path("attributes")) {
            Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = v.path("attributes").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                attributes.put(
                        field.getKey(),
                        value.has("BinaryValue")
                                ? MessageAttribute.of(
                                        value.path("DataType").asText(),
                                        null,
                                        Base64.getDecoder()
                                                .decode(value.path("BinaryValue").asText()))
                                : MessageAttribute.of(
                                        value.path("DataType").asText(),
                                        value.path("StringValue").asText(),
                                        null));
            }
            assertEquals(
                    v.path("md5").asText(),
                    MessageMd5.ofAttributes(attributes),
                    v.path("source").asText());
        }
        assertNull(MessageMd5.ofAttributes(Map.of()));
    }
}
