package io.github.pyflinksqs.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our HTTP/1.1 transport (AwsHttp over HttpConnection) against a local server that answers as each
 * test scripts it: keep-alive reuse, connections the server closes, the ways an answer's body is
 * framed, interim answers, and the read timeout bounding the whole call.
 */
class AwsHttpTest {
    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final AtomicInteger answers = new AtomicInteger();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void callsOneAfterAnotherShareOneKeptAliveConnection() throws Exception {
        ScriptedHttpServer server = server((request, out) -> answer(out, 200, "", "{\"n\":1}"));
        AwsHttp http = http();
        for (int i = 0; i < 3; i++) {
            AwsHttpResponse response = call(http, server, Duration.ofSeconds(5));
            assertEquals(200, response.statusCode());
            assertEquals("{\"n\":1}", text(response));
        }
        assertEquals(1, server.connections.get());
        assertEquals(3, server.requests.size());
    }

    @Test
    void theRequestCarriesTheSignedHeadersHostAsGivenAndItsContentLength() throws Exception {
        ScriptedHttpServer server = server((request, out) -> answer(out, 200, "", "{}"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "sqs.example:" + server.port());
        headers.put("X-Amz-Target", "AmazonSQS.SendMessageBatch");
        AwsHttp http = http();
        http.exchange(
                        () ->
                                new AwsHttpRequest(
                                        "POST",
                                        URI.create(server.url() + "/000/q?x=1"),
                                        headers,
                                        BODY,
                                        Duration.ofSeconds(5)),
                        r -> r)
                .get(10, TimeUnit.SECONDS);
        ScriptedHttpServer.Request seen = server.requests.get(0);
        assertEquals("POST /000/q?x=1 HTTP/1.1", seen.line);
        assertEquals("sqs.example:" + server.port(), seen.headers.get("host"));
        assertEquals("AmazonSQS.SendMessageBatch", seen.headers.get("x-amz-target"));
        assertEquals(String.valueOf(BODY.length), seen.headers.get("content-length"));
        assertArrayEquals(BODY, seen.body);
    }

    @Test
    void aHeaderValueWithALineBreakIsRefusedNotSent() throws Exception {
        ScriptedHttpServer server = server((request, out) -> answer(out, 200, "", "{}"));
        AwsHttp http = http();
        ExecutionException failed =
                assertThrows(
                        ExecutionException.class,
                        () ->
                                http.exchange(
                                                () ->
                                                        new AwsHttpRequest(
                                                                "POST",
                                                                URI.create(server.url() + "/"),
                                                                Map.of("X-A", "1\r\nX-B: 2"),
                                                                BODY,
                                                                Duration.ofSeconds(5)),
                                                r -> r)
                                        .get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, failed.getCause());
        assertEquals(0, server.requests.size());
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsReplacedOnceAndTheCallSucceeds() throws Exception {
        // Every connection serves one request, then the server closes it without a word (no
        // "Connection: close"): the next call finds it closed before any answer byte.
        ScriptedHttpServer server =
                server(
                        (request, out) -> {
                            answer(out, 200, "", "{}");
                            return false;
                        });
        AwsHttp http = http();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, call(http, server, Duration.ofSeconds(5)).statusCode());
        }
        assertEquals(3, server.connections.get());
    }

    @Test
    void aNewConnectionClosedWithoutAnAnswerFailsTheCallAndIsNotTriedAgain() throws Exception {
        ScriptedHttpServer server = server((request, out) -> false);
        ExecutionException failed =
                assertThrows(
                        ExecutionException.class,
                        () -> call(http(), server, Duration.ofSeconds(5)));
        assertInstanceOf(IOException.class, failed.getCause());
        assertEquals(1, server.connections.get());
        assertEquals(1, server.requests.size());
    }

