package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.Fixtures;

import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpointed entries: every state version ever written (src/test/resources/state, bytes produced
 * by the releases that wrote them) is read back exactly, and today's round-trips.
 */
class SqsStateSerializerTest {
    private static final String QUEUE = "https://sqs.us-east-1.amazonaws.com/1/q";
    private final SqsStateSerializer serializer = new SqsStateSerializer(QUEUE, false);

    @Test
    void version1HeldBodiesOnly() throws IOException {
        SqsWriterState state = serializer.deserialize(1, Fixtures.hexResource("state/v1.hex"));
        List<SqsMessageEntry> entries = entries(state);
        assertEquals(Arrays.asList("héllo", "plain"), bodies(entries));
        assertEquals(6, entries.get(0).sizeInBytes());
        assertNull(state.queueUrl());
        assertNull(state.fifo());
    }

    @Test
    void version2AddedDeadLettersPositionsAndAttributes() throws IOException {
        List<SqsMessageEntry> entries =
                entries(serializer.deserialize(2, Fixtures.hexResource("state/v2.hex")));
        SqsMessageEntry first = entries.get(0);
        assertEquals("héllo", first.body());
        assertTrue(first.isDeadLetter());
        assertEquals(7, first.position());
        assertEquals("TOO_LARGE", first.attributes().get("pyflink-sqs.reason").stringValue());
        assertArrayEquals(new byte[] {1, 2, 3}, first.attributes().get("blob").binaryValue());
        assertEquals(8, entries.get(1).position());
    }

    @Test
    void version3AddedGroupsDeduplicationIdsAndDelays() throws IOException {
        List<SqsMessageEntry> entries =
                entries(serializer.deserialize(3, Fixtures.hexResource("state/v3.hex")));
        SqsMessageEntry first = entries.get(0);
        assertEquals("g-1", first.groupId());
        assertEquals("d-1", first.deduplicationId());
        assertEquals(SqsMessageEntry.NO_DELAY, first.delaySeconds());
        assertEquals(
                Arrays.asList("kind", "blob", "n"), new ArrayList<>(first.attributes().keySet()));
        assertEquals("Binary.png", first.attributes().get("blob").dataType());
        assertEquals("42", first.attributes().get("n").stringValue());
        assertEquals(30, entries.get(1).delaySeconds());
        assertNull(entries.get(1).groupId());
    }

    @Test
    void version4KeepsTheQueueTheFifoFlagTheNonceAndEachEntrysQueue() throws IOException {
        SqsStateSerializer fifo = new SqsStateSerializer(QUEUE + ".fifo", true);
        byte[] bytes =
                fifo.serialize(
                        new SqsWriterState(
                                state(v4Entries()).getBufferedRequestEntries(),
                                QUEUE + ".fifo",
                                true,
                                "nonce-1"));
        assertEquals(
                Fixtures.hex(Fixtures.hexResource("state/v4.hex")),
                Fixtures.hex(bytes),
                "version 4 bytes changed: a new layout needs a new version");
        SqsWriterState state = fifo.deserialize(4, bytes);
        assertEquals(QUEUE + ".fifo", state.queueUrl());
        assertTrue(state.fifo());
        assertEquals("nonce-1", state.deduplicationNonce());
        List<SqsMessageEntry> entries = entries(state);
        assertEquals("https://sqs.us-east-1.amazonaws.com/1/other.fifo", entries.get(1).queueUrl());
        assertEquals("g-1", entries.get(0).groupId());
        assertEquals(Arrays.asList(4L, 5L), sizes(state));
    }

    @Test
    void bodiesOfEveryKindRoundTrip() throws IOException {
        List<String> bodies =
                Arrays.asList(
                        "plain",
                        "",
                        "unicode ü ✓ 😀 中文",
                        "quotes \" and \\ and \n\t\r",
                        "x".repeat(70_000));
        List<SqsMessageEntry> original = new ArrayList<>();
        for (String body : bodies) {
            original.add(new SqsMessageEntry(body, body.getBytes(StandardCharsets.UTF_8).length));
        }
        SqsWriterState restored =
                serializer.deserialize(
                        serializer.getVersion(), serializer.serialize(state(original)));
        assertEquals(bodies, bodies(entries(restored)));
        assertEquals(QUEUE, restored.queueUrl());
    }

    @Test
    void aNewerVersionIsRefusedSayingSo() {
        IOException e =
                assertThrows(IOException.class, () -> serializer.deserialize(99, new byte[8]));
        assertTrue(e.getMessage().contains("newer than this pyflink-sqs reads"), e.getMessage());
    }

    static List<SqsMessageEntry> v4Entries() {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put("k", MessageAttribute.string("v"));
        return Arrays.asList(
                new SqsMessageEntry(
                        "body", 4, attributes, false, 7, "g-1", "d-1", SqsMessageEntry.NO_DELAY),
                new SqsMessageEntry(
                        "later",
                        5,
                        Collections.emptyMap(),
                        false,
                        8,
                        "g-2",
                        "d-2",
                        SqsMessageEntry.NO_DELAY,
                        "https://sqs.us-east-1.amazonaws.com/1/other.fifo",
                        0,
                        0));
    }

    static BufferedRequestState<SqsMessageEntry> state(List<SqsMessageEntry> entries) {
        List<RequestEntryWrapper<SqsMessageEntry>> wrappers = new ArrayList<>();
        for (SqsMessageEntry entry : entries) {
            wrappers.add(new RequestEntryWrapper<>(entry, entry.body().length()));
        }
        return new BufferedRequestState<>(wrappers);
    }

    private static List<SqsMessageEntry> entries(BufferedRequestState<SqsMessageEntry> state) {
        List<SqsMessageEntry> entries = new ArrayList<>();
        state.getBufferedRequestEntries().forEach(w -> entries.add(w.getRequestEntry()));
        return entries;
    }

    private static List<Long> sizes(BufferedRequestState<SqsMessageEntry> state) {
        List<Long> sizes = new ArrayList<>();
        state.getBufferedRequestEntries().forEach(w -> sizes.add(w.getSize()));
        return sizes;
    }

    private static List<String> bodies(List<SqsMessageEntry> entries) {
        List<String> bodies = new ArrayList<>();
        entries.forEach(e -> bodies.add(e.body()));
        return bodies;
    }
}
