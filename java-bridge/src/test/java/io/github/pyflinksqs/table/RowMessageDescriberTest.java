package io.github.pyflinksqs.table;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Where a row's queue-url metadata column sends it. */
class RowMessageDescriberTest {
    private static final String SINK = "https://sqs.us-east-1.amazonaws.com/123456789012/o.fifo";
    private static final String OTHER = "https://sqs.us-east-1.amazonaws.com/123456789012/p.fifo";

    @Test
    void aRowNamingTheSinksOwnQueueIsRoutedAsOneNamingNone() throws Exception {
        // FIFO order is kept per (queue, group): the same group with and without the sink's URL
        // must be one group.
        RowMessageDescriber describer = fifoDescriber();
        assertNull(describer.describe(row("a", SINK), 1).queueUrl());
        assertNull(describer.describe(row("b", " " + SINK + " "), 2).queueUrl());
        assertNull(describer.describe(row("c", null), 3).queueUrl());
        assertEquals(OTHER, describer.describe(row("d", OTHER), 4).queueUrl());
    }

    private static RowMessageDescriber fifoDescriber() throws Exception {
        RowMessageDescriber describer =
                new RowMessageDescriber(
                        row -> row.getString(0).toString().getBytes(StandardCharsets.UTF_8),
                        1,
                        null,
                        true,
                        List.of("message-group-id", "queue-url"),
                        Map.of(
                                WritableMetadata.MESSAGE_GROUP_ID, "g",
                                WritableMetadata.QUEUE_URL, "q"),
                        "us-east-1",
                        SINK);
        describer.open(null);
        return describer;
    }

    private static GenericRowData row(String body, String queueUrl) {
        return GenericRowData.of(
                StringData.fromString(body),
                StringData.fromString("group"),
                queueUrl == null ? null : StringData.fromString(queueUrl));
    }
}