    @Test
    void aReusedConnectionIsReplacedOnlyOnce() throws Exception {
        // The first request is answered; every later one is read and dropped without an answer.
        ScriptedHttpServer server =
                server(
                        (request, out) -> {
                            if (answers.getAndIncrement() == 0) {
                                answer(out, 200, "", "{}");
                                return true;
                            }
                            return false;
                        });
        AwsHttp http = http();
        assertEquals(200, call(http, server, Duration.ofSeconds(5)).statusCode());
        ExecutionException failed =
                assertThrows(
                        ExecutionException.class, () -> call(http, server, Duration.ofSeconds(5)));
        assertInstanceOf(IOException.class, failed.getCause());
        assertEquals(2, server.connections.get(), "the first, and one replacing it");
        assertEquals(3, server.requests.size());
    }

    @Test
    void connectionCloseIsHonouredTheNextCallOpensANewConnection() throws Exception {
        ScriptedHttpServer server =
                server(
                        (request, out) -> {
                            answer(out, 200, "Connection: close\r\n", "{}");
                            // Keeps its end open: only the client's honouring closes it.
                            return true;
                        });
        AwsHttp http = http();
        for (int i = 0; i < 2; i++) {
            assertEquals(200, call(http, server, Duration.ofSeconds(5)).statusCode());
        }
        assertEquals(2, server.connections.get());
        assertEquals(List.of(0, 0), server.indexes());
    }

