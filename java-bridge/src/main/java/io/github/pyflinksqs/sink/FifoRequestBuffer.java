package io.github.pyflinksqs.sink;

import org.apache.flink.connector.base.sink.writer.Batch;
import org.apache.flink.connector.base.sink.writer.RequestBuffer;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The buffer of a writer to a FIFO queue: one queue of entries per message group, and the set
 * of groups that have an entry in a call that has not been answered yet ("busy").
 *
 * <p>Why: AsyncSinkWriter keeps up to max_in_flight_requests calls going. If two calls held
 * messages of one group, the second could be stored by SQS first, or succeed while the first
 * is being retried; and if one call held two messages of a group, SQS could accept the second
 * and refuse the first (a partial batch failure). Either breaks the group's order. So a batch
 * takes at most one message per group, and only from groups with nothing in flight
 * ({@link #takeBatch}); a group becomes free again only once its call's outcome is in the
 * buffer: {@link SqsBatchWriter} posts {@link #release} to the mailbox right after the result,
 * so a retried message is back at the head of its group before the group is free. Different
 * groups still share batches and calls, so many groups go out concurrently; one group moves at
 * one message per round trip.
 *
 * <p>Only the mailbox thread touches this object (adds, batches, releases), so it needs no
 * locks. Entries without a group (dead-letter copies, bound for a standard queue) are kept
 * apart and batched on their own.
 */
final class FifoRequestBuffer implements RequestBuffer<SqsMessageEntry> {
    private final Map<String, ArrayDeque<RequestEntryWrapper<SqsMessageEntry>>> groups =
            new LinkedHashMap<>();
    // Groups with entries and nothing in flight, in the order they became so (fairness).
    private final LinkedHashSet<String> ready = new LinkedHashSet<>();
    private final Set<String> busy = new HashSet<>();
    private final ArrayDeque<RequestEntryWrapper<SqsMessageEntry>> ungrouped = new ArrayDeque<>();
    private int size;
    private long totalSizeInBytes;

    @Override
    public void add(RequestEntryWrapper<SqsMessageEntry> wrapper, boolean prioritize) {
        String group = wrapper.getRequestEntry().groupId();
        if (group == null) {
            if (prioritize) {
                ungrouped.addFirst(wrapper);
            } else {
                ungrouped.addLast(wrapper);
            }
        } else {
            // AsyncSinkWriter re-adds a failed call's entries with prioritize, last one first,
            // so they end up at the head of their group, in their original order.
            ArrayDeque<RequestEntryWrapper<SqsMessageEntry>> queue =
                    groups.computeIfAbsent(group, g -> new ArrayDeque<>());
            if (prioritize) {
                queue.addFirst(wrapper);
            } else {
                queue.addLast(wrapper);
            }
            if (!busy.contains(group)) {
                ready.add(group);
            }
        }
        size++;
        totalSizeInBytes += wrapper.getSize();
    }

    /**
     * The next batch: up to maxCount entries and maxBytes, one per free group (the head of
     * each), or only ungrouped entries. Marks the groups taken busy. Empty when every buffered
     * entry belongs to a busy group.
     */
    Batch<SqsMessageEntry> takeBatch(int maxCount, long maxBytes) {
        List<SqsMessageEntry> entries = new ArrayList<>(maxCount);
        long bytes = 0;
        if (!ungrouped.isEmpty()) {
            while (!ungrouped.isEmpty() && entries.size() < maxCount
                    && (entries.isEmpty() || bytes + ungrouped.peekFirst().getSize() <= maxBytes)) {
                RequestEntryWrapper<SqsMessageEntry> next = ungrouped.pollFirst();
                entries.add(next.getRequestEntry());
                bytes += next.getSize();
            }
        } else {
            Iterator<String> free = ready.iterator();
            while (free.hasNext() && entries.size() < maxCount) {
                String group = free.next();
                ArrayDeque<RequestEntryWrapper<SqsMessageEntry>> queue = groups.get(group);
                RequestEntryWrapper<SqsMessageEntry> head = queue.peekFirst();
                if (!entries.isEmpty() && bytes + head.getSize() > maxBytes) {
                    break;
                }
                queue.pollFirst();
                if (queue.isEmpty()) {
                    groups.remove(group);
                }
                free.remove();
                busy.add(group);
                entries.add(head.getRequestEntry());
                bytes += head.getSize();
            }
        }
        size -= entries.size();
        totalSizeInBytes -= bytes;
        return new Batch<>(entries, bytes);
    }

    /** The call that held these entries was answered and its outcome is in the buffer. */
    void release(List<SqsMessageEntry> entries) {
        for (SqsMessageEntry entry : entries) {
            String group = entry.groupId();
            if (group != null && busy.remove(group) && groups.containsKey(group)) {
                ready.add(group);
            }
        }
    }

    /** Whether a batch can be taken now. */
    boolean hasEligible() {
        return !ungrouped.isEmpty() || !ready.isEmpty();
    }

    @Override
    public RequestEntryWrapper<SqsMessageEntry> peek() {
        if (!ungrouped.isEmpty()) {
            return ungrouped.peekFirst();
        }
        return ready.isEmpty() ? null : groups.get(ready.iterator().next()).peekFirst();
    }

    /**
     * Not supported: taking an entry must mark its group busy until its call is answered,
     * which only {@link #takeBatch} and {@link #release} do together. Flink's writer never
     * calls poll(); only batch creators do, and FIFO writers use {@link FifoBatchCreator}.
     */
    @Override
    public RequestEntryWrapper<SqsMessageEntry> poll() {
        throw new UnsupportedOperationException(
                "FifoRequestBuffer hands out entries in batches only (takeBatch)");
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }

    /** Every buffered entry; each group's entries in order (what a restore re-adds). */
    @Override
    public Collection<RequestEntryWrapper<SqsMessageEntry>> getBufferedState() {
        List<RequestEntryWrapper<SqsMessageEntry>> state = new ArrayList<>(size);
        state.addAll(ungrouped);
        for (ArrayDeque<RequestEntryWrapper<SqsMessageEntry>> queue : groups.values()) {
            state.addAll(queue);
        }
        return state;
    }

    @Override
    public long totalSizeInBytes() {
        return totalSizeInBytes;
    }
}
