package io.github.pyflinksqs.client;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive HTTP/1.1 connection, used by one call at a time: a request written, its answer
 * read, within the request's timeout (from the first byte written to the last byte read, so an
 * answer trickling in cannot hold a call longer). Reads set the socket's timeout to what is left of
 * the call; a write has no timeout of its own, so AwsHttp's watchdog closes a connection whose
 * request is still being written at the deadline ({@link #closeIfWritingPast}).
 *
 * <p>Answers: 1xx interim answers skipped (S3 may send 100 Continue), bodies by Content-Length,
 * chunked, or until the server closes; "Connection: close" (and HTTP/1.0) honoured by closing after
 * the answer. A connection that fails before the first byte of an answer throws {@link NoAnswer}:
 * on a reused connection that is the endpoint having closed it while idle.
 */
final class HttpConnection implements AutoCloseable {
    // A status line or header longer than this is not AWS's (their lines are < 200 bytes).
    static final int MAX_LINE_BYTES = 65_536;
    // Requests up to this size go out in one write (one TCP segment train with TCP_NODELAY);
    // larger bodies (S3 PUTs) are written from the caller's array, not copied.
    private static final int COPY_BODY_BYTES = 64 * 1024;

    private final String target;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private long deadline;
    private long timeoutMillis;
    private boolean answerStarted;
    private volatile boolean closed;
    private volatile boolean writing;
    private volatile long writeDeadline;
    private volatile boolean writeTimedOut;
    private volatile long idleSince;

    private HttpConnection(String target, Socket socket) throws IOException {
        this.target = target;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to the URI's host and port within connectTimeout, with TLS for https: SNI, and the
     * host name checked against the certificate unless verifyHostName is false (trust-all). Throws
     * UnknownHostException, ConnectException (refused, unreachable), SocketTimeoutException (not
     * connected in time, or no TLS handshake in time), or SSLHandshakeException (a certificate not
     * trusted or not the host's).
     */
    static HttpConnection open(
            URI uri, Duration connectTimeout, SSLSocketFactory tls, boolean verifyHostName)
            throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        String host = unbracketed(uri.getHost());
        int port = port(uri);
        int connectMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new UnknownHostException(host);
            }
            try {
                raw.connect(address, connectMillis);
            } catch (ConnectException | SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                // No route to host, network unreachable: no connection, as the JDK's client
                // reported them (a ConnectException).
                throw (ConnectException)
                        new ConnectException(e.getMessage() + ": " + host + ":" + port)
                                .initCause(e);
            }
            if (!https) {
                return new HttpConnection(target(uri), raw);
            }
            SSLSocket socket = (SSLSocket) tls.createSocket(raw, host, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            if (verifyHostName) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (!isAddress(host)) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(connectMillis);
            socket.startHandshake();
            return new HttpConnection(target(uri), socket);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Whether this connection goes where the URI points (scheme, host and port). */
    boolean serves(URI uri) {
        return target.equals(target(uri));
    }

    boolean isOpen() {
        return !closed;
    }

    /** When the connection was last given back idle (System.nanoTime()). */
    long idleSince() {
        return idleSince;
    }

    void idleSince(long nanoTime) {
        idleSince = nanoTime;
    }

    /**
     * Writes the request and reads its answer within the request's timeout. Throws {@link NoAnswer}
     * when the connection closed or broke before the first byte of an answer;
     * SocketTimeoutException when the timeout ran out; another IOException when the answer was cut
     * short or is not HTTP/1.1. The connection is closed after any exception.
     */
    AwsHttpResponse exchange(AwsHttpRequest request) throws IOException {
        timeoutMillis = request.timeout().toMillis();
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        answerStarted = false;
        try {
            write(request);
            return read(request.method());
        } catch (IOException | RuntimeException e) {
            close();
            if (writeTimedOut) {
                // The watchdog closed it at the deadline, maybe just as the write ended.
                throw timedOut("the request was not written");
            }
            throw e;
        }
    }

    private void write(AwsHttpRequest request) throws IOException {
        byte[] head = head(request);
        byte[] body = request.body();
        writeDeadline = deadline;
        writing = true;
        try {
            if (body.length <= COPY_BODY_BYTES) {
                byte[] all = new byte[head.length + body.length];
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(body, 0, all, head.length, body.length);
                out.write(all);
            } else {
                out.write(head);
                out.write(body);
            }
            out.flush();
        } catch (IOException e) {
            throw new NoAnswer(e);
        } finally {
            writing = false;
        }
    }

    /** The watchdog's check: closes the connection if its request is being written past time. */
    void closeIfWritingPast(long nowNanos) {
        if (writing && nowNanos - writeDeadline >= 0) {
            writeTimedOut = true;
            close();
        }
    }

    private AwsHttpResponse read(String method) throws IOException {
        String statusLine;
        try {
            statusLine = readLine();
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (answerStarted) {
                throw e;
            }
            throw new NoAnswer(e);
        }
        if (statusLine == null) {
            throw new NoAnswer(null);
        }
        while (true) {
            int status = status(statusLine);
            Map<String, String> headers = new HashMap<>();
            String line;
            while (!(line = requireLine("the answer's headers")).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new Malformed("a header line without a name: " + excerpt(line));
                }
                headers.putIfAbsent(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            if (status >= 100 && status < 200 && status != 101) {
                statusLine = requireLine("the answer after a " + status + " interim answer");
                continue;
            }
            boolean closeAfter =
                    hasToken(headers.get("connection"), "close")
                            || (statusLine.startsWith("HTTP/1.0")
                                    && !hasToken(headers.get("connection"), "keep-alive"));
            byte[] body;
            String length = headers.get("content-length");
            if ("HEAD".equals(method) || status == 204 || status == 304) {
                body = new byte[0];
            } else if (hasToken(headers.get("transfer-encoding"), "chunked")) {
                body = chunked();
            } else if (length != null) {
                body = exactly(contentLength(length));
            } else {
                body = untilClosed();
                closeAfter = true;
            }
            if (closeAfter) {
                close();
            }
            return new AwsHttpResponse(status, headers, body);
        }
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = requireLine("a chunk's size");
            int semicolon = line.indexOf(';');
            String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new Malformed("a chunk size that is not a number: " + excerpt(line));
            }
            if (size < 0 || size > Integer.MAX_VALUE - 8 - body.size()) {
                throw new Malformed("a chunk of " + hex + " bytes (hex)");
            }
            if (size == 0) {
                while (!requireLine("the answer's trailer").isEmpty()) {
                    // trailer fields: none of AWS's answers carries one we read
                }
                return body.toByteArray();
            }
            body.write(exactly((int) size));
            if (!requireLine("the end of a chunk").isEmpty()) {
                throw new Malformed("a chunk longer than its size");
            }
        }
    }

    private byte[] exactly(int size) throws IOException {
        byte[] body = new byte[size];
        int have = Math.min(size, limit - position);
        System.arraycopy(buffer, position, body, 0, have);
        position += have;
        while (have < size) {
            setReadTimeout();
            int n;
            try {
                n = in.read(body, have, size - have);
            } catch (SocketTimeoutException e) {
                throw timedOut("the answer did not come");
            }
            if (n < 0) {
                throw new EOFException(
                        "the answer was cut short: the connection closed after "
                                + have
                                + " of its "
                                + size
                                + " body bytes");
            }
            have += n;
        }
        return body;
    }

    private byte[] untilClosed() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(buffer, position, limit - position);
        position = limit;
        while (fill() > 0) {
            body.write(buffer, position, limit - position);
            position = limit;
        }
        return body.toByteArray();
    }

    private String requireLine(String where) throws IOException {
        String line = readLine();
        if (line == null) {
            throw new EOFException("the answer was cut short: the connection closed in " + where);
        }
        return line;
    }

    /** The next line without its end (CRLF or LF); null when the server closed before one. */
    private String readLine() throws IOException {
        int scanned = position;
        while (true) {
            for (int i = scanned; i < limit; i++) {
                if (buffer[i] == '\n') {
                    int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
                    String line =
                            new String(
                                    buffer, position, end - position, StandardCharsets.ISO_8859_1);
                    position = i + 1;
                    return line;
                }
            }
            scanned = limit - position;
            if (scanned >= MAX_LINE_BYTES) {
                throw new Malformed("a line of the answer over " + MAX_LINE_BYTES + " bytes");
            }
            if (fill() < 0) {
                if (limit > position) {
                    throw new EOFException(
                            "the answer was cut short: the connection closed in a line");
                }
                return null;
            }
            scanned += position;
        }
    }

    /** Reads what has arrived into the buffer (after what is unread); -1 when the server closed. */
    private int fill() throws IOException {
        if (position == limit) {
            position = limit = 0;
        } else if (limit == buffer.length) {
            int unread = limit - position;
            byte[] to = position == 0 ? new byte[buffer.length * 2] : buffer;
            System.arraycopy(buffer, position, to, 0, unread);
            buffer = to;
            position = 0;
            limit = unread;
        }
        setReadTimeout();
        int n;
        try {
            n = in.read(buffer, limit, buffer.length - limit);
        } catch (SocketTimeoutException e) {
            throw timedOut("the answer did not come");
        }
        if (n > 0) {
            limit += n;
            answerStarted = true;
        }
        return n;
    }

    private void setReadTimeout() throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw timedOut("the answer did not come");
        }
        // At least 1 ms: 0 would mean no timeout at all.
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, left / 1_000_000)));
    }

    private SocketTimeoutException timedOut(String what) {
        return new SocketTimeoutException(
                what + " within the read timeout of " + timeoutMillis + " ms");
    }

    private static int status(String statusLine) throws Malformed {
        // "HTTP/1.1 200 OK": the code is the three digits after the version.
        if (statusLine.length() >= 12
                && statusLine.startsWith("HTTP/1.")
                && statusLine.charAt(8) == ' ') {
            try {
                int status = Integer.parseInt(statusLine.substring(9, 12));
                if (status >= 100) {
                    return status;
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new Malformed("not an HTTP/1.1 answer: " + excerpt(statusLine));
    }

    private static int contentLength(String value) throws Malformed {
        try {
            long length = Long.parseLong(value.trim());
            if (length >= 0 && length <= Integer.MAX_VALUE - 8) {
                return (int) length;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new Malformed("a Content-Length of " + excerpt(value));
    }

    /** The request's head: request line, its headers, Content-Length, in ISO-8859-1. */
    static byte[] head(AwsHttpRequest request) {
        URI uri = request.uri();
        String path =
                uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder head = new StringBuilder(1024);
        head.append(request.method()).append(' ').append(path);
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\n");
        if (!request.headers().containsKey("Host")) {
            head.append("Host: ").append(AwsHttp.hostHeader(uri)).append("\r\n");
        }
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            appendField(head, header.getKey());
            head.append(": ");
            appendField(head, header.getValue());
            head.append("\r\n");
        }
        head.append("Content-Length: ").append(request.body().length).append("\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A header's name or value. A CR or LF in one would end the header early and start another
     * (header injection), and a character over U+00FF has no byte in ISO-8859-1: both refused.
     */
    private static void appendField(StringBuilder head, String field) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xFF) {
                throw new IllegalArgumentException(
                        "a header of the request has a character HTTP/1.1 cannot carry");
            }
        }
        head.append(field);
    }

    private static String target(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT)
                + "://"
                + uri.getHost().toLowerCase(Locale.ROOT)
                + ":"
                + port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1
                ? uri.getPort()
                : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1)
                : host;
    }

    private static boolean isAddress(String host) {
        // An IP literal gets no SNI (RFC 6066 allows only DNS names there).
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    private static boolean hasToken(String value, String token) {
        if (value == null) {
            return false;
        }
        for (String part : value.split(",")) {
            if (part.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private static String excerpt(String text) {
        return '"' + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + '"';
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    /**
     * The connection closed or broke before the first byte of an answer (cause: how, or none for a
     * clean close): the endpoint did not answer this request.
     */
    static final class NoAnswer extends IOException {
        NoAnswer(IOException cause) {
            super(
                    "the connection closed before the first byte of an answer"
                            + (cause == null ? "" : ": " + cause),
                    cause);
        }
    }

    /** An answer that is not HTTP/1.1 as we read it. */
    private static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }
}
