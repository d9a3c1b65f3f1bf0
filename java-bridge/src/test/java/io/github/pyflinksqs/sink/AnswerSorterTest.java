package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.client.BatchEntryFailure;
import io.github.pyflinksqs.client.BatchEntrySuccess;
import io.github.pyflinksqs.client.MessageMd5;
import io.github.pyflinksqs.client.SendMessageBatchResult;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every entry of a call is accounted for by SQS's answer, or sent again; never assumed. */
class AnswerSorterTest {
    private static final String Q = "https://sqs.us-east-1.amazonaws.com/1/q";
    private final List<SqsMessageEntry> sent = List.of(entry("a"), entry("b"), entry("c"));

    @Test
    void successfulEntriesWithMatchingDigestsAreDelivered() {
        AnswerSorter.Outcome outcome = sort(ok("0"), ok("1"), ok("2"));
        assertNull(outcome.fatal);
        assertEquals(3, outcome.delivered.size());
    }

    @Test
    void anEntryInNeitherListIsSentAgain() {
        AnswerSorter.Outcome outcome = sort(ok("0"));
        assertEquals(1, outcome.delivered.size());
        assertEquals(2, outcome.retry.size());
        assertEquals(AnswerSorter.MISSING_FROM_ANSWER, outcome.retry.get(0).code);
    }

    @Test
    void anEmptyAnswerDeliversNothing() {
        AnswerSorter.Outcome outcome =
                AnswerSorter.sort(sent, new SendMessageBatchResult(List.of(), List.of()), Q, false);
        assertEquals(0, outcome.delivered.size());
        assertEquals(3, outcome.retry.size());
    }

    @Test
    void anIdThatWasNotSentFailsTheJob() {
        assertTrue(sort(ok("0"), ok("7")).fatal.contains("did not send ('7'"));
        assertTrue(sort(ok("x")).fatal.contains("did not send"));
        assertTrue(sort(ok("01")).fatal.contains("did not send"));
    }

    @Test
    void anIdListedTwiceFailsTheJob() {
        SendMessageBatchResult twice =
                new SendMessageBatchResult(
                        List.of(ok("0")),
                        List.of(new BatchEntryFailure("0", "InternalError", "", false)));
        assertTrue(AnswerSorter.sort(sent, twice, Q, false).fatal.contains("twice"));
    }

    @Test
    void aBodyDigestThatDiffersIsSentAgainThenFailsTheJobAtTheThirdTime() {
        BatchEntrySuccess corrupted = new BatchEntrySuccess("0", "0".repeat(32), null);
        AnswerSorter.Outcome first = sort(corrupted, ok("1"), ok("2"));
        assertEquals(AnswerSorter.MD5_MISMATCH, first.retry.get(0).code);
        SqsMessageEntry again = first.retry.get(0).entry.nextAttemptAfterIntegrityFailure();
        SqsMessageEntry third = again.nextAttemptAfterIntegrityFailure();
        AnswerSorter.Outcome last =
                AnswerSorter.sort(
                        List.of(third),
                        new SendMessageBatchResult(List.of(corrupted), List.of()),
                        Q,
                        false);
        assertNotNull(last.fatal);
        assertTrue(
                last.fatal.contains("MD5OfMessageBody") && last.fatal.contains("record 1"),
                last.fatal);
    }

    @Test
    void attributeDigestsAreChecked() {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put("k", MessageAttribute.string("v"));
        SqsMessageEntry withAttributes =
                new SqsMessageEntry(
                        "a", 1, attributes, false, 1, null, null, SqsMessageEntry.NO_DELAY);
        BatchEntrySuccess right =
                new BatchEntrySuccess(
                        "0", MessageMd5.ofBody("a"), MessageMd5.ofAttributes(attributes));
        BatchEntrySuccess wrong =
                new BatchEntrySuccess("0", MessageMd5.ofBody("a"), "f".repeat(32));
        assertNull(AnswerSorter.md5Mismatch(withAttributes, right));
        assertTrue(
                AnswerSorter.md5Mismatch(withAttributes, wrong)
                        .startsWith("MD5OfMessageAttributes of "));
        // Emulators may leave the digests out: nothing to check then.
        assertNull(
                AnswerSorter.md5Mismatch(withAttributes, new BatchEntrySuccess("0", null, null)));
    }

    @Test
    void failedEntriesAreSortedByCodeNotBySenderFault() {
        SendMessageBatchResult answer =
                new SendMessageBatchResult(
                        List.of(ok("2")),
                        List.of(
                                new BatchEntryFailure("0", "InvalidMessageContents", "bad", false),
                                new BatchEntryFailure("1", "ServiceUnavailable", "", true)));
        AnswerSorter.Outcome outcome = AnswerSorter.sort(sent, answer, Q, false);
        assertEquals(1, outcome.refused.size());
        assertEquals("InvalidMessageContents", outcome.refused.get(0).code);
        assertEquals(1, outcome.retry.size());
        assertEquals(1, outcome.delivered.size());
    }

    @Test
    void failOnErrorFailsTheJobAtAnyFailedEntry() {
        SendMessageBatchResult answer =
                new SendMessageBatchResult(
                        List.of(),
                        List.of(new BatchEntryFailure("0", "ServiceUnavailable", "", false)));
        assertTrue(AnswerSorter.sort(sent, answer, Q, true).fatal.contains("fail_on_error"));
    }

    private AnswerSorter.Outcome sort(BatchEntrySuccess... successes) {
        return AnswerSorter.sort(
                sent, new SendMessageBatchResult(List.of(successes), List.of()), Q, false);
    }

    private BatchEntrySuccess ok(String id) {
        int index =
                id.chars().allMatch(Character::isDigit) && id.length() == 1
                        ? Integer.parseInt(id)
                        : 0;
        String body = index < sent.size() ? sent.get(index).body() : "a";
        return new BatchEntrySuccess(id, MessageMd5.ofBody(body), null);
    }

    private static SqsMessageEntry entry(String body) {
        return new SqsMessageEntry(body, 1, Collections.emptyMap(), false, 1);
    }
}
