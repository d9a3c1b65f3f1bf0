package io.github.pyflinksqs.sink;

import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Drives a FifoRequestBuffer as AsyncSinkWriter does (add, batches, a failed call's entries
 * re-added with prioritize, last one first) and prints each step's bodies, one line each, for
 * tests/unit/test_fifo_buffer.py to compare.
 */
public final class FifoBufferCheck {
    public static void main(String[] args) {
        FifoRequestBuffer buffer = new FifoRequestBuffer();
        String[][] input = {{"a", "a1"}, {"a", "a2"}, {"b", "b1"}, {"a", "a3"}, {"b", "b2"},
                            {"c", "c1"}};
        for (String[] record : input) {
            buffer.add(wrap(record[1], record[0]), false);
        }
        List<SqsMessageEntry> first = print("first", buffer.takeBatch(10, 1_000).getBatchEntries());
        print("while busy", buffer.takeBatch(10, 1_000).getBatchEntries());
        // The call failed for a1 and b1: AsyncSinkWriter re-adds them at the head, then our
        // release mail frees the groups.
        List<SqsMessageEntry> failed = new ArrayList<>(first.subList(0, 2));
        Collections.reverse(failed);
        for (SqsMessageEntry entry : failed) {
            buffer.add(new RequestEntryWrapper<>(entry, entry.sizeInBytes()), true);
        }
        buffer.release(first);
        List<SqsMessageEntry> retry =
                print("after retry", buffer.takeBatch(10, 1_000).getBatchEntries());
        buffer.add(new RequestEntryWrapper<>(
                new SqsMessageEntry("dead", 4, Collections.emptyMap(), true, 9), 4), false);
        print("state", entries(buffer.getBufferedState()));
        print("dead letters apart", buffer.takeBatch(10, 1_000).getBatchEntries());
        System.out.println("size " + buffer.size() + " bytes " + buffer.totalSizeInBytes());
        buffer.release(retry);
        print("two bytes at most", buffer.takeBatch(10, 2).getBatchEntries());
    }

    private static RequestEntryWrapper<SqsMessageEntry> wrap(String body, String group) {
        SqsMessageEntry entry = new SqsMessageEntry(
                body, body.length(), Collections.emptyMap(), false, -1, group, null,
                SqsMessageEntry.NO_DELAY);
        return new RequestEntryWrapper<>(entry, entry.sizeInBytes());
    }

    private static List<SqsMessageEntry> entries(
            java.util.Collection<RequestEntryWrapper<SqsMessageEntry>> wrappers) {
        List<SqsMessageEntry> entries = new ArrayList<>();
        for (RequestEntryWrapper<SqsMessageEntry> wrapper : wrappers) {
            entries.add(wrapper.getRequestEntry());
        }
        return entries;
    }

    private static List<SqsMessageEntry> print(String step, List<SqsMessageEntry> entries) {
        StringBuilder line = new StringBuilder(step).append(':');
        for (SqsMessageEntry entry : entries) {
            line.append(' ').append(entry.body());
        }
        System.out.println(line);
        return entries;
    }
}
