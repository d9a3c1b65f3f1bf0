import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A no-op SQS endpoint on 127.0.0.1 for benchmarks: answers SendMessageBatch and SendMessage
 * (JSON protocol) with success for every entry after an added latency, optionally fails a
 * share of calls with HTTP 500, and can stall (hold every call) for a while. It counts
 * messages (in all, and from 2 s after the first arrival on), notes the first and last
 * arrival, and for bodies "<anything>:<epoch millis>" the latency from that timestamp to
 * arrival.
 *
 * <p>A thread per connection with blocking I/O: HTTP/1.1 clients send one call at a time per
 * connection, so the added latency is a sleep of that thread, and there is no framework
 * between the socket and the answer (the JDK's HttpServer capped out below our client).
 *
 * <p>Any PUT is an S3 PutObject (large-payload offload): answered 200 after the same latency,
 * counted with its bytes and the first and last arrival. "Expect: 100-continue" is answered
 * with 100 Continue, as S3 answers it.
 *
 * <p>GET /stats gives the counts as JSON; POST /reset clears them; POST /stall?ms=N holds calls
 * for N ms from now. Usage: java NoopSqs PORT LATENCY_MS ERROR_RATE
 */
public final class NoopSqs {
    private static final Pattern ID = Pattern.compile("\"Id\"\\s*:\\s*\"([^\"]*)\"");
    private static final String BODY_KEY = "\"MessageBody\"";
    private static final Pattern BODY_TIME =
            Pattern.compile("\"MessageBody\"\\s*:\\s*\"[^\"]*:(\\d{13})\"");
    private static final int LATENCY_SLOTS = 1 << 20;
    // Throughput counts from 2 s after the first arrival, as LoadGen does for the raw client:
    // both sides are compared with the JIT warm-up left out.
    private static final long WARM_UP_NANOS = 2_000_000_000L;

    private final long latencyMs;
    private final double errorRate;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong firstArrivalNanos = new AtomicLong();
    private final AtomicLong lastArrivalNanos = new AtomicLong();
    private final AtomicLong messagesAfterWarmUp = new AtomicLong();
    private final long[] latencies = new long[LATENCY_SLOTS];
    private final AtomicLong latencyCount = new AtomicLong();
    private volatile long stallUntilMillis;
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong putBytes = new AtomicLong();
    private final AtomicLong firstPutNanos = new AtomicLong();
    private final AtomicLong lastPutNanos = new AtomicLong();

    private NoopSqs(long latencyMs, double errorRate) {
        this.latencyMs = latencyMs;
        this.errorRate = errorRate;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        NoopSqs endpoint = new NoopSqs(Long.parseLong(args[1]), Double.parseDouble(args[2]));
        ServerSocket server = new ServerSocket(port, 1024, InetAddress.getByName("127.0.0.1"));
        System.out.println("listening on " + port);
        System.out.flush();
        while (true) {
            Socket socket = server.accept();
            socket.setTcpNoDelay(true);
            Thread thread = new Thread(() -> endpoint.serve(socket));
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Requests of one keep-alive connection, one after the other. */
    private void serve(Socket socket) {
        try (socket;
                InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
                OutputStream out = socket.getOutputStream()) {
            while (true) {
                String requestLine = readLine(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                int length = 0;
                String target = "";
                boolean expectContinue = false;
                for (String line = readLine(in); line != null && !line.isEmpty();
                        line = readLine(in)) {
                    int colon = line.indexOf(':');
                    String name = line.substring(0, colon).trim().toLowerCase();
                    String value = line.substring(colon + 1).trim();
                    if (name.equals("content-length")) {
                        length = Integer.parseInt(value);
                    } else if (name.equals("x-amz-target")) {
                        target = value;
                    } else if (name.equals("expect")) {
                        expectContinue = value.equalsIgnoreCase("100-continue");
                    }
                }
                if (expectContinue) {
                    // As S3 does: botocore sends PutObject bodies over 1 MB only after this,
                    // or after waiting 1 s for it.
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                byte[] body = in.readNBytes(length);
                String[] parts = requestLine.split(" ");
                Reply reply = handle(parts[0], parts[1], target, body);
                byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + reply.status + (reply.status == 200 ? " OK" : " Error")
                        + "\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: "
                        + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            // the client closed the connection
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1)
                        : line.toString();
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    private static final class Reply {
        final int status;
        final String body;

        Reply(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    private Reply handle(String method, String uri, String target, byte[] requestBody) {
        try {
            String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
            if ("GET".equals(method) && path.equals("/stats")) {
                return new Reply(200, stats());
            } else if (path.equals("/reset")) {
                reset();
                return new Reply(200, "{}");
            } else if (path.equals("/stall")) {
                stallUntilMillis = System.currentTimeMillis()
                        + Long.parseLong(uri.substring(uri.indexOf('=') + 1));
                return new Reply(200, "{}");
            }
            if ("PUT".equals(method)) {
                return put(requestBody.length);
            }
            return send(target, new String(requestBody, StandardCharsets.UTF_8));
        } catch (RuntimeException | InterruptedException e) {
            return new Reply(500, "{\"__type\":\"InternalError\",\"message\":\"" + e + "\"}");
        }
    }

    private Reply send(String target, String body) throws InterruptedException {
        long stall = stallUntilMillis - System.currentTimeMillis();
        if (stall > 0) {
            Thread.sleep(stall);
        }
        if (latencyMs > 0) {
            Thread.sleep(latencyMs);
        }
        if (errorRate > 0 && ThreadLocalRandom.current().nextDouble() < errorRate) {
            return new Reply(500, "{\"__type\":\"InternalError\",\"message\":\"injected\"}");
        }
        String answer;
        int count;
        if (target.endsWith(".SendMessage")) {
            String first = nextBody(body, new int[] {0});
            String md5 = first == null ? "" : md5(first);
            answer = "{\"MessageId\":\"m\",\"MD5OfMessageBody\":\"" + md5 + "\"}";
            count = 1;
        } else {
            StringBuilder entries = new StringBuilder("{\"Successful\":[");
            Matcher ids = ID.matcher(body);
            int[] at = {0};
            count = 0;
            while (ids.find()) {
                String next = nextBody(body, at);
                String md5 = next == null ? "" : md5(next);
                entries.append(count++ > 0 ? "," : "").append("{\"Id\":\"").append(ids.group(1))
                        .append("\",\"MessageId\":\"m\",\"MD5OfMessageBody\":\"").append(md5)
                        .append("\"}");
            }
            answer = entries.append("],\"Failed\":[]}").toString();
        }
        long now = System.nanoTime();
        firstArrivalNanos.compareAndSet(0, now);
        lastArrivalNanos.set(now);
        messages.addAndGet(count);
        if (now - firstArrivalNanos.get() >= WARM_UP_NANOS) {
            messagesAfterWarmUp.addAndGet(count);
        }
        calls.incrementAndGet();
        long nowMillis = System.currentTimeMillis();
        Matcher times = BODY_TIME.matcher(body);
        while (times.find()) {
            long slot = latencyCount.getAndIncrement();
            if (slot < LATENCY_SLOTS) {
                latencies[(int) slot] = nowMillis - Long.parseLong(times.group(1));
            }
        }
        return new Reply(200, answer);
    }

    /**
     * The next "MessageBody" string of the request from at[0] on (its JSON text, escapes kept),
     * at[0] moved past it; null when there is none. Scanned by hand: a regex alternation for JSON
     * strings recurses once per character in java.util.regex, and bodies of a KiB or more
     * overflowed the thread's stack (the connection then closed without an answer).
     */
    private static String nextBody(String json, int[] at) {
        int key = json.indexOf(BODY_KEY, at[0]);
        if (key < 0) {
            return null;
        }
        int start = json.indexOf('"', json.indexOf(':', key + BODY_KEY.length())) + 1;
        int end = start;
        while (json.charAt(end) != '"') {
            end += json.charAt(end) == '\\' ? 2 : 1;
        }
        at[0] = end + 1;
        return json.substring(start, end);
    }

    private Reply put(int bytes) throws InterruptedException {
        if (latencyMs > 0) {
            Thread.sleep(latencyMs);
        }
        long now = System.nanoTime();
        firstPutNanos.compareAndSet(0, now);
        lastPutNanos.set(now);
        puts.incrementAndGet();
        putBytes.addAndGet(bytes);
        return new Reply(200, "");
    }

    /** The digest the sinks check, of the body as sent (the JSON string unescaped). */
    private static String md5(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest(unescape(json).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String stats() {
        int n = (int) Math.min(latencyCount.get(), LATENCY_SLOTS);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        double seconds = (lastArrivalNanos.get() - firstArrivalNanos.get()) / 1e9;
        return "{\"messages\":" + messages.get() + ",\"calls\":" + calls.get()
                + ",\"arrival_seconds\":" + seconds
                + ",\"messages_after_warm_up\":" + messagesAfterWarmUp.get()
                + ",\"seconds_after_warm_up\":" + (seconds - WARM_UP_NANOS / 1e9)
                + ",\"latency_samples\":" + n
                + ",\"puts\":" + puts.get() + ",\"put_bytes\":" + putBytes.get()
                + ",\"put_seconds\":" + (lastPutNanos.get() - firstPutNanos.get()) / 1e9
                + ",\"p50_ms\":" + (n == 0 ? -1 : sorted[n / 2])
                + ",\"p99_ms\":" + (n == 0 ? -1 : sorted[Math.min(n - 1, (int) (n * 0.99))]) + "}";
    }

    private void reset() {
        messages.set(0);
        calls.set(0);
        firstArrivalNanos.set(0);
        lastArrivalNanos.set(0);
        messagesAfterWarmUp.set(0);
        latencyCount.set(0);
        stallUntilMillis = 0;
        puts.set(0);
        putBytes.set(0);
        firstPutNanos.set(0);
        lastPutNanos.set(0);
    }


    private static String unescape(String json) {
        if (json.indexOf('\\') < 0) {
            return json;
        }
        StringBuilder text = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != '\\') {
                text.append(c);
                continue;
            }
            char e = json.charAt(++i);
            switch (e) {
                case 'n': text.append('\n'); break;
                case 't': text.append('\t'); break;
                case 'r': text.append('\r'); break;
                case 'b': text.append('\b'); break;
                case 'f': text.append('\f'); break;
                case 'u':
                    text.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                    break;
                default: text.append(e);  // " \ /
            }
        }
        return text.toString();
    }
}
