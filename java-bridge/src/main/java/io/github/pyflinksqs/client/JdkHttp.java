package io.github.pyflinksqs.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A benchmark switch, not a setting: the JDK's java.net.http.HttpClient (HTTP/1.1, keep-alive,
 * asynchronous), the transport AwsHttp had before its own, selected with the JVM's system property
 * -Dpyflink.sqs.http=jdk so benchmarks/client_cpu.py can measure both in one run.
 */
final class JdkHttp {
    static final boolean SELECTED = "jdk".equals(System.getProperty("pyflink.sqs.http"));

    private final HttpClient http;

    JdkHttp(Executor executor, Duration connectTimeout, boolean trustAllCertificates) {
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

    /** AwsHttp.exchange on the JDK's client: a connection closed while idle replaced once. */
    <T> CompletableFuture<T> exchange(
            AwsHttpRequest built,
            Supplier<AwsHttpRequest> request,
            Function<AwsHttpResponse, T> decode) {
        return exchange(built, request, decode, true);
    }

    private <T> CompletableFuture<T> exchange(
            AwsHttpRequest built,
            Supplier<AwsHttpRequest> request,
            Function<AwsHttpResponse, T> decode,
            boolean mayReconnect) {
        return http.sendAsync(toJdk(built), HttpResponse.BodyHandlers.ofByteArray())
                .handle(
                        (response, error) -> {
                            if (error != null) {
                                if (!mayReconnect || !closedBeforeAnswering(error)) {
                                    return CompletableFuture.<T>failedFuture(error);
                                }
                                final AwsHttpRequest again;
                                try {
                                    again = request.get();
                                } catch (RuntimeException e) {
                                    return CompletableFuture.<T>failedFuture(e);
                                }
                                return exchange(again, request, decode, false);
                            }
                            try {
                                return CompletableFuture.completedFuture(
                                        decode.apply(fromJdk(response)));
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

    private static HttpRequest toJdk(AwsHttpRequest request) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(request.uri())
                        .timeout(request.timeout())
                        .method(
                                request.method(),
                                HttpRequest.BodyPublishers.ofByteArray(request.body()));
        // The JDK writes Host itself, from the URI, as AwsHttp.hostHeader signs it.
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            if (!header.getKey().equals("Host")) {
                builder.header(header.getKey(), header.getValue());
            }
        }
        return builder.build();
    }

    private static AwsHttpResponse fromJdk(HttpResponse<byte[]> response) {
        HttpHeaders jdkHeaders = response.headers();
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, List<String>> header : jdkHeaders.map().entrySet()) {
            if (!header.getValue().isEmpty()) {
                headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue().get(0));
            }
        }
        return new AwsHttpResponse(response.statusCode(), headers, response.body());
    }
}
