package io.github.pyflinksqs.sink;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestGateTest {
    @Test
    void startsUpToTheLimitThenOneForEachThatEndsInOrder() {
        RequestGate gate = new RequestGate(2);
        List<Integer> started = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int request = i;
            gate.submit(() -> started.add(request));
        }
        assertEquals(List.of(0, 1), started);
        gate.ended();
        assertEquals(List.of(0, 1, 2), started);
        gate.ended();
        gate.ended();
        assertEquals(List.of(0, 1, 2, 3, 4), started);
        // Five started, three ended: two run, so a sixth waits until one more ends.
        gate.submit(() -> started.add(5));
        assertEquals(5, started.size());
        gate.ended();
        assertEquals(List.of(0, 1, 2, 3, 4, 5), started);
        // Two running (4, 5): ending both frees both places.
        gate.ended();
        gate.ended();
        gate.submit(() -> started.add(6));
        gate.submit(() -> started.add(7));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), started);
    }

    @Test
    void aRequestThatEndsAsItStartsStartsTheNextWaitingOne() {
        RequestGate gate = new RequestGate(1);
        List<String> started = new ArrayList<>();
        gate.submit(() -> started.add("held"));
        // Both fail before they are sent: each ends within its own start.
        gate.submit(
                () -> {
                    started.add("fails");
                    gate.ended();
                });
        gate.submit(
                () -> {
                    started.add("fails too");
                    gate.ended();
                });
        gate.submit(() -> started.add("last"));
        assertEquals(List.of("held"), started);
        gate.ended();
        assertEquals(List.of("held", "fails", "fails too", "last"), started);
        gate.submit(() -> started.add("waits for last"));
        assertEquals(4, started.size());
    }

    @Test
    void refusesALimitBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new RequestGate(0));
    }
}
