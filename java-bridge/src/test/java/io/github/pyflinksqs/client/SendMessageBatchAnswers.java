package io.github.pyflinksqs.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Test access to how the client reads a SendMessageBatch answer (the package-private codec), for
 * tests of other packages that start from an answer's JSON, as the shared case lists give it.
 */
public final class SendMessageBatchAnswers {
    private SendMessageBatchAnswers() {}

    public static SendMessageBatchResult decode(String json) throws IOException {
        return SendMessageBatchCodec.decodeResponse(json.getBytes(StandardCharsets.UTF_8));
    }
}
