package io.github.pyflinksqs.config;

import io.github.pyflinksqs.Fixtures;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AwsClientProperties.masked (the Java sink's log of its client properties) masks each property of
 * tests/fixtures/masking_cases.json as the Python sink does (tests/unit/test_masking_cases.py).
 */
class MaskingCasesTest {
    @Test
    void everyPropertyIsShownAsThePythonSinkShowsIt() {
        JsonNode cases = Fixtures.shared("masking_cases.json").path("cases");
        assertTrue(cases.size() >= 20);
        Properties properties = new Properties();
        Map<String, String> expected = new TreeMap<>();
        for (JsonNode c : cases) {
            properties.setProperty(c.path("key").asText(), c.path("value").asText());
            expected.put(c.path("key").asText(), c.path("shown").asText());
        }
        assertEquals(expected, AwsClientProperties.masked(properties));
    }
}
