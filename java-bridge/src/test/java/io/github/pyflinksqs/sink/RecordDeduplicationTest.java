package io.github.pyflinksqs.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.pyflinksqs.Fixtures;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.util.Collections;

/** Per-record deduplication ids: Python's on the shared cases, and what they promise. */
class RecordDeduplicationTest {
    @Test
    void everyCaseGivesPythonsId() {
        for (JsonNode c : Fixtures.shared("deduplication_ids.json").path("records")) {
            assertEquals(c.path("record_deduplication_id").asText(),
                    RecordDeduplication.id(c.path("nonce").asText(), c.path("epoch").asText(),
                            c.path("rotation").asLong(), c.path("message").asText(),
                            c.path("occurrence").asInt()), c.toString());
        }
    }

    @Test
    void identicalMessagesGetDistinctIdsAndAReplayFromTheSameEpochTheSameOnes() {
        RecordDeduplication first = new RecordDeduplication("nonce", 7);
        String a = first.idFor(message("same", "g"));
        String b = first.idFor(message("same", "g"));
        assertNotEquals(a, b, "two identical messages must both arrive");
        RecordDeduplication replay = new RecordDeduplication("nonce", 7);
        assertEquals(a, replay.idFor(message("same", "g")));
        assertEquals(b, replay.idFor(message("same", "g")));
    }

    @Test
    void theOrderOfDifferentMessagesDoesNotChangeTheirIds() {
        RecordDeduplication first = new RecordDeduplication("nonce", 7);
        String x = first.idFor(message("x", "g"));
        String y = first.idFor(message("y", "g"));
        RecordDeduplication replay = new RecordDeduplication("nonce", 7);
        assertEquals(y, replay.idFor(message("y", "g")));
        assertEquals(x, replay.idFor(message("x", "g")));
    }

    @Test
    void aNewEpochOrANewNonceGivesNewIds() {
        RecordDeduplication dedup = new RecordDeduplication("nonce", 7);
        String before = dedup.idFor(message("m", "g"));
        dedup.startEpoch(8);
        assertNotEquals(before, dedup.idFor(message("m", "g")));
        assertNotEquals(before, new RecordDeduplication("other", 7).idFor(message("m", "g")));
    }

    private static SqsMessageEntry message(String body, String group) {
        return new SqsMessageEntry(body, body.length(), Collections.emptyMap(), false, 1, group,
                null, SqsMessageEntry.NO_DELAY);
    }
}
