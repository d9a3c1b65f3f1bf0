package io.github.pyflinksqs.client;

import io.github.pyflinksqs.sink.MessageAttribute;
import io.github.pyflinksqs.sink.SqsMessageEntry;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The SQS JSON protocol (awsJson1_0) for SendMessageBatch: the request body, the response and the
 * error document. Requests are written by hand (one pass, no tree); answers are small and read with
 * Flink's shaded Jackson.
 */
final class SendMessageBatchCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SendMessageBatchCodec() {}

    /** Entry i gets Id "i": unique within the call, which is all SQS asks of an Id. */
    static byte[] encodeRequest(String queueUrl, List<SqsMessageEntry> entries) {
        int estimate = 64 + queueUrl.length();
        for (SqsMessageEntry entry : entries) {
            estimate += entry.sizeInBytes() + 40;
        }
        StringBuilder json = new StringBuilder(estimate);
        json.append("{\"QueueUrl\":");
        appendString(json, queueUrl);
        json.append(",\"Entries\":[");
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            SqsMessageEntry entry = entries.get(i);
            json.append("{\"Id\":\"").append(i).append("\",\"MessageBody\":");
            appendString(json, entry.body());
            if (entry.groupId() != null) {
                json.append(",\"MessageGroupId\":");
                appendString(json, entry.groupId());
            }
            if (entry.deduplicationId() != null) {
                json.append(",\"MessageDeduplicationId\":");
                appendString(json, entry.deduplicationId());
            }
            if (entry.delaySeconds() != SqsMessageEntry.NO_DELAY) {
                json.append(",\"DelaySeconds\":").append(entry.delaySeconds());
            }
            if (!entry.attributes().isEmpty()) {
                appendAttributes(json, entry.attributes());
            }
            json.append('}');
        }
        json.append("]}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendAttributes(
            StringBuilder json, Map<String, MessageAttribute> attributes) {
        json.append(",\"MessageAttributes\":{");
        boolean first = true;
        for (Map.Entry<String, MessageAttribute> attribute : attributes.entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            MessageAttribute value = attribute.getValue();
            appendString(json, attribute.getKey());
            json.append(":{\"DataType\":");
            appendString(json, value.dataType());
            if (value.binaryValue() != null) {
                json.append(",\"BinaryValue\":\"")
                        .append(Base64.getEncoder().encodeToString(value.binaryValue()))
                        .append('"');
            } else {
                json.append(",\"StringValue\":");
                appendString(json, value.stringValue());
            }
            json.append('}');
        }
        json.append('}');
    }

    static void appendString(StringBuilder json, String value) {
        json.append('"');
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    json.append("\\\"");
                    break;
                case '\\':
                    json.append("\\\\");
                    break;
                case '\n':
                    json.append("\\n");
                    break;
                case '\r':
                    json.append("\\r");
                    break;
                case '\t':
                    json.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        json.append(c);
                    }
            }
        }
        json.append('"');
    }

    /**
     * The answer to a call SQS accepted. Anything but a JSON object with the two lists is an
     * IOException (a proxy's HTML page, a truncated read): the call is then retried, never taken as
     * delivered.
     */
    static SendMessageBatchResult decodeResponse(byte[] body) throws IOException {
        JsonNode root = MAPPER.readTree(body);
        if (root == null
                || !root.isObject()
                || !(root.path("Successful").isArray() || root.path("Failed").isArray())) {
            throw new IOException(
                    "SQS answered 200 with "
                            + body.length
                            + " bytes that are not a "
                            + "SendMessageBatch result");
        }
        List<BatchEntrySuccess> successful = new ArrayList<>();
        for (JsonNode entry : root.path("Successful")) {
            successful.add(
                    new BatchEntrySuccess(
                            entry.path("Id").asText(""),
                            textOrNull(entry, "MD5OfMessageBody"),
                            textOrNull(entry, "MD5OfMessageAttributes")));
        }
        List<BatchEntryFailure> failed = new ArrayList<>();
        for (JsonNode entry : root.path("Failed")) {
            failed.add(
                    new BatchEntryFailure(
                            entry.path("Id").asText(""),
                            entry.path("Code").asText(""),
                            entry.path("Message").asText(""),
                            entry.path("SenderFault").asBoolean(false)));
        }
        return new SendMessageBatchResult(successful, failed);
    }

    private static String textOrNull(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /**
     * The error code of a failed call: the part after '#' of "__type" (JSON protocol), or the
     * x-amzn-query-error code SQS adds for compatibility with its older query protocol.
     */
    static SqsServiceException decodeError(
            int statusCode, byte[] body, String queryErrorHeader, String requestId) {
        String code = "";
        String message = "";
        try {
            JsonNode root = MAPPER.readTree(body);
            String type = root.path("__type").asText("");
            code = type.substring(type.lastIndexOf('#') + 1);
            message =
                    root.has("message")
                            ? root.path("message").asText("")
                            : root.path("Message").asText("");
        } catch (IOException | RuntimeException notJson) {
            message = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        }
        String queryCode = "";
        if (queryErrorHeader != null && !queryErrorHeader.isEmpty()) {
            int semicolon = queryErrorHeader.indexOf(';');
            queryCode = semicolon < 0 ? queryErrorHeader : queryErrorHeader.substring(0, semicolon);
        }
        return new SqsServiceException(statusCode, code, queryCode, message, requestId);
    }
}
