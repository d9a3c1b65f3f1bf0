package io.github.pyflinksqs.config;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Large-payload offload in the Amazon SQS Extended Client's format: where bodies go (bucket, key
 * prefix, endpoint), which messages go (over the threshold), and what an offloaded message carries
 * (the pointer body and the size attribute). The format and the bounds are not written here: the
 * jar build generates large-payload.properties from pyflink_sqs/large_payload.py, so both backends
 * write the same messages and refuse the same arguments.
 */
public final class LargePayloadOffload implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String RESOURCE = "/io/github/pyflinksqs/large-payload.properties";
    private static final GeneratedResource FORMAT = GeneratedResource.load(RESOURCE);

    public static final String POINTER_CLASS = FORMAT.text("pointer-class");
    public static final String SIZE_ATTRIBUTE = FORMAT.text("size-attribute");
    public static final String LEGACY_SIZE_ATTRIBUTE = FORMAT.text("legacy-size-attribute");
    public static final String SIZE_ATTRIBUTE_TYPE = FORMAT.text("size-attribute-type");
    public static final int MAX_USER_ATTRIBUTES = number("max-user-attributes");
    public static final int DEFAULT_THRESHOLD_BYTES = number("default-threshold");
    public static final int MAX_THRESHOLD_BYTES = number("max-threshold");
    public static final long MAX_RECORD_BYTES = number("max-record-bytes");
    static final int MAX_KEY_PREFIX_CHARS = number("max-key-prefix-chars");
    private static final Pattern KEY_PREFIX = Pattern.compile(FORMAT.text("key-prefix-pattern"));
    private static final Pattern BUCKET = Pattern.compile(FORMAT.text("bucket-pattern"));
    // Hosts of AWS's own endpoints: such an aws.endpoint (an SQS VPC or FIPS endpoint) answers
    // SQS only.
    private static final String[] AWS_HOST_SUFFIXES = FORMAT.text("aws-host-suffixes").split(",");

    private final String bucket;
    private final int thresholdBytes;
    private final String keyPrefix;
    private final boolean legacySizeAttribute;
    private final String s3Endpoint; // null: see s3EndpointFor

    /** Throws IllegalArgumentException naming the argument, the value and what is allowed. */
    public LargePayloadOffload(
            String bucket,
            int thresholdBytes,
            String keyPrefix,
            boolean legacySizeAttribute,
            String s3Endpoint) {
        if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException(
                    "set_large_payload_offload: s3_bucket must be an S3 bucket name (3..63 "
                            + "lowercase letters, digits, '.' and '-', beginning and ending with "
                            + "a letter or digit), got "
                            + PythonRepr.of(bucket));
        }
        if (thresholdBytes < 0 || thresholdBytes > MAX_THRESHOLD_BYTES) {
            throw new IllegalArgumentException(
                    "set_large_payload_offload: threshold_bytes must be an integer in 0.."
                            + MAX_THRESHOLD_BYTES
                            + " (a message at most this large stays in SQS), got "
                            + thresholdBytes);
        }
        String prefix = keyPrefix == null ? "" : keyPrefix;
        if (prefix.length() > MAX_KEY_PREFIX_CHARS
                || !KEY_PREFIX.matcher(prefix).matches()
                || prefix.startsWith(".")
                || prefix.startsWith("/")
                || prefix.contains("..")) {
            throw new IllegalArgumentException(
                    "set_large_payload_offload: key_prefix must be at most "
                            + MAX_KEY_PREFIX_CHARS
                            + " characters of a-z, A-Z, 0-9, '.', '/', '_' and '-', not beginning "
                            + "with '.' or '/' and without '..' (the Extended Client's rules), got "
                            + PythonRepr.of(prefix));
        }
        String endpoint = s3Endpoint == null || s3Endpoint.trim().isEmpty() ? null : s3Endpoint;
        if (endpoint != null
                && !endpoint.startsWith("https://")
                && !endpoint.startsWith("http://")) {
            throw new IllegalArgumentException(
                    "set_large_payload_offload: s3_endpoint must be an http(s):// URL or None, got "
                            + PythonRepr.of(endpoint));
        }
        this.bucket = bucket;
        this.thresholdBytes = thresholdBytes;
        this.keyPrefix = prefix;
        this.legacySizeAttribute = legacySizeAttribute;
        this.s3Endpoint = endpoint;
    }

    public String bucket() {
        return bucket;
    }

    public int thresholdBytes() {
        return thresholdBytes;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    /** Null when not given. */
    public String s3Endpoint() {
        return s3Endpoint;
    }

    /**
     * Where S3 is reached: s3_endpoint when given; else aws.endpoint (sqsEndpoint, may be null or
     * blank) when it is not one of AWS's (an emulator such as LocalStack serves SQS and S3 at one
     * address); else null, AWS's regional S3 endpoint. As large_payload.s3_endpoint_of.
     */
    public String s3EndpointFor(String sqsEndpoint) {
        if (s3Endpoint != null) {
            return s3Endpoint;
        }
        String endpoint = sqsEndpoint == null ? "" : sqsEndpoint.trim();
        if (endpoint.isEmpty()) {
            return null;
        }
        String host;
        try {
            host = new URI(endpoint).getHost();
        } catch (URISyntaxException e) {
            host = null;
        }
        host = host == null ? "" : host.toLowerCase(Locale.ROOT);
        for (String suffix : AWS_HOST_SUFFIXES) {
            if (host.endsWith(suffix)) {
                return null;
            }
        }
        return endpoint;
    }

    public String sizeAttribute() {
        return legacySizeAttribute ? LEGACY_SIZE_ATTRIBUTE : SIZE_ATTRIBUTE;
    }

    /** Body bytes plus attribute names, types and values (as SQS counts): over, not at, goes. */
    public boolean isLarge(long messageSizeInBytes) {
        return messageSizeInBytes > thresholdBytes;
    }

    public String newKey() {
        return keyPrefix + UUID.randomUUID();
    }

    /** Byte for byte what the Java library's PayloadS3Pointer.toJson() writes (no spaces). */
    public String pointer(String key) {
        return "[\""
                + POINTER_CLASS
                + "\",{\"s3BucketName\":\""
                + bucket
                + "\",\"s3Key\":\""
                + key
                + "\"}]";
    }

    /**
     * What an offloaded message weighs in SQS: the pointer, the message's attributes and the size
     * attribute (bucket and key are ASCII, so characters are bytes).
     */
    public long offloadedSize(String key, long attributesBytes, long bodyBytes) {
        return pointer(key).length()
                + attributesBytes
                + sizeAttribute().length()
                + SIZE_ATTRIBUTE_TYPE.length()
                + Long.toString(bodyBytes).length();
    }

    /**
     * set_large_payload_offload's argument names -> their SQL keys (sink.large-payload.*), in the
     * table's order: s3_bucket, threshold_bytes, key_prefix, legacy_size_attribute, s3_endpoint.
     */
    public static Map<String, String> sqlKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String argument :
                new String[] {
                    "s3_bucket",
                    "threshold_bytes",
                    "key_prefix",
                    "legacy_size_attribute",
                    "s3_endpoint"
                }) {
            keys.put(argument, FORMAT.text("sql-key." + argument));
        }
        return keys;
    }

    /** Names that mark an offloaded message: a message must not set them while offload is on. */
    public static boolean isReserved(String attributeName) {
        return SIZE_ATTRIBUTE.equals(attributeName) || LEGACY_SIZE_ATTRIBUTE.equals(attributeName);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + keyPrefix + "* over " + thresholdBytes + " bytes";
    }

    private static int number(String key) {
        return FORMAT.integer(key);
    }
}
