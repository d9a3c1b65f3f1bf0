package io.github.pyflinksqs.client;

import io.github.pyflinksqs.auth.AwsCredentials;
import io.github.pyflinksqs.sink.SqsMessageEntry;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keep-alive connections the endpoint closed while idle (SQS and load balancers close idle
 * connections after a while): the next call must go out on a new connection, not fail.
 */
class SqsClientKeepAliveTest {
    @Test
    void aCallAfterTheServerClosedTheIdleConnectionSucceeds() throws Exception {
        try (IdleClosingServer server = new IdleClosingServer(300)) {
            SqsClient client =
                    new SqsClient(
                            URI.create("http://127.0.0.1:" + server.port()),
                            "us-east-1",
                            () -> new AwsCredentials("AKID", "secret", null),
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(5));
            List<SqsMessageEntry> entries = List.of(new SqsMessageEntry("m", 1));
            assertEquals(
                    1,
                    client.sendMessageBatch("http://q", entries)
                            .get(10, TimeUnit.SECONDS)
                            .successful()
                            .size());
            assertTrue(server.closedIdle.await(10, TimeUnit.SECONDS), "the server closed it");
            for (int i = 0; i < 5; i++) {
                assertEquals(
                        1,
                        client.sendMessageBatch("http://q", entries)
                                .get(10, TimeUnit.SECONDS)
                                .successful()
                                .size(),
                        "call after idle " + i);
                server.closedIdle = new CountDownLatch(1);
                assertTrue(server.closedIdle.await(10, TimeUnit.SECONDS));
            }
            assertEquals(6, server.connections.get(), "one connection per call after idling");
            client.close();
        }
    }

    @Test
    void aCallOnAConnectionTheServerDropsWithoutAnsweringGoesOutOnANewOne() throws Exception {
        // The race a pool cannot win: the server closes the idle connection just as the client
        // sends on it. Modelled deterministically: it reads the second request, then closes.
        try (IdleClosingServer server = new IdleClosingServer(60_000)) {
            server.dropSecondRequest = true;
            SqsClient client =
                    new SqsClient(
                            URI.create("http://127.0.0.1:" + server.port()),
                            "us-east-1",
                            () -> new AwsCredentials("AKID", "secret", null),
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(5));
            List<SqsMessageEntry> entries = List.of(new SqsMessageEntry("m", 1));
            for (int i = 0; i < 2; i++) {
                assertEquals(
                        1,
                        client.sendMessageBatch("http://q", entries)
                                .get(10, TimeUnit.SECONDS)
                                .successful()
                                .size(),
                        "call " + i);
            }
            assertEquals(2, server.connections.get());
            client.close();
        }
    }

    /** HTTP/1.1 with keep-alive that closes a connection idle for idleMillis. */
    private static final class IdleClosingServer implements AutoCloseable {
        private final ServerSocket socket;
        private final int idleMillis;
        final AtomicInteger connections = new AtomicInteger();
        volatile CountDownLatch closedIdle = new CountDownLatch(1);
        // Close the first connection on its second request, without answering it.
        volatile boolean dropSecondRequest;

        IdleClosingServer(int idleMillis) throws IOException {
            this.idleMillis = idleMillis;
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(this::accept, "idle-closing-server");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.incrementAndGet();
                    Thread serve = new Thread(() -> serve(connection));
                    serve.setDaemon(true);
                    serve.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (Socket c = connection) {
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(
                                        c.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = c.getOutputStream();
                int requests = 0;
                boolean first = connections.get() == 1;
                while (true) {
                    c.setSoTimeout(idleMillis);
                    String line;
                    try {
                        line = in.readLine();
                    } catch (SocketTimeoutException idle) {
                        closedIdle.countDown();
                        return; // closes the idle connection
                    }
                    if (line == null) {
                        return;
                    }
                    int length = 0;
                    while (!(line = in.readLine()).isEmpty()) {
                        if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    char[] body = new char[length];
                    int read = 0;
                    while (read < length) {
                        read += in.read(body, read, length - read);
                    }
                    if (dropSecondRequest && first && ++requests == 2) {
                        return; // closes without answering
                    }
                    byte[] answer =
                            ("{\"Successful\":[{\"Id\":\"0\",\"MessageId\":\"x\",\"MD5OfMessageBody\":\""
                                            + MessageMd5.ofBody("m")
                                            + "\"}],\"Failed\":[]}")
                                    .getBytes(StandardCharsets.UTF_8);
                    out.write(
                            ("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n"
                                            + "Content-Length: "
                                            + answer.length
                                            + "\r\n\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(answer);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
