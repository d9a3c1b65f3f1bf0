package io.github.pyflinksqs.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP side our AWS clients share (SqsClient, S3PayloadClient): the JDK's HttpClient on
 * HTTP/1.1 with keep-alive connections, on daemon threads, and one exchange that replaces a
 * connection the endpoint closed while it was idle.
 */
final class AwsHttp implements AutoCloseable {
    private final ExecutorService executor;
    private final HttpClient http;

    AwsHttp(String threadPrefix, Duration connectTimeout, boolean trustAllCertificates) {
        AtomicInteger threads = new AtomicInteger();
        // Daemon threads: a task manager must be able to exit even if close() was never called.
        this.executor =
                Executors.newCachedThreadPool(
                        runnable -> {
                            Thread thread =
                                    new Thread(
                                            runnable,
                                            threadPrefix + "-" + threads.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        });
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
     * Sends the request (made anew for a second attempt: it is signed with the time) and decodes
     * the answer. A connection the endpoint had closed while it was idle in the pool is replaced
     * once at once: the JDK drops such connections when it notices, but a call can win that race
     * (seen in SqsClientKeepAliveTest under load: "header parser received no bytes"); the endpoint
     * got no request then, so sending it again is no retry, costs no backoff and logs nothing. The
     * future fails with what decode throws (unwrapped from CompletionException), or with the I/O
     * error when there was no answer.
     */
    <T> CompletableFuture<T> exchange(
            Supplier<HttpRequest> request, Function<HttpResponse<byte[]>, T> decode) {
        return exchange(request, decode, true);
    }

    private <T> CompletableFuture<T> exchange(
            Supplier<HttpRequest> request,
            Function<HttpResponse<byte[]>, T> decode,
            boolean mayReconnect) {
        final HttpRequest built;
        try {
            built = request.get();
        } catch (RuntimeException e) {
            // e.g. credentials that cannot be resolved: reported through the future like any
            // other failure of the call, so the caller has one place to classify errors.
            return CompletableFuture.failedFuture(e);
        }
        return http.sendAsync(built, HttpResponse.BodyHandlers.ofByteArray())
                .handle(
                        (response, error) -> {
                            if (error != null) {
                                return mayReconnect && closedBeforeAnswering(error)
                                        ? exchange(request, decode, false)
                                        : CompletableFuture.<T>failedFuture(error);
                            }
                            try {
                                return CompletableFuture.completedFuture(decode.apply(response));
                            } catch (RuntimeException e) {
                                return CompletableFuture.<T>failedFuture(
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

    /** The signed headers on a request; the JDK writes Host itself, from the URI, as signed. */
    static HttpRequest.Builder withHeaders(
            HttpRequest.Builder builder, Map<String, String> headers) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (!header.getKey().equals("Host")) {
                builder.header(header.getKey(), header.getValue());
            }
        }
        return builder;
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
    }
}
