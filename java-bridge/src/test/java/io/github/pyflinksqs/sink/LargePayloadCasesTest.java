package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.Fixtures;
import io.github.pyflinksqs.config.LargePayloadOffload;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large-payload offload decides as the Python backend does (large_payload_cases.json): the same
 * arguments refused with the same words, and each message inline or offloaded, with the same size
 * in SQS once offloaded, or rejected for the same reason.
 */
class LargePayloadCasesTest {
    private static final JsonNode CASES = Fixtures.shared("large_payload_cases.json");
    private static final long MAX_RECORD = 8 * 1024 * 1024;

    @Test
    void everyArgumentCaseIsAcceptedOrRefusedAsInPython() {
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : CASES.path("arguments")) {
            String problem = null;
            try {
                new LargePayloadOffload(
                        c.path("bucket").asText(),
                        c.path("threshold").asInt(),
                        c.path("key_prefix").asText(),
                        false,
                        c.path("s3_endpoint").isNull() ? null : c.path("s3_endpoint").asText());
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
            String expected = c.path("problem").isNull() ? null : c.path("problem").asText();
            if (!String.valueOf(expected).equals(String.valueOf(problem))) {
                wrong.add(c + "\n  java: " + problem);
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(CASES.path("arguments").size() >= 15);
    }

    @Test
    void everyS3EndpointIsResolvedAsInPython() {
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : CASES.path("s3_endpoints")) {
            String resolved =
                    new LargePayloadOffload(
                                    "payloads",
                                    LargePayloadOffload.DEFAULT_THRESHOLD_BYTES,
                                    "",
                                    false,
                                    text(c.path("s3_endpoint")))
                            .s3EndpointFor(text(c.path("aws_endpoint")));
            if (!String.valueOf(text(c.path("resolved"))).equals(String.valueOf(resolved))) {
                wrong.add(c + "\n  java: " + resolved);
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(CASES.path("s3_endpoints").size() >= 10);
    }

    private static String text(JsonNode node) {
        return node.isNull() ? null : node.asText();
    }

    @Test
    void everyMessageCaseConvertsAsInPython() {
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : CASES.path("messages")) {
            String got = convert(c);
            String expected =
                    c.path("error").isNull()
                            ? c.path("offloaded").asBoolean()
                                    + " "
                                    + c.path("size").asLong()
                                    + " "
                                    + c.path("reason").asText(null)
                                    + " "
                                    + c.path("detail").asText(null)
                            : "error " + c.path("error").asText();
            if (!expected.equals(got)) {
                wrong.add(c + "\n  java:   " + got + "\n  python: " + expected);
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** "offloaded size reason detail" (size as sent, once offloaded), or "error <message>". */
    private static String convert(JsonNode c) {
        LargePayloadOffload offload =
                new LargePayloadOffload(
                        "payloads", c.path("threshold").asInt(), "in/", false, null);
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        c.path("attributes")
                .fields()
                .forEachRemaining(
                        a -> {
                            String type = a.getValue().get(0).asText();
                            String value = a.getValue().get(1).asText();
                            attributes.put(
                                    a.getKey(),
                                    type.equals("Binary")
                                            ? MessageAttribute.of(
                                                    type, null, Base64.getDecoder().decode(value))
                                            : MessageAttribute.of(type, value, null));
                        });
        MessageDescriber<String> describer =
                new MessageDescriber<>() {
                    @Override
                    public void open(SerializationSchema.InitializationContext context) {}

                    @Override
                    public DescribedMessage describe(String body, long position) {
                        return new DescribedMessage(
                                body,
                                body.getBytes(StandardCharsets.UTF_8),
                                null,
                                null,
                                SqsMessageEntry.NO_DELAY,
                                attributes);
                    }
                };
        SqsElementConverter<String> converter =
                new SqsElementConverter<>(
                        describer, MAX_RECORD, offload, c.path("max_message_bytes").asLong());
        ConvertedRecord record;
        try {
            record = converter.convert(c.path("body").asText());
        } catch (IllegalArgumentException e) {
            return "error " + e.getMessage();
        }
        SqsMessageEntry entry = record.entry();
        long size = entry.sizeInBytes();
        if (record.s3Key() != null) {
            int bodyBytes = entry.body().getBytes(StandardCharsets.UTF_8).length;
            size =
                    PayloadOffloader.pointerEntry(entry, offload, record.s3Key(), bodyBytes)
                            .sizeInBytes();
        }
        Rejection rejection = record.rejection();
        return (record.s3Key() != null)
                + " "
                + size
                + " "
                + (rejection == null ? null : rejection.reason())
                + " "
                + (rejection == null ? null : rejection.detail());
    }
}
