package io.github.pyflinksqs.errors;

import io.github.pyflinksqs.Fixtures;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One classification table for both backends: Java answers every case as Python does. */
class ErrorClassifierTest {
    private static final JsonNode CASES = Fixtures.shared("error_cases.json");

    @Test
    void everyRequestCaseIsClassifiedAsPythonDoes() {
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : CASES.path("requests")) {
            ErrorRule rule =
                    ErrorClassifier.classifyRequest(
                            c.path("status").asInt(),
                            c.path("code").asText(),
                            c.path("query_code").asText());
            if (!rule.action().name().equals(c.path("action").asText())
                    || !rule.hint().equals(c.path("hint").asText())) {
                wrong.add(c + " -> " + rule);
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(CASES.path("requests").size() > 100);
    }

    @Test
    void everyS3CaseIsClassifiedAsPythonDoes() {
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : CASES.path("s3")) {
            ErrorRule rule =
                    ErrorClassifier.classifyS3(c.path("status").asInt(), c.path("code").asText());
            if (!rule.action().name().equals(c.path("action").asText())
                    || !rule.hint().equals(c.path("hint").asText())) {
                wrong.add(c + " -> " + rule);
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(CASES.path("s3").size() > 20);
    }

    @Test
    void everyEntryCaseIsClassifiedAsPythonDoes() {
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : CASES.path("entries")) {
            ErrorRule rule =
                    ErrorClassifier.classifyEntry(
                            c.path("code").asText(), c.path("sender_fault").asBoolean());
            if (!rule.action().name().equals(c.path("action").asText())
                    || !rule.hint().equals(c.path("hint").asText())) {
                wrong.add(c + " -> " + rule);
            }
        }
        assertEquals(List.of(), wrong);
    }
}
