package io.github.pyflinksqs.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test server for our HTTP client: HTTP/1.1 requests read one after another on each connection
 * (plain or TLS, as the given server socket is), answered as a test scripts it (a Responder).
 */
final class ScriptedHttpServer implements AutoCloseable {

    final AtomicInteger connections = new AtomicInteger();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final ServerSocket socket;
    private final Responder responder;
    private final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());

    ScriptedHttpServer(ServerSocket socket, Responder responder) {
        this.responder = responder;
        this.socket = socket;
        start(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    List<Integer> indexes() {
        List<Integer> indexes = new ArrayList<>();
        synchronized (requests) {
            requests.forEach(r -> indexes.add(r.index));
        }
        return indexes;
    }

    private void start(Runnable body) {
        Thread thread = new Thread(body, "scripted-server");
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.incrementAndGet();
                start(() -> serve(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (Socket c = connection) {
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            for (int index = 0; ; index++) {
                String line = line(in);
                if (line == null) {
                    return;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                String header;
                while (!(header = line(in)).isEmpty()) {
                    int colon = header.indexOf(':');
                    headers.put(
                            header.substring(0, colon).trim().toLowerCase(),
                            header.substring(colon + 1).trim());
                }
                byte[] body =
                        in.readNBytes(
                                Integer.parseInt(headers.getOrDefault("content-length", "0")));
                Request request = new Request(index, line, headers, body);
                requests.add(request);
                if (!responder.respond(request, out)) {
                    return;
                }
                out.flush();
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        synchronized (threads) {
            threads.forEach(Thread::interrupt);
        }
    }

    /** What the server read: a request, its index on its connection. */
    static final class Request {
        final int index;
        final String line;
        final Map<String, String> headers;
        final byte[] body;

        Request(int index, String line, Map<String, String> headers, byte[] body) {
            this.index = index;
            this.line = line;
            this.headers = headers;
            this.body = body;
        }
    }

    /** Writes the answer to a request; false to close the connection after it (or instead). */
    interface Responder {
        boolean respond(Request request, OutputStream out) throws IOException;
    }

    /** HTTP/1.1 requests read one after another on each connection, answered by a Responder. */
}
