package io.github.pyflinksqs.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * Deduplication ids for FIFO messages that have none, mode 'per_record' (the default): each
 * record gets its own, so two identical messages of a group both arrive, while a record
 * replayed after a restore gets the id it had, and SQS drops the copy (within its 5-minute
 * deduplication window).
 *
 * <p>The id is SHA-256 of: the sink's nonce (random per job submission, kept in checkpoints, so
 * a resubmitted job never repeats an earlier run's ids), the epoch (the checkpoint the subtask
 * last passed or was restored from), the message (group id, body, attributes) and its
 * occurrence: how many identical messages of the group came before it in the epoch. After a
 * restore from checkpoint C the records after C's barrier come again, the same multiset per
 * group whatever the interleaving of input channels, so each gets its original id. Because the
 * message itself is hashed, an id can only ever drop a copy of the same message: a replay that
 * does not match (a rescale, a nondeterministic job) gives duplicates, never a loss.
 *
 * <p>The occurrence counts are cleared at every checkpoint; without checkpoints they start
 * over (a new rotation, part of the id) after 100,000 distinct messages, bounding memory.
 * Only the mailbox thread uses this object.
 */
final class RecordDeduplication {
    static final int MAX_COUNTED = 100_000;

    private final String nonce;
    private long epoch;
    private long rotation;
    private final Map<String, Integer> occurrences = new HashMap<>();

    RecordDeduplication(String nonce, long epoch) {
        this.nonce = nonce;
        this.epoch = epoch;
    }

    String idFor(SqsMessageEntry entry) {
        String message = ContentDeduplication.id(
                entry.groupId(), entry.body().getBytes(StandardCharsets.UTF_8), entry.attributes());
        if (occurrences.size() >= MAX_COUNTED && !occurrences.containsKey(message)) {
            occurrences.clear();
            rotation++;
        }
        int occurrence = occurrences.merge(message, 1, Integer::sum) - 1;
        return id(nonce, Long.toString(epoch), rotation, message, occurrence);
    }

    /**
     * The id of the occurrence-th copy of a message (its ContentDeduplication digest) in an
     * epoch; pyflink_sqs/deduplication.py computes the same (tests/fixtures).
     */
    static String id(String nonce, String epoch, long rotation, String message, int occurrence) {
        MessageDigest digest = sha256();
        for (String part : new String[] {
                nonce, epoch, Long.toString(rotation), message, Integer.toString(occurrence)}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            digest.update((byte) bytes.length);
            digest.update(bytes);
        }
        return hex(digest.digest());
    }

    /** The subtask passed checkpoint `checkpointId`: later records count from there. */
    void startEpoch(long checkpointId) {
        epoch = checkpointId;
        rotation = 0;
        occurrences.clear();
    }

    String nonce() {
        return nonce;
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
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }
}
