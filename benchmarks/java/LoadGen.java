import io.github.pyflinksqs.auth.AwsCredentials;
import io.github.pyflinksqs.client.S3PayloadClient;
import io.github.pyflinksqs.client.SqsClient;
import io.github.pyflinksqs.sink.SqsMessageEntry;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generators for the benchmark, no Flink involved. Keeps IN_FLIGHT calls of 10 messages
 * going for SECONDS (after a 2 s warm-up) and prints {"messages_per_second": ...} and the CPU
 * time this JVM spent in those SECONDS ("cpu_seconds", all its threads: the load loop, the
 * client's encoding and signing, its HTTP threads, GC and JIT).
 *
 * <ul>
 *   <li>{@code http URL SECONDS IN_FLIGHT}: one pre-built, unsigned request's bytes sent again
 *       and again on a plain socket per call in flight: what the endpoint itself can take.
 *   <li>{@code client URL QUEUE_URL SECONDS IN_FLIGHT [BODY_BYTES]}: the bridge's own SqsClient,
 *       encoding and signing every call: the ceiling of our client. With BODY_BYTES, bodies of
 *       that size, as many to a call as the sink's default max_batch_size_in_bytes (256 KiB)
 *       takes, at most 10; also prints "mib_per_second" of bodies.
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
                        ? rawHttp(endpoint, inFlight)
                        : mode.equals("s3")
                                ? puts(endpoint, Integer.parseInt(args[2]))
                                : ourClient(endpoint, args[2], bodyBytes(args));
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Semaphore slots = new Semaphore(inFlight);
        long warmUpEnd = System.nanoTime() + 2_000_000_000L;
        long end = warmUpEnd + seconds * 1_000_000_000L;
        long countedFrom = -1;
        long cpuFrom = 0;
        while (System.nanoTime() < end) {
            if (countedFrom < 0 && System.nanoTime() >= warmUpEnd) {
                countedFrom = done.get();
                cpuFrom = processCpuNanos();
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
        long cpu = processCpuNanos() - cpuFrom;
        long calls = done.get() - Math.max(countedFrom, 0);
        int perCall = mode.equals("client") ? perCall(bodyBytes(args)) : 10;
        System.out.println((mode.equals("s3")
                        ? "{\"objects_per_second\":" + (calls * 1.0 / seconds)
                        : "{\"messages_per_second\":" + (calls * (double) perCall / seconds)
                                + (bodyBytes(args) > 0
                                        ? ",\"mib_per_second\":" + calls * (double) perCall
                                                * bodyBytes(args) / (1 << 20) / seconds
                                        : ""))
                + ",\"cpu_seconds\":" + (cpu / 1e9)
                + ",\"failed_calls\":" + failed.get() + "}");
        System.exit(0);
    }

    /** The client mode's BODY_BYTES; 0 when not given (short bodies). */
    private static int bodyBytes(String[] args) {
        return args[0].equals("client") && args.length > 5 ? Integer.parseInt(args[5]) : 0;
    }

    private static int perCall(int bodyBytes) {
        return bodyBytes <= 0 ? 10 : Math.max(1, Math.min(10, 256 * 1024 / bodyBytes));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    interface Call {
        CompletableFuture<?> send();
    }

    private static Call rawHttp(URI endpoint, int inFlight) {
        StringBuilder body = new StringBuilder("{\"QueueUrl\":\"" + endpoint + "q\",\"Entries\":[");
        for (int i = 0; i < 10; i++) {
            body.append(i == 0 ? "" : ",").append("{\"Id\":\"").append(i)
                    .append("\",\"MessageBody\":\"load-").append(i).append("\"}");
        }
        byte[] json = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
                ? "/" : endpoint.getRawPath();
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + endpoint.getAuthority()
                + "\r\nContent-Type: application/x-amz-json-1.0"
                + "\r\nX-Amz-Target: AmazonSQS.SendMessageBatch"
                + "\r\nContent-Length: " + json.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[head.length + json.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(json, 0, request, head.length, json.length);
        // A thread and a keep-alive connection per call in flight, the request's bytes written
        // as they are and the answer read to its Content-Length: as little client as can be.
        ExecutorService threads = Executors.newFixedThreadPool(inFlight, runnable -> {
            Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            return thread;
        });
        ThreadLocal<Socket> connection = new ThreadLocal<>();
        ThreadLocal<InputStream> answers = new ThreadLocal<>();
        return () -> CompletableFuture.supplyAsync(() -> {
            try {
                Socket socket = connection.get();
                if (socket == null) {
                    socket = new Socket(endpoint.getHost(), endpoint.getPort());
                    socket.setTcpNoDelay(true);
                    connection.set(socket);
                    answers.set(new BufferedInputStream(socket.getInputStream()));
                }
                socket.getOutputStream().write(request);
                int status = readAnswer(answers.get());
                if (status != 200) {
                    throw new IllegalStateException("HTTP " + status);
                }
                return status;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, threads);
    }

    /** Reads one answer (status line, headers, Content-Length body) and gives its status. */
    private static int readAnswer(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int status = -1;
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the endpoint closed the connection");
            }
            if (b != '\n') {
                line.append((char) b);
                continue;
            }
            String text = line.toString().trim();
            line.setLength(0);
            if (status < 0) {
                status = Integer.parseInt(text.substring(9, 12));
            } else if (text.isEmpty()) {
                in.readNBytes(length);
                return status;
            } else if (text.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(text.substring(15).trim());
            }
        }
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

    private static Call ourClient(URI endpoint, String queueUrl, int bodyBytes) {
        SqsClient client = new SqsClient(endpoint, "us-east-1",
                () -> new AwsCredentials("bench", "bench-secret", null),
                Duration.ofSeconds(10), Duration.ofSeconds(60));
        AtomicLong counter = new AtomicLong();
        int perCall = perCall(bodyBytes);
        return () -> {
            List<SqsMessageEntry> entries = new ArrayList<>(perCall);
            for (int i = 0; i < perCall; i++) {
                String body = "load-" + counter.incrementAndGet() + ":" + System.currentTimeMillis();
                if (bodyBytes > body.length()) {
                    body = "x".repeat(bodyBytes - body.length()) + body;
                }
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
