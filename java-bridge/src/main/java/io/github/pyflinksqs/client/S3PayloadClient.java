package io.github.pyflinksqs.client;

import io.github.pyflinksqs.auth.AwsCredentialsProvider;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * S3 PutObject over our HTTP/1.1 client (AwsHttp), signed by our SigV4 signer with the sink's
 * credentials, for large-payload offload: one PUT per offloaded body, nothing else of S3.
 * Addressing as botocore's "auto": virtual-hosted (bucket.s3.region.amazonaws.com) on AWS,
 * path-style for a bucket with dots (its name would not match the TLS certificate) and for an
 * endpoint given (LocalStack, MinIO, a VPC endpoint URL).
 */
public final class S3PayloadClient implements AutoCloseable {
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
    // A call's timeout runs from the request's first byte to the answer's last, so it includes
    // the upload: the read timeout is for the answer, and the body gets 1 s per MiB on top (a floor
    // of 1 MiB/s, or a 2 GiB body would need 35 MB/s within the default 60 s, and every slower
    // PUT would time out and be put again without end).
    static final long UPLOAD_BYTES_PER_SECOND = 1024 * 1024;

    private final URI endpoint;
    private final boolean pathStyle;
    private final AwsCredentialsProvider credentialsProvider;
    private final SigV4Signer signer;
    private final Duration readTimeout;
    private final AwsHttp http;
    private final Clock clock;

    /**
     * @param endpoint AWS's regional S3 endpoint, or the one given
     * @param given whether the endpoint was given (then objects are addressed path-style)
     */
    public S3PayloadClient(
            URI endpoint,
            boolean given,
            String region,
            AwsCredentialsProvider credentialsProvider,
            Duration connectTimeout,
            Duration readTimeout,
            boolean trustAllCertificates) {
        this(
                endpoint,
                given,
                region,
                credentialsProvider,
                connectTimeout,
                readTimeout,
                trustAllCertificates,
                Clock.systemUTC());
    }

    S3PayloadClient(
            URI endpoint,
            boolean given,
            String region,
            AwsCredentialsProvider credentialsProvider,
            Duration connectTimeout,
            Duration readTimeout,
            boolean trustAllCertificates,
            Clock clock) {
        this.clock = clock;
        this.endpoint = endpoint;
        this.pathStyle = given;
        this.credentialsProvider = credentialsProvider;
        this.signer = new SigV4Signer(region, "s3");
        this.readTimeout = readTimeout;
        this.http = new AwsHttp("pyflink-sqs-s3", connectTimeout, trustAllCertificates);
    }

    /** The object's URL; keys are made of URL-safe characters (LargePayloadOffload's rules). */
    URI objectUri(String bucket, String key) {
        String base = endpoint.toString().replaceAll("/+$", "");
        if (pathStyle || bucket.contains(".")) {
            return URI.create(base + "/" + bucket + "/" + key);
        }
        return URI.create(
                endpoint.getScheme() + "://" + bucket + "." + endpoint.getAuthority() + "/" + key);
    }

    /**
     * Puts the object. The future completes when S3 answered 200; exceptionally with {@link
     * S3ServiceException} for an error answer, or with the I/O error when there was no answer.
     */
    public CompletableFuture<Void> putObject(String bucket, String key, byte[] body) {
        return http.exchange(
                () -> signedRequest(objectUri(bucket, key), body),
                response -> {
                    if (response.statusCode() != 200) {
                        throw toError(response);
                    }
                    return null;
                });
    }

    AwsHttpRequest signedRequest(URI uri, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", AwsHttp.hostHeader(uri));
        String payloadHash = SigV4Signer.hex(SigV4Signer.sha256(body));
        headers.put("x-amz-content-sha256", payloadHash);
        headers.put("Content-Type", "application/octet-stream");
        // S3 paths are signed as sent: no dot-segment removal, no second encoding.
        signer.signWithPayloadHash(
                "PUT",
                uri.getRawPath(),
                "",
                headers,
                payloadHash,
                credentialsProvider.resolveCredentials(),
                clock.instant());
        return new AwsHttpRequest("PUT", uri, headers, body, timeoutFor(body.length));
    }

    Duration timeoutFor(long bodyBytes) {
        return readTimeout.plusSeconds(
                (bodyBytes + UPLOAD_BYTES_PER_SECOND - 1) / UPLOAD_BYTES_PER_SECOND);
    }

    private static S3ServiceException toError(AwsHttpResponse response) {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        return new S3ServiceException(
                response.statusCode(),
                first(CODE, text),
                first(MESSAGE, text),
                response.header("x-amz-request-id"));
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : "";
    }

    @Override
    public void close() {
        http.close();
        credentialsProvider.close();
    }
}
