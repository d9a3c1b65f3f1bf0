package io.github.pyflinksqs.auth;

import io.github.pyflinksqs.client.SigV4Signer;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two STS calls the role providers need, with the JDK alone: query protocol (a form
 * POST), XML answer. AssumeRole is signed by a base provider; AssumeRoleWithWebIdentity is not.
 */
final class StsClient {
    private static final String VERSION = "2011-06-15";
    private final URI endpoint;
    private final String region;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();

    StsClient(URI endpoint, String region) {
        this.endpoint = endpoint;
        this.region = region;
    }

    /** Temporary credentials with their expiration, as STS answered. */
    static final class Session {
        final AwsCredentials credentials;
        final Instant expiration;

        Session(AwsCredentials credentials, Instant expiration) {
            this.credentials = credentials;
            this.expiration = expiration;
        }
    }

    Session call(String action, Map<String, String> parameters, AwsCredentials signer) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", action);
        form.put("Version", VERSION);
        form.putAll(parameters);
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> parameter : form.entrySet()) {
            body.append(body.length() == 0 ? "" : "&").append(encode(parameter.getKey()))
                    .append('=').append(encode(parameter.getValue()));
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        headers.put("Host", hostHeader());
        if (signer != null) {
            new SigV4Signer(region, "sts").sign(
                    "POST", SigV4Signer.canonicalPath(endpoint.getRawPath()), "", headers, bytes,
                    signer, Instant.now());
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        headers.forEach((name, value) -> {
            if (!name.equals("Host")) {
                request.header(name, value);
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new MissingCredentialsException(
                    "STS " + action + " at " + endpoint + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MissingCredentialsException("interrupted while calling STS " + action);
        }
        Document answer = parse(response.body(), action);
        if (response.statusCode() != 200) {
            // Code and message only: STS error answers hold no secrets, but we keep it short.
            throw new MissingCredentialsException(
                    "STS " + action + " at " + endpoint + " answered HTTP "
                            + response.statusCode() + " " + text(answer, "Code") + ": "
                            + text(answer, "Message"));
        }
        return new Session(
                new AwsCredentials(
                        text(answer, "AccessKeyId"), text(answer, "SecretAccessKey"),
                        text(answer, "SessionToken")),
                Instant.parse(text(answer, "Expiration")));
    }

    private String hostHeader() {
        int port = endpoint.getPort();
        return port == -1 ? endpoint.getHost() : endpoint.getHost() + ":" + port;
    }

    private static Document parse(byte[] body, String action) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setNamespaceAware(false);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            throw new MissingCredentialsException(
                    "STS " + action + " answered something that is not XML (" + body.length
                            + " bytes)");
        }
    }

    private static String text(Document document, String tag) {
        NodeList nodes = document.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : ((Element) nodes.item(0)).getTextContent().trim();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
