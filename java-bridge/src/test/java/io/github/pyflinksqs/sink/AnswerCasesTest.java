package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.Fixtures;
import io.github.pyflinksqs.client.SendMessageBatchAnswers;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AnswerSorter sorts each SendMessageBatch answer of tests/fixtures/answer_cases.json as the Python
 * sender does (tests/unit/test_answer_cases.py): the answer's JSON read by the client's codec, the
 * fate of every entry sent, or the words of the job's failure.
 */
class AnswerCasesTest {
    private static final JsonNode FIXTURE = Fixtures.shared("answer_cases.json");

    @Test
    void theCasesAreTheBackendsShared() {
        assertTrue(FIXTURE.path("cases").size() >= 30);
        assertEquals(Retries.MD5_ATTEMPTS, FIXTURE.path("md5_attempts").asInt());
    }

    @Test
    void everyAnswerIsSortedAsThePythonSenderSortsIt() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : FIXTURE.path("cases")) {
            String got = sorted(c);
            String want =
                    c.path("fates").isNull() ? "fatal" : String.join(" | ", texts(c.path("fates")));
            boolean same =
                    want.equals("fatal")
                            ? got.startsWith("fatal: ")
                                    && got.contains(c.path("fatal_words").asText())
                            : got.equals(want);
            if (!same) {
                wrong.add(
                        c.path("what").asText()
                                + ": want "
                                + (want.equals("fatal")
                                        ? "fatal with '" + c.path("fatal_words").asText() + "'"
                                        : want)
                                + ", got "
                                + got);
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** What AnswerSorter makes of a case, in the fixture's words. */
    private static String sorted(JsonNode c) throws Exception {
        List<SqsMessageEntry> sent = new ArrayList<>();
        int position = 1;
        for (JsonNode e : c.path("entries")) {
            String body = e.path("body").asText();
            sent.add(
                    new SqsMessageEntry(
                            body,
                            body.getBytes(StandardCharsets.UTF_8).length,
                            attributes(e.path("attributes")),
                            e.path("dead_letter").asBoolean(),
                            position++,
                            null,
                            null,
                            SqsMessageEntry.NO_DELAY,
                            null,
                            0,
                            e.path("wrong_digests_before").asInt()));
        }
        AnswerSorter.Outcome outcome =
                AnswerSorter.sort(
                        sent,
                        SendMessageBatchAnswers.decode(c.path("answer").toString()),
                        FIXTURE.path("queue_url").asText(),
                        c.path("fail_on_error").asBoolean());
        if (outcome.fatal != null) {
            return "fatal: " + outcome.fatal;
        }
        List<String> fates = new ArrayList<>();
        for (SqsMessageEntry entry : sent) {
            fates.add(fate(entry, outcome));
        }
        return String.join(" | ", fates);
    }

    private static String fate(SqsMessageEntry entry, AnswerSorter.Outcome outcome) {
        List<String> fates = new ArrayList<>();
        for (SqsMessageEntry delivered : outcome.delivered) {
            if (delivered == entry) {
                fates.add("delivered");
            }
        }
        for (AnswerSorter.Retry retry : outcome.retry) {
            if (retry.entry == entry) {
                fates.add(
                        "retry "
                                + (retry.code.equals(AnswerSorter.MD5_MISMATCH)
                                        ? "digest"
                                        : retry.code.equals(AnswerSorter.MISSING_FROM_ANSWER)
                                                ? "missing"
                                                : retry.code));
            }
        }
        for (AnswerSorter.Refusal refusal : outcome.refused) {
            if (refusal.entry == entry) {
                fates.add(
                        "refused "
                                + refusal.code
                                + (refusal.message.isEmpty() ? "" : " (" + refusal.message + ")"));
            }
        }
        // An entry with no fate, or two, shows as such and fails the comparison.
        return fates.size() == 1 ? fates.get(0) : fates.toString();
    }

    private static Map<String, MessageAttribute> attributes(JsonNode fields) {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        for (JsonNode f : fields) {
            attributes.put(
                    f.path("name").asText(),
                    f.has("binary_base64")
                            ? MessageAttribute.of(
                                    f.path("data_type").asText(),
                                    null,
                                    Base64.getDecoder().decode(f.path("binary_base64").asText()))
                            : MessageAttribute.of(
                                    f.path("data_type").asText(), f.path("string").asText(), null));
        }
        return attributes;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }
}
