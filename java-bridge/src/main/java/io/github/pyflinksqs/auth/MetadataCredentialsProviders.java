package io.github.pyflinksqs.auth;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The last steps of AUTO, as the AWS SDKs take them: the container credentials endpoint (ECS,
 * EKS Pod Identity: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI, with
 * AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]) and the EC2 instance metadata service (IMDSv2;
 * AWS_EC2_METADATA_SERVICE_ENDPOINT overrides its address, AWS_EC2_METADATA_DISABLED=true
 * skips it). Short timeouts, so a machine without them fails AUTO in about a second.
 */
final class MetadataCredentialsProviders {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(TIMEOUT).build();

    private MetadataCredentialsProviders() {}

    /** The container provider when its environment is set, else null. */
    static AwsCredentialsProvider container(Map<String, String> env) {
        String relative = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        String full = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        if (relative == null && full == null) {
            return null;
        }
        URI uri = URI.create(relative != null ? "http://169.254.170.2" + relative : full);
        return new RefreshingCredentialsProvider("ContainerCredentials(" + uri + ")", () -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
            String token = containerToken(env);
            if (token != null) {
                request.header("Authorization", token);
            }
            return session(send(request.build(), "the container credentials endpoint"),
                    "Token");
        });
    }

    /** The instance metadata provider, or null when AWS_EC2_METADATA_DISABLED=true. */
    static AwsCredentialsProvider instance(Map<String, String> env) {
        if ("true".equalsIgnoreCase(env.getOrDefault("AWS_EC2_METADATA_DISABLED", ""))) {
            return null;
        }
        String base = env.getOrDefault("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://169.254.169.254")
                .replaceAll("/+$", "");
        return new RefreshingCredentialsProvider("InstanceProfileCredentials(" + base + ")", () -> {
            String token = send(HttpRequest.newBuilder(URI.create(base + "/latest/api/token"))
                    .timeout(TIMEOUT).header("X-aws-ec2-metadata-token-ttl-seconds", "21600")
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), "instance metadata");
            String path = base + "/latest/meta-data/iam/security-credentials/";
            String role = send(HttpRequest.newBuilder(URI.create(path)).timeout(TIMEOUT)
                    .header("X-aws-ec2-metadata-token", token).GET().build(),
                    "instance metadata").trim().split("\n")[0];
            return session(send(HttpRequest.newBuilder(URI.create(path + role)).timeout(TIMEOUT)
                    .header("X-aws-ec2-metadata-token", token).GET().build(),
                    "instance metadata"), "Token");
        });
    }

    private static String containerToken(Map<String, String> env) {
        String file = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        if (file != null) {
            try {
                return new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8)
                        .trim();
            } catch (IOException e) {
                throw new MissingCredentialsException(
                        "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + file + ": " + e);
            }
        }
        return env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }

    private static String send(HttpRequest request, String what) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new MissingCredentialsException(
                        what + " at " + request.uri() + " answered HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new MissingCredentialsException(what + " at " + request.uri() + " is not "
                    + "reachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MissingCredentialsException("interrupted while asking " + what);
        }
    }

    private static StsClient.Session session(String json, String tokenField) {
        try {
            JsonNode node = MAPPER.readTree(json);
            return new StsClient.Session(
                    new AwsCredentials(node.path("AccessKeyId").asText(),
                            node.path("SecretAccessKey").asText(),
                            node.path(tokenField).asText(null)),
                    Instant.parse(node.path("Expiration").asText()));
        } catch (IOException | RuntimeException e) {
            throw new MissingCredentialsException(
                    "the credentials endpoint answered something that is not credentials");
        }
    }
}
