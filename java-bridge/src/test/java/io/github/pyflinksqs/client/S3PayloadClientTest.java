package io.github.pyflinksqs.client;

import io.github.pyflinksqs.Fixtures;
import io.github.pyflinksqs.auth.AwsCredentials;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3 PutObject as botocore's S3SigV4Auth signs it (the s3_puts of sigv4_vectors.json), and objects
 * addressed as botocore's "auto" addressing does.
 */
class S3PayloadClientTest {
    private static final JsonNode VECTORS = Fixtures.shared("sigv4_vectors.json");

    @Test
    void everyPutSignsAsBotocoreDoes() {
        List<String> wrong = new ArrayList<>();
        for (JsonNode vector : VECTORS.path("s3_puts")) {
            URI url = URI.create(vector.path("url").asText());
            String token =
                    vector.path("session_token").isNull()
                            ? null
                            : vector.path("session_token").asText();
            AwsCredentials credentials =
                    new AwsCredentials(
                            VECTORS.path("access_key").asText(),
                            VECTORS.path("secret_key").asText(),
                            token);
            try (S3PayloadClient client =
                    new S3PayloadClient(
                            url,
                            true,
                            vector.path("region").asText(),
                            () -> credentials,
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(1),
                            false,
                            Clock.fixed(
                                    Instant.ofEpochSecond(VECTORS.path("epoch_seconds").asLong()),
                                    ZoneOffset.UTC))) {
                AwsHttpRequest request = client.signedRequest(url, Fixtures.vectorBody(vector));
                String ours = request.headers().getOrDefault("Authorization", "");
                String hash = request.headers().getOrDefault("x-amz-content-sha256", "");
                if (!ours.equals(vector.path("authorization").asText())
                        || !hash.equals(vector.path("content_sha256").asText())) {
                    wrong.add(
                            url
                                    + ":\n  ours     "
                                    + ours
                                    + "\n  botocore "
                                    + vector.path("authorization").asText());
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(VECTORS.path("s3_puts").size() >= 6);
    }

    @Test
    void objectsAreVirtualHostedOnAwsAndPathStyleOtherwise() {
        try (S3PayloadClient aws = client(URI.create("https://s3.eu-west-1.amazonaws.com"), false);
                S3PayloadClient given = client(URI.create("http://127.0.0.1:4566/"), true)) {
            assertEquals(
                    URI.create("https://payloads.s3.eu-west-1.amazonaws.com/in/k"),
                    aws.objectUri("payloads", "in/k"));
            // A bucket with dots would not match the *.s3 certificate as a host name.
            assertEquals(
                    URI.create("https://s3.eu-west-1.amazonaws.com/my.bucket/k"),
                    aws.objectUri("my.bucket", "k"));
            assertEquals(
                    URI.create("http://127.0.0.1:4566/payloads/in/k"),
                    given.objectUri("payloads", "in/k"));
        }
    }

    @Test
    void aPutMayTakeTheReadTimeoutPlusASecondPerMibOfBody() {
        try (S3PayloadClient client = client(URI.create("http://127.0.0.1:4566/"), true)) {
            URI uri = client.objectUri("payloads", "k");
            assertEquals(
                    Duration.ofSeconds(1 + 4),
                    client.signedRequest(uri, new byte[4 * 1024 * 1024]).timeout());
            assertEquals(Duration.ofSeconds(1 + 1), client.timeoutFor(1));
            assertEquals(Duration.ofSeconds(1 + 2048), client.timeoutFor(2L << 30));
        }
    }

    private static S3PayloadClient client(URI endpoint, boolean given) {
        return new S3PayloadClient(
                endpoint,
                given,
                "eu-west-1",
                () -> new AwsCredentials("a", "b", null),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                false);
    }
}
