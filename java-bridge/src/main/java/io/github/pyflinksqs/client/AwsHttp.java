package io.github.pyflinksqs.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import java.io.IOException;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP side our AWS clients share (SqsClient, S3PayloadClient): each call runs on a daemon
 * thread of a cached pool (a thread per call in flight), blocking on a keep-alive HTTP/1.1
 * connection ({@link HttpConnection}) it takes from the idle ones, or opens, and gives back after
 * the answer; the call's future completes on that thread. So there are as many connections as calls
 * were ever in flight together. (Not a connection per thread: the pool hands the next call to a new
 * thread while the last one's is still finishing its task, and that would open a second connection
 * for calls made one after another.) A connection the endpoint closed while idle is replaced once
 * at once.
 *
 * <p>It replaced the JDK's java.net.http.HttpClient, whose asynchronous machinery (selector thread,
 * CompletableFuture chains, header maps) cost far more CPU per call: the client alone, 50 calls of
 * 10 messages in flight, 65 against 6.0 us of CPU per message at 0 ms latency and 73 against 15 at
 * 20 ms (benchmarks/client_cpu.py, 2026-12-07, 2 cores). -Dpyflink.sqs.http=jdk selects the JDK's
 * client ({@link JdkHttp}) for that comparison only.
 */
final class AwsHttp implements AutoCloseable {
    // How often the watchdog looks for a request still being written at its deadline: a write
    // that stalls fails within a second of its timeout (reads time out on the socket, exactly).
    private static final long WATCHDOG_PERIOD_MILLIS = 1000;
    // A connection idle this long is closed by the watchdog, as the pool's threads end after
    // 60 s idle: a burst of calls does not keep its connections open for good.
    static final long IDLE_CLOSE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String threadPrefix;
    private final Duration connectTimeout;
    private final boolean trustAllCertificates;
    private final SSLSocketFactory tls;
    private final ExecutorService executor;
    // LIFO: the connection used last is taken first, the others age out.
    private final ConcurrentLinkedDeque<HttpConnection> idle = new ConcurrentLinkedDeque<>();
    private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
    private final JdkHttp jdk;
    private ScheduledExecutorService watchdog;
    private volatile boolean closed;

    AwsHttp(String threadPrefix, Duration connectTimeout, boolean trustAllCertificates) {
        this.threadPrefix = threadPrefix;
        this.connectTimeout = connectTimeout;
        this.trustAllCertificates = trustAllCertificates;
        this.tls =
                trustAllCertificates
                        ? TrustAllCertificates.sslContext().getSocketFactory()
                        : defaultTls();
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
        this.jdk =
                JdkHttp.SELECTED
                        ? new JdkHttp(executor, connectTimeout, trustAllCertificates)
                        : null;
    }

    /**
     * Sends the request and decodes the answer, on a thread of the pool. The request is made here,
     * and anew for a second attempt (it is signed with the time): a connection the endpoint had
     * closed while it was idle fails before the first byte of an answer, and then the call goes out
     * once more, at once, on a new connection; the endpoint got no request, so that is no retry,
     * costs no backoff and logs nothing. The future fails with what decode throws (unwrapped from
     * CompletionException), or with the I/O error when there was no answer.
     */
    <T> CompletableFuture<T> exchange(
            Supplier<AwsHttpRequest> request, Function<AwsHttpResponse, T> decode) {
        final AwsHttpRequest built;
        try {
            built = request.get();
        } catch (RuntimeException e) {
            // e.g. credentials that cannot be resolved: reported through the future like any
            // other failure of the call, so the caller has one place to classify errors.
            return CompletableFuture.failedFuture(e);
        }
        if (jdk != null) {
            return jdk.exchange(built, request, decode);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> call(built, request, decode, result));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IOException("the HTTP client is closed", e));
        }
        return result;
    }

    private <T> void call(
            AwsHttpRequest first,
            Supplier<AwsHttpRequest> request,
            Function<AwsHttpResponse, T> decode,
            CompletableFuture<T> result) {
        final AwsHttpResponse response;
        try {
            response = send(first, request);
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        try {
            result.complete(decode.apply(response));
        } catch (RuntimeException e) {
            result.completeExceptionally(
                    e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
        }
    }

    private AwsHttpResponse send(AwsHttpRequest first, Supplier<AwsHttpRequest> request)
            throws IOException {
        HttpConnection reused = idleTo(first.uri());
        if (reused != null) {
            try {
                return answered(reused, reused.exchange(first));
            } catch (HttpConnection.NoAnswer idleClosed) {
                drop(reused);
                first = request.get();
            } catch (IOException | RuntimeException e) {
                drop(reused);
                throw e;
            }
        }
        HttpConnection fresh = connect(first.uri());
        try {
            return answered(fresh, fresh.exchange(first));
        } catch (HttpConnection.NoAnswer e) {
            drop(fresh);
            // A new connection closed without answering: the endpoint broke it, whatever the
            // reason (e.g. reset): that reason, or the NoAnswer when it simply closed.
            throw e.getCause() instanceof IOException ? (IOException) e.getCause() : e;
        } catch (IOException | RuntimeException e) {
            drop(fresh);
            throw e;
        }
    }

    private HttpConnection connect(URI uri) throws IOException {
        if (closed) {
            throw new IOException("the HTTP client is closed");
        }
        HttpConnection fresh = HttpConnection.open(uri, connectTimeout, tls, !trustAllCertificates);
        open.add(fresh);
        startWatchdog();
        if (closed) { // close() ran meanwhile and did not see this connection
            drop(fresh);
            throw new IOException("the HTTP client is closed");
        }
        return fresh;
    }

    /** An idle connection to the URI's endpoint, or null; idle ones elsewhere are closed. */
    private HttpConnection idleTo(URI uri) {
        HttpConnection connection;
        while ((connection = idle.pollFirst()) != null) {
            if (connection.isOpen() && connection.serves(uri)) {
                return connection;
            }
            drop(connection);
        }
        return null;
    }

    /**
     * The answer; the connection goes back to the idle ones, or is forgotten when the answer closed
     * it ("Connection: close").
     */
    private AwsHttpResponse answered(HttpConnection used, AwsHttpResponse response) {
        if (used.isOpen() && !closed) {
            used.idleSince(System.nanoTime());
            idle.offerFirst(used);
        } else {
            drop(used);
        }
        return response;
    }

    private void drop(HttpConnection used) {
        used.close();
        open.remove(used);
    }

    private synchronized void startWatchdog() {
        if (watchdog != null || closed) {
            return;
        }
        watchdog =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, threadPrefix + "-watchdog");
                            thread.setDaemon(true);
                            return thread;
                        });
        watchdog.scheduleWithFixedDelay(
                () -> {
                    long now = System.nanoTime();
                    for (HttpConnection c : open) {
                        c.closeIfWritingPast(now);
                    }
                    for (HttpConnection c : idle) {
                        // remove() is true for one taker only: a call may have just taken it.
                        if (now - c.idleSince() > IDLE_CLOSE_NANOS && idle.remove(c)) {
                            drop(c);
                        }
                    }
                },
                WATCHDOG_PERIOD_MILLIS,
                WATCHDOG_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
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

    private static SSLSocketFactory defaultTls() {
        try {
            return SSLContext.getDefault().getSocketFactory();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("TLS is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (watchdog != null) {
                watchdog.shutdownNow();
            }
        }
        executor.shutdownNow();
        // Unblocks calls waiting on their sockets: they fail with the closed socket's error.
        for (HttpConnection c : open) {
            c.close();
        }
        open.clear();
        idle.clear();
    }
}
