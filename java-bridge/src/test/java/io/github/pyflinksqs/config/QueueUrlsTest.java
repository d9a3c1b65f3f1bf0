package io.github.pyflinksqs.config;

import io.github.pyflinksqs.Fixtures;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Queue URLs: Java accepts, refuses (in the same words) and reads regions as Python does. */
class QueueUrlsTest {
    @Test
    void everyQueueUrlCaseIsJudgedAsPythonJudgesIt() {
        JsonNode fixture = Fixtures.shared("queue_urls.json");
        String option = fixture.path("option").asText();
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : fixture.path("cases")) {
            String url = c.path("url").asText();
            String problem = QueueUrls.problem(url, option);
            String expected = c.path("problem").isNull() ? null : c.path("problem").asText();
            String region = problem == null ? QueueUrls.region(url) : null;
            String expectedRegion = c.path("region").isNull() ? null : c.path("region").asText();
            boolean fifoAgrees =
                    problem != null || QueueUrls.isFifo(url) == c.path("fifo").asBoolean();
            if (!Objects.equals(problem, expected)
                    || !Objects.equals(region, expectedRegion)
                    || !fifoAgrees) {
                wrong.add(c + " -> " + problem + ", region " + region);
            }
        }
        assertEquals(List.of(), wrong);
    }
}
