package io.github.pyflinksqs.sink;

import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.TestSinkInitContextAnyThreadMailbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer on a standard queue against a fake endpoint whose answers the test controls. */
class SqsAdmissionWriterTest {
    private FakeSqs sqs;
    private StatefulSinkWriter<String, BufferedRequestState<SqsMessageEntry>> writer;
    private SqsSink<String> sink;

    @BeforeEach
    void start() throws Exception {
        sqs = new FakeSqs();
        Properties properties = sqs.clientProperties();
        properties.setProperty("aws.http-client.read-timeout", "1000");
        sink =
                SqsSink.<String>builder()
                        .setSerializationSchema(new SimpleStringSchema())
                        .setSqsUrl(sqs.endpoint() + "/000000000000/q")
                        .setSqsClientProperties(properties)
                        .setMaxBatchSize(3)
                        .setMaxTimeInBufferMS(60_000)
                        .build();
        writer = sink.createWriter(new OneMailbox());
    }

    @AfterEach
    void stop() throws Exception {
        writer.close();
        sqs.close();
    }

    @Test
    @Timeout(60)
    void aCallTheEndpointNeverAnswersTimesOutAndIsSentAgain() throws Exception {
        List<String> resent = new CopyOnWriteArrayList<>();
        Thread endpoint =
                new Thread(
                        () -> {
                            try {
                                sqs.next(); // accepted, never answered
                                // Sent again after the 1 s read timeout (AIMD may split the batch:
                                // it failed).
                                sqs.deliverUntil(resent, 3);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        endpoint.start();
        for (String body : new String[] {"a", "b", "c"}) {
            writer.write(body, null);
        }
        writer.flush(true); // returns only once every record was delivered
        endpoint.join();
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(new TreeSet<>(resent)));
    }

    @Test
    void flinksRequestTimeoutIsABackstopBehindTheRequestsBeforeItAndItsOwnCall() {
        // A request formed last waits for two rounds of calls, then makes its own: each ends
        // within 10 s connect + 1 s read + 5 s longest backoff; + 10 s for the mailbox.
        assertEquals(3, 1 + SqsSink.FORMED_AHEAD_ROUNDS);
        assertEquals(Duration.ofSeconds(3 * 16 + 10), sink.requestTimeout());
        assertTrue(
                sink.requestTimeout().toMillis() > 3 * (1_000 + SqsSinkWriter.BACKOFF_CAP_MILLIS));
    }

    /** Flink gives a writer one mailbox; this test context makes a new one at every call. */
    static final class OneMailbox extends TestSinkInitContextAnyThreadMailbox {
        private MailboxExecutor mailbox;

        @Override
        public MailboxExecutor getMailboxExecutor() {
            if (mailbox == null) {
                mailbox = super.getMailboxExecutor();
            }
            return mailbox;
        }
    }
}
