package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.Fixtures;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Per-record deduplication ids: Python's on the shared cases, and what they promise. */
class RecordDeduplicationTest {
    @Test
    void everyCaseGivesPythonsId() {
        for (JsonNode c : Fixtures.shared("deduplication_ids.json").path("records")) {
            assertEquals(
                    c.path("record_deduplication_id").asText(),
                    RecordDeduplication.id(
                            c.path("nonce").asText(),
                            c.path("epoch").asText(),
                            c.path("subtask").asInt(),
                            c.path("rotation").asLong(),
                            c.path("message").asText(),
                            c.path("occurrence").asInt()),
                    c.toString());
        }
    }

    @Test
    void identicalMessagesGetDistinctIdsWhichNoOtherSubtaskOrRestoreRepeats() {
        RecordDeduplication first = new RecordDeduplication("nonce", "0", 0);
        String a = first.idFor(message("same", "g"));
        String b = first.idFor(message("same", "g"));
        assertNotEquals(a, b, "two identical messages must both arrive");
        assertEquals(a, new RecordDeduplication("nonce", "0", 0).idFor(message("same", "g")));
        assertNotEquals(a, new RecordDeduplication("nonce", "0", 1).idFor(message("same", "g")));
        assertNotEquals(a, new RecordDeduplication("nonce", "7", 0).idFor(message("same", "g")));
        assertNotEquals(a, new RecordDeduplication("other", "0", 0).idFor(message("same", "g")));
    }

    @Test
    void differentMessagesNeverShareAnId() {
        RecordDeduplication dedup = new RecordDeduplication("nonce", "0", 0);
        assertNotEquals(dedup.idFor(message("x", "g")), dedup.idFor(message("y", "g")));
        assertNotEquals(dedup.idFor(message("x", "g")), dedup.idFor(message("x", "h")));
    }

    private static SqsMessageEntry message(String body, String group) {
        return new SqsMessageEntry(
                body,
                body.length(),
                Collections.emptyMap(),
                false,
                1,
                group,
                null,
                SqsMessageEntry.NO_DELAY);
    }
}
