import io.github.pyflinksqs.auth.AwsCredentials;
import io.github.pyflinksqs.client.S3PayloadClient;
import io.github.pyflinksqs.client.SqsClient;
import io.github.pyflinksqs.sink.SqsMessageEntry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generators for the benchmark, no Flink involved. Keeps IN_FLIGHT calls of 10 messages
 * going for SECONDS (after a 2 s warm-up) and prints {"messages_per_second": ...}.
 *
 * <ul>
 *   <li>{@code http URL SECONDS IN_FLIGHT}: one pre-built, unsigned request sent again and
 *       again with the JDK's HttpClient: what the endpoint itself can take.
 *   <li>{@code client URL QUEUE_URL SECONDS IN_FLIGHT}: the bridge's own SqsClient, encoding
 *       and signing every call: the ceiling of our client.
 *   <li>{@code s3 URL SIZE SECONDS IN_FLIGHT}: the bridge's S3PayloadClient putting objects of
 *       SIZE bytes (hashed and signed each time), path-style: S3 PUTs alone, as large-payload
 *       offload makes them. Prints {"objects_per_second": ...}.
 * </ul>
 */
public final class LoadGen {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URI endpoint = URI.create(args[1]);
        int seconds = Integer.parseInt(args[mode.equals("http") ? 2 : 3]);
        int inFlight = Integer.parseInt(args[mode.equals("http") ? 3 : 4]);
        Call call =
                mode.equals("http")
                        ? rawHttp(endpoint)
                        : mode.equals("s3")
                                ? puts(endpoint, Integer.parseInt(args[2]))
                                : ourClient(endpoint, args[2]);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Semaphore slots = new Semaphore(inFlight);
        long warmUpEnd = System.nanoTime() + 2_000_000_000L;
        long end = warmUpEnd + seconds * 1_000_000_000L;
        long countedFrom = -1;
        while (System.nanoTime() < end) {
            if (countedFrom < 0 && System.nanoTime() >= warmUpEnd) {
                countedFrom = done.get();
            }
            slots.acquire();
            call.send().whenComplete((ok, error) -> {
                if (error == null) {
                    done.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                slots.release();
            });
        }
        slots.acquire(inFlight);
        long calls = done.get() - Math.max(countedFrom, 0);
        System.out.println((mode.equals("s3")
                        ? "{\"objects_per_second\":" + (calls * 1.0 / seconds)
                        : "{\"messages_per_second\":" + (calls * 10.0 / seconds))
                + ",\"failed_calls\":" + failed.get() + "}");
        System.exit(0);
    }

    interface Call {
        CompletableFuture<?> send();
    }

    private static Call rawHttp(URI endpoint) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        StringBuilder body = new StringBuilder("{\"QueueUrl\":\"" + endpoint + "q\",\"Entries\":[");
        for (int i = 0; i < 10; i++) {
            body.append(i == 0 ? "" : ",").append("{\"Id\":\"").append(i)
                    .append("\",\"MessageBody\":\"load-").append(i).append("\"}");
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "AmazonSQS.SendMessageBatch")
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString(),
                        StandardCharsets.UTF_8))
                .build();
        return () -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + response.statusCode());
                    }
                    return response;
                });
    }

    private static Call puts(URI endpoint, int size) {
        S3PayloadClient client = new S3PayloadClient(endpoint, true, "us-east-1",
                () -> new AwsCredentials("bench", "bench-secret", null),
                Duration.ofSeconds(10), Duration.ofSeconds(60), false);
        byte[] body = new byte[size];
        java.util.Arrays.fill(body, (byte) 'x');
        AtomicLong counter = new AtomicLong();
        return () -> client.putObject("bench", "load/" + counter.incrementAndGet(), body);
    }

    private static Call ourClient(URI endpoint, String queueUrl) {
        SqsClient client = new SqsClient(endpoint, "us-east-1",
                () -> new AwsCredentials("bench", "bench-secret", null),
                Duration.ofSeconds(10), Duration.ofSeconds(60));
        AtomicLong counter = new AtomicLong();
        return () -> {
            List<SqsMessageEntry> entries = new ArrayList<>(10);
            for (int i = 0; i < 10; i++) {
                String body = "load-" + counter.incrementAndGet() + ":" + System.currentTimeMillis();
                entries.add(new SqsMessageEntry(body, body.length()));
            }
            return client.sendMessageBatch(queueUrl, entries).thenApply(result -> {
                if (!result.failed().isEmpty()) {
                    throw new IllegalStateException(result.failed().get(0).toString());
                }
                return result;
            });
        };
    }
}
