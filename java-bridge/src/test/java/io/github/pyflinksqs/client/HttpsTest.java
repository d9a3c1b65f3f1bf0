package io.github.pyflinksqs.client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS of our HTTP client against an endpoint with a self-signed certificate for "localhost" (made
 * by the JDK's keytool for this run): not trusted unless aws.trust.all.certificates; trusted, it
 * must also be the host's (a certificate for localhost does not do for 127.0.0.1).
 */
class HttpsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static KeyStore keyStore;
    private static ScriptedHttpServer server;

    @BeforeAll
    static void startServer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.p12");
        Process keytool =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                "server",
                                "-keyalg",
                                "EC",
                                "-groupname",
                                "secp256r1",
                                "-dname",
                                "CN=localhost",
                                "-ext",
                                "SAN=dns:localhost",
                                "-validity",
                                "2",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                file.toString(),
                                "-storepass",
                                new String(PASSWORD))
                        .redirectErrorStream(true)
                        .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);
        keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
        keys.init(keyStore, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server =
                new ScriptedHttpServer(
                        context.getServerSocketFactory()
                                .createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                        (request, out) -> {
                            out.write(
                                    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
                                            .getBytes(StandardCharsets.ISO_8859_1));
                            return true;
                        });
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aSelfSignedCertificateIsNotTrustedByDefault() {
        try (AwsHttp http = new AwsHttp("test-https", Duration.ofSeconds(5), false)) {
            ExecutionException failed =
                    assertThrows(ExecutionException.class, () -> call(http, "localhost"));
            // SqsSinkWriter.failureKind names this tls_not_trusted (CallFailureCasesTest).
            assertTrue(
                    failed.getCause() instanceof SSLHandshakeException,
                    failed.getCause().toString());
        }
    }

    @Test
    void trustAllCertificatesAcceptsItForAnyHostName() throws Exception {
        try (AwsHttp http = new AwsHttp("test-https", Duration.ofSeconds(5), true)) {
            assertEquals(200, call(http, "localhost").statusCode());
            assertEquals(200, call(http, "127.0.0.1").statusCode());
        }
    }

    @Test
    void aTrustedCertificateMustNameTheHost() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(keyStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        try (HttpConnection connection =
                HttpConnection.open(
                        uri("localhost"),
                        Duration.ofSeconds(5),
                        context.getSocketFactory(),
                        true)) {
            assertEquals(200, connection.exchange(request("localhost")).statusCode());
        }
        SSLHandshakeException mismatch =
                assertThrows(
                        SSLHandshakeException.class,
                        () ->
                                HttpConnection.open(
                                        uri("127.0.0.1"),
                                        Duration.ofSeconds(5),
                                        context.getSocketFactory(),
                                        true));
        assertTrue(mismatch.getMessage().contains("127.0.0.1"), mismatch.toString());
    }

    private static URI uri(String host) {
        return URI.create("https://" + host + ":" + server.port() + "/");
    }

    private static AwsHttpRequest request(String host) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", host + ":" + server.port());
        return new AwsHttpRequest(
                "POST",
                uri(host),
                headers,
                "{}".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(5));
    }

    private static AwsHttpResponse call(AwsHttp http, String host) throws Exception {
        return http.exchange(() -> request(host), r -> r).get(10, TimeUnit.SECONDS);
    }
}
