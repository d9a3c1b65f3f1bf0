package io.github.pyflinksqs.client;

import io.github.pyflinksqs.auth.AwsCredentialsProvider;
import io.github.pyflinksqs.sink.SqsMessageEntry;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * SendMessageBatch over our HTTP/1.1 client (AwsHttp), signed by our SigV4 signer (the AWS SDK
 * supplies only the credentials): one instance per sink subtask; its connections are kept alive and
 * reused across calls.
 */
public final class SqsClient implements AutoCloseable {
    static final String TARGET = "AmazonSQS.SendMessageBatch";
    static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    private final URI endpoint;
    private final String hostHeader;
    private final String canonicalPath;
    private final AwsCredentialsProvider credentialsProvider;
    private final SigV4Signer signer;
    private final Duration readTimeout;
    private final AwsHttp http;
    private final Clock clock;

    public SqsClient(
            URI endpoint,
            String region,
            AwsCredentialsProvider credentialsProvider,
            Duration connectTimeout,
            Duration readTimeout) {
        this(endpoint, region, credentialsProvider, connectTimeout, readTimeout, false);
    }

    public SqsClient(
            URI endpoint,
            String region,
            AwsCredentialsProvider credentialsProvider,
            Duration connectTimeout,
            Duration readTimeout,
            boolean trustAllCertificates) {
        this(
                endpoint,
                region,
                credentialsProvider,
                connectTimeout,
                readTimeout,
                trustAllCertificates,
                Clock.systemUTC());
    }

    SqsClient(
            URI endpoint,
            String region,
            AwsCredentialsProvider credentialsProvider,
            Duration connectTimeout,
            Duration readTimeout,
            boolean trustAllCertificates,
            Clock clock) {
        this.endpoint = endpoint;
        this.hostHeader = AwsHttp.hostHeader(endpoint);
        this.canonicalPath = SigV4Signer.canonicalPath(endpoint.getRawPath());
        this.credentialsProvider = credentialsProvider;
        this.signer = new SigV4Signer(region, "sqs");
        this.readTimeout = readTimeout;
        this.clock = clock;
        this.http = new AwsHttp("pyflink-sqs-http", connectTimeout, trustAllCertificates);
    }

    /**
     * Sends the entries in one call. The future completes with the call's result when SQS answered
     * 200; exceptionally with {@link SqsServiceException} for an error answer, or with the I/O
     * error when there was no answer.
     */
    public CompletableFuture<SendMessageBatchResult> sendMessageBatch(
            String queueUrl, List<SqsMessageEntry> entries) {
        final byte[] body;
        try {
            body = SendMessageBatchCodec.encodeRequest(queueUrl, entries);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.exchange(() -> signedRequest(body), SqsClient::toResult);
    }

    private AwsHttpRequest signedRequest(byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", CONTENT_TYPE);
        headers.put("Host", hostHeader);
        headers.put("X-Amz-Target", TARGET);
        signer.sign(
                "POST",
                canonicalPath,
                "",
                headers,
                body,
                credentialsProvider.resolveCredentials(),
                clock.instant());
        return new AwsHttpRequest("POST", endpoint, headers, body, readTimeout);
    }

    private static SendMessageBatchResult toResult(AwsHttpResponse response) {
        if (response.statusCode() == 200) {
            try {
                return SendMessageBatchCodec.decodeResponse(response.body());
            } catch (IOException e) {
                // Not a SendMessageBatch result (a proxy page, a truncated read): retried.
                throw new CompletionException(e);
            }
        }
        throw SendMessageBatchCodec.decodeError(
                response.statusCode(),
                response.body(),
                response.header("x-amzn-query-error"),
                response.header("x-amzn-RequestId"));
    }

    @Override
    public void close() {
        http.close();
        credentialsProvider.close();
    }
}
