package io.github.pyflinksqs.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * Deduplication ids for FIFO messages that have none, mode 'per_record' (the default): each record
 * gets its own, so two identical messages of a group both arrive.
 *
 * <p>The id is SHA-256 of: the sink's nonce (random per job submission, kept in checkpoints, so a
 * resubmitted job never repeats an earlier run's ids), the writer's epoch (the checkpoint it was
 * restored from, 0 for a fresh start, so every restore counts anew), its subtask (two subtasks
 * never share an id), the message (group id, body, attributes: an id can only ever drop a copy of
 * the same message, never another one) and its occurrence (how many identical messages of the group
 * this writer gave an id before). A record replayed after a restore thus gets a new id and may
 * arrive twice, which at-least-once delivery allows; 'content' ids make SQS drop such copies
 * instead (ContentDeduplication), at the price of identical messages of a group within 5 minutes
 * arriving once. Flink places a checkpoint's barriers at new positions after every restore (2.3
 * even checkpoints right after a restart), so a position-based id that matched the first run's
 * could not be had without keeping every message of the last 5 minutes in the state.
 *
 * <p>The occurrence counts start over (a new rotation, part of the id) after 100,000 distinct
 * messages, bounding memory. Only the mailbox thread uses this object.
 */
final class RecordDeduplication {
    static final int MAX_COUNTED = 100_000;

    private final String nonce;
    private final String epoch;
    private final int subtask;
    private long rotation;
    private final Map<String, Integer> occurrences = new HashMap<>();

    RecordDeduplication(String nonce, String epoch, int subtask) {
        this.nonce = nonce;
        this.epoch = epoch;
        this.subtask = subtask;
    }

    String idFor(SqsMessageEntry entry) {
        String message =
                ContentDeduplication.id(
                        entry.groupId(),
                        entry.body().getBytes(StandardCharsets.UTF_8),
                        entry.attributes());
        if (occurrences.size() >= MAX_COUNTED && !occurrences.containsKey(message)) {
            occurrences.clear();
            rotation++;
        }
        int occurrence = occurrences.merge(message, 1, Integer::sum) - 1;
        return id(nonce, epoch, subtask, rotation, message, occurrence);
    }

    /**
     * The id of the occurrence-th copy of a message (its ContentDeduplication digest) written by a
     * subtask in an epoch; pyflink_sqs/deduplication.py computes the same (tests/fixtures).
     */
    static String id(
            String nonce,
            String epoch,
            int subtask,
            long rotation,
            String message,
            int occurrence) {
        MessageDigest digest = sha256();
        for (String part :
                new String[] {
                    nonce,
                    epoch,
                    Integer.toString(subtask),
                    Long.toString(rotation),
                    message,
                    Integer.toString(occurrence)
                }) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            digest.update((byte) bytes.length);
            digest.update(bytes);
        }
        return hex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder hex = new StringBuilder(64);
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16))
                    .append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }
}
