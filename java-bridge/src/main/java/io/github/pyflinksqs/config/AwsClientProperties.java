package io.github.pyflinksqs.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The client property keys the bridge reads (the strings of the Java connector's
 * AWSConfigConstants, mirrored by pyflink_sqs/aws_config.py) and their parsing.
 */
public final class AwsClientProperties {
    public static final String REGION = "aws.region";
    public static final String ENDPOINT = "aws.endpoint";
    public static final String TRUST_ALL_CERTIFICATES = "aws.trust.all.certificates";
    public static final String CREDENTIALS_PROVIDER = "aws.credentials.provider";
    public static final String HTTP_CLIENT_MAX_CONCURRENCY = "aws.http-client.max-concurrency";
    public static final String HTTP_CLIENT_READ_TIMEOUT_MILLIS = "aws.http-client.read-timeout";

    // A request that has not answered in this time is abandoned and its entries retried. The
    // Java connector's default is 6 minutes (AWS SDK), far longer than a healthy SQS call.
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private AwsClientProperties() {}

    public static String region(Properties properties) {
        String region = properties.getProperty(REGION);
        if (region == null || region.trim().isEmpty()) {
            throw new IllegalArgumentException(
                    "no region: set " + REGION + " in the SQS client properties");
        }
        if (!region.trim().matches(QueueUrls.REGION)) {
            // As early as the Python builder says it: a wrong region otherwise fails at the first
            // call (a host that does not resolve, or a signature SQS refuses).
            throw new IllegalArgumentException(
                    REGION + " '" + region + "' is not a region name such as 'us-east-1'");
        }
        return region.trim();
    }

    /** aws.endpoint when set, else the region's public SQS endpoint. */
    public static URI endpoint(Properties properties, String region) {
        String endpoint = properties.getProperty(ENDPOINT);
        if (endpoint != null && !endpoint.trim().isEmpty()) {
            String trimmed = endpoint.trim();
            URI uri;
            try {
                uri = URI.create(trimmed);
            } catch (IllegalArgumentException notAUri) {
                uri = null; // a blank inside, no authority: reported below, naming the key
            }
            String scheme = uri == null ? null : uri.getScheme();
            if (uri == null
                    || uri.getHost() == null
                    || uri.getPort() > 65535
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new IllegalArgumentException(
                        ENDPOINT + " '" + endpoint + "' must be an http(s) URL with a host");
            }
            // Schemes are case-insensitive (RFC 3986); the clients compare the lower-case name.
            return URI.create(scheme.toLowerCase(Locale.ROOT) + trimmed.substring(scheme.length()));
        }
        return regionalEndpoint("sqs", region);
    }

    /** The public HTTPS endpoint of an AWS service in a region (China regions included). */
    public static URI regionalEndpoint(String service, String region) {
        String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return URI.create("https://" + service + "." + region + "." + suffix);
    }

    /** A copy for logs: values of secret keys (…secretkey, …token) replaced by ****. */
    public static Map<String, String> masked(Properties properties) {
        Map<String, String> shown = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            String lower = key.toLowerCase(Locale.ROOT);
            boolean secret = lower.endsWith(".secretkey") || lower.endsWith("token");
            shown.put(key, secret ? "****" : properties.getProperty(key));
        }
        return shown;
    }

    public static Duration readTimeout(Properties properties) {
        String value = properties.getProperty(HTTP_CLIENT_READ_TIMEOUT_MILLIS);
        if (value == null || value.trim().isEmpty()) {
            return DEFAULT_READ_TIMEOUT;
        }
        return Duration.ofMillis(
                positiveLong(HTTP_CLIENT_READ_TIMEOUT_MILLIS, value, "number of milliseconds"));
    }

    /** aws.trust.all.certificates: false unless set to true; anything else is an error. */
    public static boolean trustAllCertificates(Properties properties) {
        String value = properties.getProperty(TRUST_ALL_CERTIFICATES);
        if (value == null || value.trim().isEmpty() || value.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.trim().equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException(
                TRUST_ALL_CERTIFICATES + " must be true or false, got '" + value + "'");
    }

    public static Duration connectTimeout() {
        return CONNECT_TIMEOUT;
    }

    /** A positive whole number, or an error naming the key and what it counts ("integer"). */
    public static long positiveLong(String key, String value, String what) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the key's name
        }
        throw new IllegalArgumentException(
                key + " must be a positive " + what + ", got '" + value + "'");
    }
}
