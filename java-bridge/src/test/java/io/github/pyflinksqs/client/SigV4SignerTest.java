package io.github.pyflinksqs.client;

import io.github.pyflinksqs.Fixtures;
import io.github.pyflinksqs.auth.AwsCredentials;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our signer gives botocore's Authorization header on every case of sigv4_vectors.json. */
class SigV4SignerTest {
    private static final JsonNode VECTORS = Fixtures.shared("sigv4_vectors.json");

    @Test
    void everyCaseSignsAsBotocoreDoes() {
        List<String> wrong = new ArrayList<>();
        for (JsonNode vector : VECTORS.path("cases")) {
            String authorization = sign(vector, VECTORS.path("secret_key").asText());
            if (!authorization.equals(vector.path("authorization").asText())) {
                wrong.add(
                        vector.path("url").asText()
                                + ":\n  ours     "
                                + authorization
                                + "\n  botocore "
                                + vector.path("authorization").asText());
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(VECTORS.path("cases").size() >= 20, "at least 20 varied cases");
    }

    @Test
    void aDifferentSecretGivesADifferentSignature() {
        JsonNode vector = VECTORS.path("cases").get(0);
        assertNotEquals(sign(vector, "secret-a"), sign(vector, "secret-b"));
    }

    private static String sign(JsonNode vector, String secret) {
        URI url = URI.create(vector.path("url").asText());
        SigV4Signer signer =
                new SigV4Signer(vector.path("region").asText(), vector.path("service").asText());
        Map<String, String> headers = new LinkedHashMap<>();
        VECTORS.path("headers")
                .fields()
                .forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        headers.put("Host", url.getRawAuthority());
        String token =
                vector.path("session_token").isNull()
                        ? null
                        : vector.path("session_token").asText();
        signer.sign(
                "POST",
                SigV4Signer.canonicalPath(url.getRawPath()),
                SigV4Signer.canonicalQuery(url.getRawQuery()),
                headers,
                Fixtures.vectorBody(vector),
                new AwsCredentials(VECTORS.path("access_key").asText(), secret, token),
                Instant.ofEpochSecond(VECTORS.path("epoch_seconds").asLong()));
        return headers.get("Authorization");
    }
}
