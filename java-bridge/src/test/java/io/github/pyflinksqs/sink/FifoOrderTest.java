package io.github.pyflinksqs.sink;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** One entry per message group inside the writer; the next enters when it finishes. */
class FifoOrderTest {
    private final FifoOrder order = new FifoOrder();

    @Test
    void theFirstEntryOfAGroupEntersAndTheRestWaitInOrder() {
        SqsMessageEntry a1 = order.offer(entry("a1", "a"));
        assertNotNull(a1);
        assertNull(order.offer(entry("a2", "a")));
        assertNull(order.offer(entry("a3", "a")));
        assertNotNull(order.offer(entry("b1", "b")));
        assertEquals(2, order.waitingCount());
        assertEquals(List.of("a2", "a3"), bodies(order.waitingEntries()));

        SqsMessageEntry a2 = order.finished(a1);
        assertEquals("a2", a2.body());
        assertEquals("a3", order.finished(a2).body());
        assertEquals(0, order.waitingCount());
    }

    @Test
    void aRetriedOwnerStaysTheOwnerAndADeliveredGroupIsFreeAtOnce() {
        SqsMessageEntry a1 = order.offer(entry("a1", "a"));
        SqsMessageEntry b1 = order.offer(entry("b1", "b"));
        order.offer(entry("a2", "a"));
        order.offer(entry("b2", "b"));
        // a1 and b1 went in one call; b1 was delivered, a1 is retried (a copy, same serial).
        SqsMessageEntry retried = a1.nextAttempt();
        assertEquals("b2", order.finished(b1).body(), "b is not held up by a's retry");
        assertEquals("a2", order.finished(retried).body());
    }

    @Test
    void anEntryThatIsNoLongerTheOwnerFreesNothing() {
        SqsMessageEntry a1 = order.offer(entry("a1", "a"));
        order.offer(entry("a2", "a"));
        SqsMessageEntry a2 = order.finished(a1);
        // a1 answered once more (after Flink's request timeout had re-queued it): a2 owns a.
        assertNull(order.finished(a1));
        order.offer(entry("a3", "a"));
        assertEquals(1, order.waitingCount());
        assertEquals("a3", order.finished(a2).body());
    }

    @Test
    void entriesWithoutAGroupNeverWait() {
        SqsMessageEntry deadLetter =
                new SqsMessageEntry("dead", 4, Collections.emptyMap(), true, 1);
        assertNotNull(order.offer(deadLetter));
        assertNotNull(order.offer(deadLetter));
        assertNull(order.finished(deadLetter));
    }

    @Test
    void aGroupWithNothingWaitingIsFreedAndTakesANewOwner() {
        SqsMessageEntry a1 = order.offer(entry("a1", "a"));
        assertNull(order.finished(a1));
        assertNotNull(order.offer(entry("a2", "a")));
    }

    static SqsMessageEntry entry(String body, String group) {
        return new SqsMessageEntry(
                body,
                body.length(),
                Collections.emptyMap(),
                false,
                -1,
                group,
                "d-" + body,
                SqsMessageEntry.NO_DELAY);
    }

    private static List<String> bodies(List<SqsMessageEntry> entries) {
        List<String> bodies = new ArrayList<>();
        entries.forEach(e -> bodies.add(e.body()));
        return bodies;
    }
}
