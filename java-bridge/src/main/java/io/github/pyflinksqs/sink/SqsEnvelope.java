package io.github.pyflinksqs.sink;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the envelope pyflink_sqs/envelope.py (to_envelope) writes for each record when the Python
 * builder describes messages: {"b": body} or {"r": base64 of a body that is not text}, "g" group
 * id, "d" deduplication id, "s" delay seconds, "a" [[name, type, value, binary]], "q" the message's
 * own queue URL. Python already checked names, counts, ids, delays and queue URLs; this only
 * decodes.
 */
final class SqsEnvelope {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SqsEnvelope() {}

    static DescribedMessage parse(byte[] json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "SqsSink expected a message envelope from pyflink_sqs and got "
                            + json.length
                            + " bytes that are not one",
                    e);
        }
        String body = null;
        byte[] bodyBytes;
        if (node.hasNonNull("b")) {
            body = node.get("b").asText();
            bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        } else {
            bodyBytes = Base64.getDecoder().decode(node.path("r").asText(""));
        }
        Map<String, MessageAttribute> attributes = Collections.emptyMap();
        JsonNode given = node.get("a");
        if (given != null && given.size() > 0) {
            attributes = new LinkedHashMap<>();
            for (JsonNode attribute : given) {
                String value = attribute.get(2).asText();
                attributes.put(
                        attribute.get(0).asText(),
                        attribute.get(3).asBoolean()
                                ? MessageAttribute.of(
                                        attribute.get(1).asText(),
                                        null,
                                        Base64.getDecoder().decode(value))
                                : MessageAttribute.of(attribute.get(1).asText(), value, null));
            }
        }
        return new DescribedMessage(
                body,
                bodyBytes,
                node.hasNonNull("g") ? node.get("g").asText() : null,
                node.hasNonNull("d") ? node.get("d").asText() : null,
                node.hasNonNull("s") ? node.get("s").asInt() : SqsMessageEntry.NO_DELAY,
                attributes,
                node.hasNonNull("q") ? node.get("q").asText() : null);
    }
}
