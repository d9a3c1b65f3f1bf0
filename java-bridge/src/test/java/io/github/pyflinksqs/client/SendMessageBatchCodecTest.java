package io.github.pyflinksqs.client;

import io.github.pyflinksqs.sink.MessageAttribute;
import io.github.pyflinksqs.sink.SqsMessageEntry;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The SendMessageBatch request we write and the answers we accept. */
class SendMessageBatchCodecTest {
    @Test
    void theRequestCarriesEveryFieldAndEscapesBodies() throws IOException {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put("s", MessageAttribute.string("v\"1"));
        attributes.put("b", MessageAttribute.of("Binary", null, new byte[] {1, 2}));
        SqsMessageEntry entry =
                new SqsMessageEntry("q\"\\\n\t\u0001😀", 9, attributes, false, 1, "g", "d", 5);
        JsonNode request =
                new ObjectMapper()
                        .readTree(
                                SendMessageBatchCodec.encodeRequest(
                                        "https://x/q",
                                        List.of(entry, new SqsMessageEntry("p", 1))));
        JsonNode first = request.path("Entries").get(0);
        assertEquals("https://x/q", request.path("QueueUrl").asText());
        assertEquals("0", first.path("Id").asText());
        assertEquals("q\"\\\n\t\u0001😀", first.path("MessageBody").asText());
        assertEquals("g", first.path("MessageGroupId").asText());
        assertEquals("d", first.path("MessageDeduplicationId").asText());
        assertEquals(5, first.path("DelaySeconds").asInt());
        assertEquals(
                "v\"1", first.path("MessageAttributes").path("s").path("StringValue").asText());
        assertEquals(
                "AQI=", first.path("MessageAttributes").path("b").path("BinaryValue").asText());
        assertEquals("1", request.path("Entries").get(1).path("Id").asText());
    }

    @Test
    void anAnswerListsSuccessesWithTheirDigestsAndFailures() throws IOException {
        SendMessageBatchResult result =
                SendMessageBatchCodec.decodeResponse(
                        bytes(
                                "{\"Successful\":[{\"Id\":\"0\",\"MessageId\":\"m\",\"MD5OfMessageBody\":\"abc\"}],"
                                        + "\"Failed\":[{\"Id\":\"1\",\"Code\":\"InternalError\",\"SenderFault\":false}]}"));
        assertEquals("0", result.successful().get(0).id());
        assertEquals("abc", result.successful().get(0).md5OfMessageBody());
        assertNull(result.successful().get(0).md5OfMessageAttributes());
        assertEquals("InternalError", result.failed().get(0).code());
    }

    @Test
    void aTwoHundredThatIsNotABatchResultIsAnError() {
        for (String body :
                new String[] {
                    "<html><body>Gateway</body></html>",
                    "",
                    "{}",
                    "[]",
                    "{\"Successful\":[{\"Id\"",
                    "null",
                    "{\"Unrelated\":1}"
                }) {
            assertThrows(
                    IOException.class,
                    () -> SendMessageBatchCodec.decodeResponse(bytes(body)),
                    body);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
