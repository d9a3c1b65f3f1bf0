package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.client.MessageMd5;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An SQS endpoint on 127.0.0.1 for the writer's tests: it records each SendMessageBatch call's
 * entries and answers a call only when the test releases it, delivering every entry except the ones
 * a rule fails with a transient code. Real HTTP, so the writer's own client is used.
 */
final class FakeSqs implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A call waiting for the test to let its answer go. */
    final class Call {
        final List<JsonNode> entries = new ArrayList<>();
        private final HttpExchange exchange;

        Call(HttpExchange exchange, JsonNode request) {
            this.exchange = exchange;
            request.path("Entries").forEach(entries::add);
        }

        List<String> bodies() {
            List<String> bodies = new ArrayList<>();
            entries.forEach(e -> bodies.add(e.path("MessageBody").asText()));
            return bodies;
        }

        /** Answers: entries whose body `fails` accepts are reported failed (transient). */
        void answer(Predicate<String> fails) throws IOException {
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode successful = answer.putArray("Successful");
            ArrayNode failed = answer.putArray("Failed");
            for (JsonNode entry : entries) {
                String body = entry.path("MessageBody").asText();
                if (fails.test(body)) {
                    failed.addObject()
                            .put("Id", entry.path("Id").asText())
                            .put("Code", "ServiceUnavailable")
                            .put("SenderFault", false)
                            .put("Message", "failed by the test");
                } else {
                    successful
                            .addObject()
                            .put("Id", entry.path("Id").asText())
                            .put("MessageId", "m")
                            .put("MD5OfMessageBody", MessageMd5.ofBody(body));
                }
            }
            byte[] bytes = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
            unanswered.decrementAndGet();
        }

        void deliver() throws IOException {
            answer(body -> false);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Call> waiting = new LinkedBlockingQueue<>();
    final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicInteger mostUnanswered = new AtomicInteger();

    FakeSqs() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext(
                "/",
                exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    Call call =
                            new Call(
                                    exchange,
                                    JSON.readTree(new String(body, StandardCharsets.UTF_8)));
                    mostUnanswered.accumulateAndGet(unanswered.incrementAndGet(), Math::max);
                    calls.add(call);
                    waiting.add(call);
                });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A sink's client properties for this endpoint, with static test credentials. */
    Properties clientProperties() {
        Properties properties = new Properties();
        properties.setProperty("aws.region", "us-east-1");
        properties.setProperty("aws.endpoint", endpoint());
        properties.setProperty("aws.credentials.provider.basic.accesskeyid", "AKID");
        properties.setProperty("aws.credentials.provider.basic.secretkey", "secret");
        return properties;
    }

    /** Delivers every entry of each next call, adding its bodies, until there are `count`. */
    void deliverUntil(List<String> bodies, int count) throws IOException, InterruptedException {
        while (bodies.size() < count) {
            Call call = next();
            bodies.addAll(call.bodies());
            call.deliver();
        }
    }

    /** The next call the writer made, once it arrives. */
    Call next() throws InterruptedException {
        Call call = waiting.poll(30, TimeUnit.SECONDS);
        if (call == null) {
            throw new AssertionError("no SendMessageBatch call within 30 s");
        }
        return call;
    }

    /** The most calls that waited for their answer at one time. */
    int mostUnanswered() {
        return mostUnanswered.get();
    }

    /** The calls made so far that the test has not taken with next(). */
    int pending() {
        return waiting.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
