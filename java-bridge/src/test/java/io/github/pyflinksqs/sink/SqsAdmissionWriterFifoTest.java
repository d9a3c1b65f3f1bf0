package io.github.pyflinksqs.sink;

import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.TestSinkInitContextAnyThreadMailbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The writer on a FIFO queue, against a fake endpoint whose answers the test releases: a checkpoint
 * waits only for the calls in flight (no drain of a hot group on the task thread), and a group
 * delivered in a call goes on while another group of that call waits out its backoff.
 */
class SqsAdmissionWriterFifoTest {
    private FakeSqs sqs;
    private OneMailbox context;
    private SqsSink<String> sink;
    private StatefulSinkWriter<String, BufferedRequestState<SqsMessageEntry>> writer;

    @BeforeEach
    void start() throws Exception {
        sqs = new FakeSqs();
        context = new OneMailbox();
        Properties properties = sqs.clientProperties();
        sink =
                SqsSink.<String>builder()
                        .setSerializationSchema(new SimpleStringSchema())
                        .setSqsUrl(sqs.endpoint() + "/000000000000/q.fifo")
                        .setSqsClientProperties(properties)
                        .setMessageEnvelopes(true)
                        .setMaxTimeInBufferMS(60_000)
                        .build();
        writer = sink.createWriter(context);
    }

    @AfterEach
    void stop() throws Exception {
        writer.close();
        sqs.close();
    }

    @Test
    void formsNoRequestAheadOfItsCalls() {
        // Batches are formed from the groups a call freed: max_in_flight_requests (50) at most,
        // and Flink's request timeout covers one call: 10 s connect + 60 s read + 5 s + 10 s.
        assertEquals(50, sink.writerRequestLimit());
        assertEquals(Duration.ofSeconds(85), sink.requestTimeout());
    }

    @Test
    void aCheckpointWaitsOnlyForTheCallInFlightOfAHotGroup() throws Exception {
        for (int i = 1; i <= 50; i++) {
            write("m" + i, "hot");
        }
        FakeSqs.Call first = sqs.next();
        assertEquals(List.of("m1"), first.bodies());
        Thread answer =
                new Thread(
                        () -> {
                            try {
                                first.deliver();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        answer.start();
        writer.flush(false);
        answer.join();
        assertEquals(0, sqs.pending(), "no call started while the checkpoint waited");
        List<String> state = bodies(writer.snapshotState(1));
        List<String> rest = new ArrayList<>();
        for (int i = 2; i <= 50; i++) {
            rest.add("m" + i);
        }
        assertEquals(rest, state, "the group's 49 waiting messages, in order, in the state");
        // After the checkpoint, the group moves on.
        processMailsUntilACall();
        assertEquals(List.of("m2"), sqs.next().bodies());
    }

    @Test
    void aGroupDeliveredInACallIsNotHeldBackByAnotherGroupsRetry() throws Exception {
        write("a1", "a");
        write("b1", "b");
        write("a2", "a");
        write("b2", "b");
        FakeSqs.Call first = sqs.next();
        assertEquals(List.of("a1"), first.bodies());
        first.deliver();
        processMailsUntilACall();
        FakeSqs.Call second = sqs.next();
        assertEquals(List.of("b1", "a2"), second.bodies());
        second.answer(body -> body.equals("a2")); // a2 fails for now, b1 is delivered
        processMailsUntilACall();
        assertEquals(List.of("b2"), sqs.next().bodies(), "b goes on during a2's backoff");
        processMailsUntilACall();
        assertEquals(List.of("a2"), sqs.next().bodies(), "then a2 is sent again");
    }

    @Test
    void recordsReplayedAfterARestoreGetNewIdsAndIdenticalMessagesDistinctOnes() throws Exception {
        for (String body : new String[] {"r1", "r2"}) {
            write(body, "g", false);
            deliverNext();
        }
        List<BufferedRequestState<SqsMessageEntry>> state = writer.snapshotState(2);
        List<String> original = new ArrayList<>();
        for (String body : new String[] {"r3", "r3", "r4"}) { // an identical pair too
            write(body, "g", false);
            original.add(deliverNext());
        }
        // The job fails; a new writer restores checkpoint 2 and sees r3, r3, r4 again.
        writer.close();
        context = new OneMailbox(2);
        writer = sink.restoreWriter(context, state);
        List<String> replayed = new ArrayList<>();
        for (String body : new String[] {"r3", "r3", "r4"}) {
            write(body, "g", false);
            replayed.add(deliverNext());
        }
        // Never an id of the first attempt: a replayed record may arrive twice, and no
        // message can be dropped as another's copy.
        Set<String> all = new HashSet<>(original);
        all.addAll(replayed);
        assertEquals(6, all.size());
    }

    /** Lets the next call's answer go once it arrives; returns its deduplication id. */
    private String deliverNext() throws Exception {
        processMailsUntilACall();
        FakeSqs.Call call = sqs.next();
        call.deliver();
        return call.entries.get(0).path("MessageDeduplicationId").asText();
    }

    private void write(String body, String group, boolean withId) throws Exception {
        writer.write(
                "{\"b\":\""
                        + body
                        + "\",\"g\":\""
                        + group
                        + "\""
                        + (withId ? ",\"d\":\"" + body + "\"" : "")
                        + "}",
                null);
    }

    private void write(String body, String group) throws Exception {
        writer.write(
                "{\"b\":\"" + body + "\",\"g\":\"" + group + "\",\"d\":\"" + body + "\"}", null);
    }

    private void processMailsUntilACall() throws InterruptedException {
        MailboxExecutor mailbox = context.getMailboxExecutor();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (sqs.pending() == 0) {
            if (!mailbox.tryYield()) {
                Thread.sleep(1);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no call within 30 s");
            }
        }
    }

    /** Flink gives a writer one mailbox; this test context makes a new one at every call. */
    private static final class OneMailbox extends TestSinkInitContextAnyThreadMailbox {
        private MailboxExecutor mailbox;
        private final OptionalLong restoredCheckpoint;

        OneMailbox() {
            this.restoredCheckpoint = OptionalLong.empty();
        }

        OneMailbox(long restoredCheckpoint) {
            this.restoredCheckpoint = OptionalLong.of(restoredCheckpoint);
        }

        @Override
        public OptionalLong getRestoredCheckpointId() {
            return restoredCheckpoint;
        }

        @Override
        public MailboxExecutor getMailboxExecutor() {
            if (mailbox == null) {
                mailbox = super.getMailboxExecutor();
            }
            return mailbox;
        }
    }

    private static List<String> bodies(List<BufferedRequestState<SqsMessageEntry>> states) {
        List<String> bodies = new ArrayList<>();
        states.forEach(
                s ->
                        s.getBufferedRequestEntries()
                                .forEach(w -> bodies.add(w.getRequestEntry().body())));
        return bodies;
    }
}
