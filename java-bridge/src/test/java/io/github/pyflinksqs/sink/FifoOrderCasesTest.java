package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.Fixtures;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FifoOrder admits the entries of each case of tests/fixtures/fifo_order_cases.json when the Python
 * backend's FifoBatcher sends them (tests/unit/test_fifo_order_cases.py): after every arrival and
 * finish, the entries offer() and finished() return are the ones the case says go now.
 */
class FifoOrderCasesTest {
    private static final JsonNode FIXTURE = Fixtures.shared("fifo_order_cases.json");

    @Test
    void theCasesAreTheBackendsShared() {
        assertTrue(FIXTURE.path("cases").size() >= 12);
    }

    static Stream<Arguments> cases() {
        return StreamSupport.stream(FIXTURE.path("cases").spliterator(), false)
                .map(c -> Arguments.of(c.path("what").asText(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fifoOrderAdmitsWhatFifoBatcherSends(String what, JsonNode c) {
        Map<String, SqsMessageEntry> arrivals = new HashMap<>();
        long position = 1;
        for (JsonNode e : c.path("entries")) {
            String id = e.path("id").asText();
            String group = text(e.path("group_id"));
            arrivals.put(
                    id,
                    new SqsMessageEntry(
                            id,
                            id.length(),
                            Collections.emptyMap(),
                            group == null, // ungrouped: a dead-letter copy for a standard queue
                            position++,
                            group,
                            group == null ? null : "d-" + id,
                            SqsMessageEntry.NO_DELAY,
                            text(e.path("queue_url")),
                            0,
                            0));
        }
        FifoOrder order = new FifoOrder();
        // The copies offer() and finished() returned: FifoOrder knows an owner by the serial of
        // its copy, so a finish must name that copy, as the writer does.
        Map<String, SqsMessageEntry> admitted = new HashMap<>();
        List<String> want = new ArrayList<>();
        List<String> got = new ArrayList<>();
        for (JsonNode step : c.path("steps")) {
            List<String> ids = texts(step.path("ids"));
            List<String> now = new ArrayList<>();
            if (step.path("action").asText().equals("add")) {
                admit(order.offer(arrivals.get(ids.get(0))), admitted, now);
            } else {
                for (String id : ids) {
                    SqsMessageEntry owner = admitted.get(id);
                    if (owner == null) {
                        // No copy to finish: shown in the trace, which then cannot match.
                        now.add("(" + id + " never admitted)");
                        continue;
                    }
                    admit(order.finished(owner), admitted, now);
                }
            }
            // Entries admitted by one step go out at the same moment: their order is no order.
            Collections.sort(now);
            String done = step.path("action").asText() + " " + String.join(" ", ids) + " -> ";
            want.add(done + String.join(" ", texts(step.path("admitted"))));
            got.add(done + String.join(" ", now));
        }
        assertEquals(want, got);
    }

    private static void admit(
            SqsMessageEntry entry, Map<String, SqsMessageEntry> admitted, List<String> now) {
        if (entry != null) {
            admitted.put(entry.body(), entry);
            now.add(entry.body());
        }
    }

    private static String text(JsonNode node) {
        return node.isNull() ? null : node.asText();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }
}
