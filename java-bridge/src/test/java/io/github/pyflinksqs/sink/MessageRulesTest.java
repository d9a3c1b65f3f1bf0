package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.Fixtures;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ids, attributes and delays: Java judges each case as pyflink_sqs/message_rules.py does, in its
 * words.
 */
class MessageRulesTest {
    private static final JsonNode RULES = Fixtures.shared("message_rules.json");
    private static final String WHERE = RULES.path("where").asText();

    private static String expected(JsonNode c) {
        return c.path("problem").isNull() ? null : c.path("problem").asText();
    }

    private static void agree(List<String> wrong, JsonNode c, String answer) {
        if (!Objects.equals(expected(c), answer)) {
            wrong.add(c + " -> " + answer);
        }
    }

    @Test
    void idsAttributeNamesValuesDelaysAndCountsAreJudgedAsPythonJudgesThem() {
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : RULES.path("ids")) {
            agree(
                    wrong,
                    c,
                    MessageRules.idProblem(
                            c.path("value").asText(), c.path("what").asText(), WHERE));
        }
        for (JsonNode c : RULES.path("attribute_names")) {
            agree(wrong, c, MessageRules.attributeNameProblem(c.path("name").asText(), WHERE));
        }
        for (JsonNode c : RULES.path("string_values")) {
            agree(wrong, c, MessageRules.stringValueProblem("n", c.path("value").asText(), WHERE));
        }
        for (JsonNode c : RULES.path("delays")) {
            agree(wrong, c, MessageRules.delayProblem(c.path("delay").asInt(), WHERE));
        }
        for (JsonNode c : RULES.path("attribute_counts")) {
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 0; i < c.path("count").asInt(); i++) {
                attributes.put("a" + i, "v");
            }
            agree(wrong, c, MessageRules.stringAttributesProblem(attributes, WHERE));
        }
        for (JsonNode c : RULES.path("queues")) {
            agree(
                    wrong,
                    c,
                    MessageRules.queueProblem(
                            c.path("url").asText(),
                            c.path("sink_region").asText(),
                            c.path("fifo").asBoolean(),
                            WHERE));
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void theCasesCoverBothVerdictsOfEveryRule() {
        for (String rule :
                List.of(
                        "ids",
                        "attribute_names",
                        "string_values",
                        "delays",
                        "attribute_counts",
                        "queues")) {
            boolean accepted = false;
            boolean refused = false;
            for (JsonNode c : RULES.path(rule)) {
                accepted |= c.path("problem").isNull();
                refused |= !c.path("problem").isNull();
            }
            assertTrue(accepted && refused, rule);
        }
    }
}
