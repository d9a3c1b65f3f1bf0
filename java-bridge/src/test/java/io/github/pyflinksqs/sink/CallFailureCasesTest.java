package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.Fixtures;
import io.github.pyflinksqs.auth.MissingCredentialsException;
import io.github.pyflinksqs.client.SqsServiceException;
import io.github.pyflinksqs.errors.ErrorAction;
import io.github.pyflinksqs.errors.ErrorRule;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures of a SendMessageBatch call without an answer from SQS: the Java backend names the kind
 * of each of its exceptions and classifies it as tests/fixtures/call_failure_cases.json says, as
 * the Python backend does (tests/unit/test_call_failures.py).
 */
class CallFailureCasesTest {
    private static final JsonNode CASES = Fixtures.shared("call_failure_cases.json").path("cases");

    /**
     * Exceptions the Java backend meets, by the kind it must name: its HTTP client's
     * (client/HttpConnection: java.net sockets) and the JDK client's it replaced (kept as a
     * benchmark switch, client/JdkHttp).
     */
    private static final Map<String, List<Throwable>> EXAMPLES =
            Map.of(
                    "connection_refused",
                    List.of(
                            new ConnectException("Connection refused"),
                            new ConnectException("No route to host: 10.0.0.1:443")
                                    .initCause(new NoRouteToHostException("No route to host"))),
                    "connection_reset",
                    List.of(
                            new IOException("Connection reset"),
                            new EOFException("EOF reached while reading"),
                            new SocketException("Connection reset"),
                            new SocketException("Broken pipe"),
                            new EOFException(
                                    "the answer was cut short: the connection closed after 10"
                                            + " of its 100 body bytes"),
                            new IOException("not an HTTP/1.1 answer: \"SSH-2.0-OpenSSH\""),
                            new IOException(
                                    "SQS answered HTTP 200 with a body that is not a JSON object"),
                            // the peer closed or reset the connection in the TLS handshake
                            new SSLHandshakeException("Remote host terminated the handshake")
                                    .initCause(new EOFException("SSL peer shut down incorrectly")),
                            new SSLHandshakeException("Connection reset")
                                    .initCause(new SocketException("Connection reset"))),
                    "timeout",
                    List.of(
                            new SocketTimeoutException("Connect timed out"),
                            new SocketTimeoutException(
                                    "the answer did not come within the read timeout of 2000 ms"),
                            new SocketTimeoutException(
                                    "the request was not written within the read timeout of 2000"
                                            + " ms"),
                            new HttpTimeoutException("request timed out"),
                            new HttpConnectTimeoutException("HTTP connect timed out")),
                    "tls_not_trusted",
                    List.of(
                            new IOException(new SSLHandshakeException("PKIX path building failed")),
                            new SSLHandshakeException(
                                    "No subject alternative names matching IP address 127.0.0.1"
                                            + " found"),
                            new SSLPeerUnverifiedException("peer not authenticated")),
                    "unknown_host",
                    List.of(
                            new ConnectException().initCause(new UnresolvedAddressException()),
                            new UnknownHostException("sqs.nowhere.invalid")),
                    "credentials_missing",
                    List.of(
                            new MissingCredentialsException(
                                    "BASIC needs aws.credentials.provider.basic.secretkey"),
                            new MissingCredentialsException(
                                    "ASSUME_ROLE could not supply credentials: AccessDenied",
                                    false,
                                    null)),
                    "credentials_unavailable",
                    List.of(
                            new MissingCredentialsException(
                                    "ASSUME_ROLE could not supply credentials: STS did not answer",
                                    true,
                                    new ConnectException("Connection refused"))),
                    "unexpected",
                    List.of(new IllegalStateException("not a failure of a call")));

    @Test
    void everyKindOfTheSharedTableHasExamplesHereAndNoOtherKindDoes() {
        TreeSet<String> kinds = new TreeSet<>();
        CASES.forEach(c -> kinds.add(c.path("kind").asText()));
        assertEquals(kinds, new TreeSet<>(EXAMPLES.keySet()));
    }

    @Test
    void eachExceptionIsNamedByItsKindAndClassifiedAsTheSharedTableSays() {
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : CASES) {
            for (Throwable error : EXAMPLES.get(c.path("kind").asText())) {
                String kind = SqsSinkWriter.failureKind(error);
                ErrorRule rule = SqsSinkWriter.classify(error);
                if (!kind.equals(c.path("kind").asText())
                        || !rule.action().name().equals(c.path("action").asText())
                        || !rule.hint().equals(c.path("hint").asText())) {
                    wrong.add(error + " -> " + kind + " " + rule + ", expected " + c);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void missingCredentialsFailTheJobAndASourceThatDidNotAnswerIsRetried() {
        assertEquals(
                ErrorAction.FATAL,
                SqsSinkWriter.classify(new MissingCredentialsException("no credentials")).action());
        assertEquals(
                ErrorAction.RETRY,
                SqsSinkWriter.classify(
                                new MissingCredentialsException(
                                        "STS 503", true, new IOException("503")))
                        .action());
    }

    @Test
    void sqsOwnAnswerIsClassifiedByItsCodeNotByAKind() {
        ErrorRule rule =
                SqsSinkWriter.classify(
                        new SqsServiceException(403, "AccessDenied", "", "denied", "req-1"));
        assertEquals(ErrorAction.FATAL, rule.action());
        assertTrue(rule.hint().contains("sqs:SendMessage"));
    }
}
