package io.github.pyflinksqs.config;

import io.github.pyflinksqs.Fixtures;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The region and endpoint the Java backend resolves for each case of
 * tests/fixtures/endpoint_cases.json are the Python sink's (tests/unit/test_endpoint_cases.py), or
 * both refuse the case with the same words.
 */
class EndpointCasesTest {
    @Test
    void everyCaseResolvesAsThePythonSinkResolvesIt() {
        JsonNode cases = Fixtures.shared("endpoint_cases.json").path("cases");
        assertTrue(cases.size() >= 25);
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : cases) {
            String got = resolved(c);
            boolean same =
                    c.path("error").isNull()
                            ? got.equals(
                                    c.path("used_region").asText()
                                            + " "
                                            + c.path("used_endpoint").asText())
                            : got.startsWith("error: ")
                                    && got.contains(c.path("error_words").asText());
            if (!same) {
                wrong.add(
                        "region "
                                + c.path("region")
                                + ", endpoint "
                                + c.path("endpoint")
                                + ", "
                                + c.path("queue_url").asText()
                                + ": want "
                                + (c.path("error").isNull()
                                        ? c.path("used_region").asText()
                                                + " "
                                                + c.path("used_endpoint").asText()
                                        : "error with '" + c.path("error_words").asText() + "'")
                                + ", got "
                                + got);
            }
        }
        assertEquals(List.of(), wrong);
    }

    /**
     * As the Java backend resolves them: aws.region, or when it is blank the queue URL's region
     * (the SQL path's rule; the Python builder always passes the region it resolved), then
     * aws.endpoint or the region's endpoint. The endpoint is written without the trailing slashes
     * the Python sink strips (a request to "http://h:1/" and "http://h:1" is the same).
     */
    private static String resolved(JsonNode c) {
        Properties properties = new Properties();
        if (!c.path("region").isNull()) {
            properties.setProperty(AwsClientProperties.REGION, c.path("region").asText());
        }
        if (!c.path("endpoint").isNull()) {
            properties.setProperty(AwsClientProperties.ENDPOINT, c.path("endpoint").asText());
        }
        try {
            String region =
                    properties.getProperty(AwsClientProperties.REGION, "").trim().isEmpty()
                            ? QueueUrls.region(c.path("queue_url").asText())
                            : null;
            if (region == null) {
                region = AwsClientProperties.region(properties);
            }
            return region
                    + " "
                    + AwsClientProperties.endpoint(properties, region)
                            .toString()
                            .replaceAll("/+$", "");
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
    }
}
