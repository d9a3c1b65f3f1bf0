package io.github.pyflinksqs.sink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps each message group of a FIFO queue in order in front of AsyncSinkWriter: at most one entry
 * per group is inside the writer (buffered or in a call) at any time, its group's "owner"; later
 * entries of the group wait here, in order, until the owner is delivered or dropped by the
 * rejected-record policy. A retried owner stays the owner.
 *
 * <p>Why: AsyncSinkWriter keeps up to max_in_flight_requests calls going and forms batches from the
 * head of its buffer. If two calls held messages of one group, the second could be stored by SQS
 * first, or succeed while the first is retried; if one call held two messages of a group, SQS could
 * accept the second and refuse the first. Either breaks the group's order. With one entry per group
 * inside, no batch and no two calls share a group, on every Flink line (1.20 and 2.0 have no
 * pluggable request buffer). Different groups share batches and calls; one group moves one message
 * per round trip. A group whose owner was delivered is free at once, whatever else its call carried
 * (no head-of-line blocking behind another group's retry).
 *
 * <p>Owners are known by their serial ({@link SqsMessageEntry#serial}, kept by retried copies).
 * Only the mailbox thread touches this object. This class and the Python backend's FifoBatcher are
 * held to the same cases in tests/fixtures/fifo_order_cases.json.
 */
final class FifoOrder {
    // Groups with an entry inside the writer -> that entry's serial.
    private final Map<String, Long> owners = new HashMap<>();
    // Entries waiting for their group's owner, per group, in arrival order.
    private final Map<String, ArrayDeque<SqsMessageEntry>> waiting = new LinkedHashMap<>();
    private int waitingCount;
    private long nextSerial;

    /**
     * Takes an entry in arrival order and names it; returns it when it may enter the writer now
     * (its group has no owner, or it has no group: a dead-letter copy), null when it waits here.
     */
    SqsMessageEntry offer(SqsMessageEntry entry) {
        SqsMessageEntry named = entry.withSerial(nextSerial++);
        String group = groupOf(entry);
        if (group == null) {
            return named;
        }
        if (owners.containsKey(group)) {
            waiting.computeIfAbsent(group, g -> new ArrayDeque<>()).addLast(named);
            waitingCount++;
            return null;
        }
        owners.put(group, named.serial());
        return named;
    }

    /**
     * This entry (an owner) is delivered or dropped: returns its group's next entry, which becomes
     * the owner and must enter the writer, or null. For an entry that is not (or no longer) the
     * owner nothing changes: a call answered after Flink's request timeout had already put its
     * entries back.
     */
    SqsMessageEntry finished(SqsMessageEntry entry) {
        String group = groupOf(entry);
        if (group == null) {
            return null;
        }
        Long owner = owners.get(group);
        if (owner == null || owner != entry.serial()) {
            return null;
        }
        ArrayDeque<SqsMessageEntry> queue = waiting.get(group);
        if (queue == null) {
            owners.remove(group);
            return null;
        }
        SqsMessageEntry next = queue.pollFirst();
        waitingCount--;
        if (queue.isEmpty()) {
            waiting.remove(group);
        }
        owners.put(group, next.serial());
        return next;
    }

    int waitingCount() {
        return waitingCount;
    }

    /** The waiting entries, each group's in order: what a checkpoint stores after the owners. */
    List<SqsMessageEntry> waitingEntries() {
        List<SqsMessageEntry> entries = new ArrayList<>(waitingCount);
        for (ArrayDeque<SqsMessageEntry> queue : waiting.values()) {
            entries.addAll(queue);
        }
        return entries;
    }

    /** Order is kept per group of each queue (a message may name its own queue). */
    private static String groupOf(SqsMessageEntry entry) {
        if (entry.groupId() == null) {
            return null;
        }
        return entry.queueUrl() == null
                ? entry.groupId()
                : entry.queueUrl() + "\n" + entry.groupId(); // no id or URL holds a newline
    }
}
