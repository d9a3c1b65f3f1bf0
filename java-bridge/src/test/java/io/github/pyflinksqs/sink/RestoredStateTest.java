package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.Fixtures;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A restore takes over only state written for the same queue, standard or FIFO alike. */
class RestoredStateTest {
    private static final String Q = "https://sqs.us-east-1.amazonaws.com/1/q";

    @Test
    void stateOfTheSameQueueIsTakenOver() throws IOException {
        SqsWriterState state = read(new SqsStateSerializer(Q, false), Q, false);
        assertEquals(2, RestoredState.entries(List.of(state), Q, false).size());
    }

    @Test
    void stateOfAnotherQueueIsRefusedNamingBoth() throws IOException {
        SqsWriterState state = read(new SqsStateSerializer(Q, false), Q, false);
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> RestoredState.entries(List.of(state), Q + "2", false));
        assertTrue(
                e.getMessage().contains("for queue " + Q)
                        && e.getMessage().contains(Q + "2")
                        && e.getMessage().contains("allowNonRestoredState"),
                e.getMessage());
    }

    @Test
    void fifoStateIntoAStandardSinkIsRefused() throws IOException {
        SqsWriterState state = read(new SqsStateSerializer(Q + ".fifo", true), Q + ".fifo", true);
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> RestoredState.entries(List.of(state), Q + ".fifo", false));
        assertTrue(e.getMessage().contains("a FIFO queue"), e.getMessage());
    }

    @Test
    void version3StateIsJudgedByItsEntries() throws IOException {
        SqsStateSerializer serializer = new SqsStateSerializer(Q, false);
        // v3.hex holds a FIFO entry (group and deduplication id) and a plain one.
        SqsWriterState state = serializer.deserialize(3, Fixtures.hexResource("state/v3.hex"));
        assertTrue(
                assertThrows(
                                IllegalStateException.class,
                                () -> RestoredState.entries(List.of(state), Q, false))
                        .getMessage()
                        .contains("deduplication ids"));
        assertTrue(
                assertThrows(
                                IllegalStateException.class,
                                () -> RestoredState.entries(List.of(state), Q + ".fifo", true))
                        .getMessage()
                        .contains("no message group id"));
    }

    @Test
    void version1StateGoesToAStandardSink() throws IOException {
        SqsWriterState state =
                new SqsStateSerializer(Q, false)
                        .deserialize(1, Fixtures.hexResource("state/v1.hex"));
        assertEquals(2, RestoredState.entries(List.of(state), Q, false).size());
    }

    private static SqsWriterState read(SqsStateSerializer serializer, String queue, boolean fifo)
            throws IOException {
        List<SqsMessageEntry> entries =
                fifo
                        ? SqsStateSerializerTest.v4Entries()
                        : List.of(new SqsMessageEntry("a", 1), new SqsMessageEntry("b", 1));
        return serializer.deserialize(
                4, serializer.serialize(SqsStateSerializerTest.state(entries)));
    }
}