    @Test
    void aChunkedBodyIsReadWholeAndTheConnectionKeptForTheNextCall() throws Exception {
        ScriptedHttpServer server =
                server(
                        (request, out) -> {
                            out.write(
                                    ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                    + "5;ext=1\r\n{\"a\":\r\n"
                                                    + "a\r\n\"0123456\"}\r\n"
                                                    + "0\r\nX-Trailer: t\r\n\r\n")
                                            .getBytes(StandardCharsets.ISO_8859_1));
                            return true;
                        });
        AwsHttp http = http();
        for (int i = 0; i < 2; i++) {
            assertEquals("{\"a\":\"0123456\"}", text(call(http, server, Duration.ofSeconds(5))));
        }
        assertEquals(1, server.connections.get());
    }

    @Test
    void interimAnswersAreSkipped() throws Exception {
        ScriptedHttpServer server =
                server(
                        (request, out) -> {
                            out.write(
                                    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
                                            .getBytes(StandardCharsets.ISO_8859_1));
                            answer(out, 201, "x-amz-request-id: r-1\r\n", "{}");
                            return true;
                        });
        AwsHttpResponse response = call(http(), server, Duration.ofSeconds(5));
        assertEquals(201, response.statusCode());
        assertEquals("r-1", response.header("X-Amz-Request-Id"));
    }

    @Test
    void aBodyWithoutLengthRunsUntilTheServerCloses() throws Exception {
        ScriptedHttpServer server =
                server(
                        (request, out) -> {
                            out.write(
                                    "HTTP/1.1 500 Oops\r\n\r\n{\"x\":2}"
                                            .getBytes(StandardCharsets.ISO_8859_1));
                            return false;
                        });
        AwsHttpResponse response = call(http(), server, Duration.ofSeconds(5));
        assertEquals(500, response.statusCode());
        assertEquals("{\"x\":2}", text(response));
    }

    @Test
    void anAnswerTricklingInTimesOutAtTheReadTimeoutOfTheWholeCall() throws Exception {
        // A byte every 50 ms, without end: no single read waits long, only the whole call does.
        ScriptedHttpServer server =
                server(
                        (request, out) -> {
                            out.write(
                                    "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n"
                                            .getBytes(StandardCharsets.ISO_8859_1));
                            try {
                                while (true) {
                                    out.write('x');
                                    out.flush();
                                    Thread.sleep(50);
                                }
                            } catch (InterruptedException e) {
                                return false;
                            }
                        });
        ExecutionException failed =
                assertThrows(
                        ExecutionException.class,
                        () -> call(http(), server, Duration.ofMillis(500)));
        assertInstanceOf(SocketTimeoutException.class, failed.getCause());
        assertTrue(failed.getCause().getMessage().contains("500 ms"), failed.getCause().toString());
    }

    @Test
    void aBodyCutShortFailsTheCallAndIsNotSentAgain() throws Exception {
        ScriptedHttpServer server =
                server(
                        (request, out) -> {
                            out.write(
                                    "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Succ"
                                            .getBytes(StandardCharsets.ISO_8859_1));
                            return false;
                        });
        ExecutionException failed =
                assertThrows(
                        ExecutionException.class,
                        () -> call(http(), server, Duration.ofSeconds(5)));
        assertInstanceOf(EOFException.class, failed.getCause());
        assertTrue(failed.getCause().getMessage().contains("6 of its 100"), failed.toString());
        assertEquals(1, server.requests.size());
    }

    @Test
    void headersCutShortFailTheCall() throws Exception {
        ScriptedHttpServer server =
                server(
                        (request, out) -> {
                            out.write(
                                    "HTTP/1.1 200 OK\r\nContent-Le"
                                            .getBytes(StandardCharsets.ISO_8859_1));
                            return false;
                        });
        ExecutionException failed =
                assertThrows(
                        ExecutionException.class,
                        () -> call(http(), server, Duration.ofSeconds(5)));
        assertInstanceOf(EOFException.class, failed.getCause());
        assertEquals(1, server.requests.size());
    }

    @Test
    void anAnswerThatIsNotHttpFailsTheCall() throws Exception {
        ScriptedHttpServer server =
                server(
                        (request, out) -> {
                            out.write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.UTF_8));
                            return true;
                        });
        ExecutionException failed =
                assertThrows(
                        ExecutionException.class,
                        () -> call(http(), server, Duration.ofSeconds(5)));
        assertTrue(failed.getCause().getMessage().contains("not an HTTP/1.1 answer"));
    }

    @Test
    void callsInFlightTogetherEachRunOnAThreadAndConnectionOfTheirOwn() throws Exception {
        // Four calls held by the server until all four arrived: four threads, four connections.
        java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(4);
        ScriptedHttpServer server =
                server(
                        (request, out) -> {
                            arrived.countDown();
                            try {
                                arrived.await();
                            } catch (InterruptedException e) {
                                return false;
                            }
                            answer(out, 200, "", "{}");
                            return true;
                        });
        AwsHttp http = http();
        List<java.util.concurrent.CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(
                    http.exchange(
                            () -> request(server, Duration.ofSeconds(5)),
                            r -> Thread.currentThread().getName()));
        }
        List<String> threads = new ArrayList<>();
        for (java.util.concurrent.CompletableFuture<String> c : calls) {
            threads.add(c.get(10, TimeUnit.SECONDS));
        }
        assertEquals(4, server.connections.get());
        assertEquals(4, threads.stream().distinct().count());
        assertTrue(threads.stream().allMatch(t -> t.startsWith("test-http-")), threads.toString());
    }

    private AwsHttp http() {
        AwsHttp http = new AwsHttp("test-http", Duration.ofSeconds(5), false);
        toClose.add(http);
        return http;
    }

    private ScriptedHttpServer server(ScriptedHttpServer.Responder responder) throws IOException {
        ScriptedHttpServer server =
                new ScriptedHttpServer(
                        new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), responder);
        toClose.add(0, server);
        return server;
    }

    private static AwsHttpRequest request(ScriptedHttpServer server, Duration timeout) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "127.0.0.1:" + server.port());
        headers.put("Content-Type", "application/x-amz-json-1.0");
        return new AwsHttpRequest("POST", URI.create(server.url() + "/"), headers, BODY, timeout);
    }

    private static AwsHttpResponse call(AwsHttp http, ScriptedHttpServer server, Duration timeout)
            throws Exception {
        return http.exchange(() -> request(server, timeout), r -> r).get(10, TimeUnit.SECONDS);
    }

    private static String text(AwsHttpResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static boolean answer(OutputStream out, int status, String headers, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(
                ("HTTP/1.1 "
                                + status
                                + " X\r\n"
                                + headers
                                + "Content-Length: "
                                + bytes.length
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
        return true;
    }
}
