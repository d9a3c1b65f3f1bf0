package io.github.pyflinksqs.sink;

import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On a standard queue the writer forms batches ahead of its calls (RequestGate): one starts when a
 * call is answered, without a mail, and no more than max_in_flight_requests calls run at once.
 */
class SqsSinkWriterGateTest {
    private static final int RECORDS = 8;

    private FakeSqs sqs;
    private SqsAdmissionWriterTest.OneMailbox context;
    private StatefulSinkWriter<String, BufferedRequestState<SqsMessageEntry>> writer;

    @BeforeEach
    void start() throws Exception {
        sqs = new FakeSqs();
        Properties properties = sqs.clientProperties();
        SqsSink<String> sink =
                SqsSink.<String>builder()
                        .setSerializationSchema(new SimpleStringSchema())
                        .setSqsUrl(sqs.endpoint() + "/000000000000/q")
                        .setSqsClientProperties(properties)
                        .setMaxBatchSize(1)
                        .setMaxInFlightRequests(2)
                        .setMaxTimeInBufferMS(60_000)
                        .build();
        assertEquals(6, sink.writerRequestLimit());
        context = new SqsAdmissionWriterTest.OneMailbox();
        writer = sink.createWriter(context);
    }

    @AfterEach
    void stop() throws Exception {
        writer.close();
        sqs.close();
    }

    @Test
    @Timeout(120)
    void anAnsweredCallStartsAFormedBatchWithoutTheMailbox() throws Exception {
        for (int i = 0; i < RECORDS; i++) {
            writer.write("r" + i, null);
        }
        // AIMD lets one message be in flight at first; its answer, read in a mail, lets more.
        FakeSqs.Call first = sqs.next();
        first.deliver();
        MailboxExecutor mailbox = context.getMailboxExecutor();
        while (sqs.pending() < 2) {
            // The answer's mail forms up to 6 requests; the gate starts 2 of them.
            mailbox.tryYield();
            Thread.yield();
        }
        FakeSqs.Call second = sqs.next();
        FakeSqs.Call third = sqs.next();
        List<String> delivered = new ArrayList<>(first.bodies());
        // No mail runs from here on: the answer's own thread starts a formed batch.
        second.deliver();
        FakeSqs.Call fourth = sqs.next();
        delivered.addAll(second.bodies());
        for (FakeSqs.Call call : List.of(third, fourth)) {
            delivered.addAll(call.bodies());
            call.deliver();
        }
        Thread endpoint =
                new Thread(
                        () -> {
                            try {
                                sqs.deliverUntil(delivered, RECORDS);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        endpoint.start();
        writer.flush(true); // returns once every record was delivered
        endpoint.join();
        Collections.sort(delivered);
        assertEquals(List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"), delivered);
        assertEquals(2, sqs.mostUnanswered());
    }
}
