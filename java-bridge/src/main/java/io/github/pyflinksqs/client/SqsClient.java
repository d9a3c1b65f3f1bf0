package io.github.pyflinksqs.client;

import io.github.pyflinksqs.auth.AwsCredentialsProvider;
import io.github.pyflinksqs.sink.SqsMessageEntry;

import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SendMessageBatch over the JDK's HTTP client, signed by our SigV4 signer (the AWS SDK supplies
 * only the credentials): one instance per sink subtask; its connections are kept alive and reused
 * across calls.
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
    private final ExecutorService executor;
    private final HttpClient http;
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
        this.hostHeader = hostHeader(endpoint);
        this.canonicalPath = SigV4Signer.canonicalPath(endpoint.getRawPath());
        this.credentialsProvider = credentialsProvider;
        this.signer = new SigV4Signer(region, "sqs");
        this.readTimeout = readTimeout;
        this.clock = clock;
        // Daemon threads: a task manager must be able to exit even if close() was never called.
        this.executor = Executors.newCachedThreadPool(daemonThreads("pyflink-sqs-http"));
        HttpClient.Builder http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(connectTimeout)
                        .executor(executor);
        if (trustAllCertificates) {
            http.sslContext(TrustAllCertificates.sslContext());
        }
        this.http = http.build();
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
        return send(body, true);
    }

    /**
     * One exchange; a connection the endpoint had closed while it was idle in the pool is replaced
     * once at once. The JDK drops idle connections the server closed when it notices, but a call
     * can win that race (seen in SqsClientKeepAliveTest under load: "header parser received no
     * bytes"); the endpoint got no request then, so sending it again is no retry, costs no backoff
     * and logs nothing.
     */
    private CompletableFuture<SendMessageBatchResult> send(byte[] body, boolean mayReconnect) {
        final HttpRequest request;
        try {
            request = signedRequest(body);
        } catch (RuntimeException e) {
            // e.g. credentials that cannot be resolved: reported through the future like any
            // other failure of the call, so the caller has one place to classify errors.
            return CompletableFuture.failedFuture(e);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle(
                        (response, error) -> {
                            if (error != null) {
                                return mayReconnect && closedBeforeAnswering(error)
                                        ? send(body, false)
                                        : CompletableFuture.<SendMessageBatchResult>failedFuture(
                                                error);
                            }
                            try {
                                return CompletableFuture.completedFuture(toResult(response));
                            } catch (RuntimeException e) {
                                return CompletableFuture.<SendMessageBatchResult>failedFuture(
                                        e instanceof CompletionException && e.getCause() != null
                                                ? e.getCause()
                                                : e);
                            }
                        })
                .thenCompose(result -> result);
    }

    /** The connection closed before the first byte of an answer: the JDK's words for it. */
    static boolean closedBeforeAnswering(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof EOFException
                    || (t instanceof IOException
                            && t.getMessage() != null
                            && t.getMessage().contains("received no bytes"))) {
                return true;
            }
        }
        return false;
    }

    private HttpRequest signedRequest(byte[] body) {
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
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(endpoint)
                        .timeout(readTimeout)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, String> header : headers.entrySet()) {
            // The JDK writes Host itself, from the URI, exactly as signed above.
            if (!header.getKey().equals("Host")) {
                builder.header(header.getKey(), header.getValue());
            }
        }
        return builder.build();
    }

    private static SendMessageBatchResult toResult(HttpResponse<byte[]> response) {
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
                response.headers().firstValue("x-amzn-query-error").orElse(null),
                response.headers().firstValue("x-amzn-RequestId").orElse(null));
    }

    /** What the JDK puts in the Host header: the port only when it is not the scheme's own. */
    static String hostHeader(URI endpoint) {
        int port = endpoint.getPort();
        boolean defaultPort =
                port == -1
                        || ("https".equals(endpoint.getScheme()) && port == 443)
                        || ("http".equals(endpoint.getScheme()) && port == 80);
        return defaultPort ? endpoint.getHost() : endpoint.getHost() + ":" + port;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        credentialsProvider.close();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
