package io.github.pyflinksqs.client;

import io.github.pyflinksqs.auth.AwsCredentials;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * AWS Signature Version 4 for a request with a body, as botocore's SigV4Auth does it: canonical
 * request, string to sign, signing key, signature, Authorization header; each step a function of
 * its own so it can be checked against botocore and the published test suite.
 *
 * <p>Thread-safe. The signing key depends only on secret, date, region and service, so the key of
 * the current day is cached rather than derived with four HMACs per request.
 */
public final class SigV4Signer {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String region;
    private final String service;
    private volatile CachedKey cachedKey;

    public SigV4Signer(String region, String service) {
        this.region = region;
        this.service = service;
    }

    /**
     * Adds X-Amz-Date, X-Amz-Security-Token (for temporary credentials) and Authorization to {@code
     * headers}. {@code headers} must already hold every other header to be signed, including host;
     * its keys are matched case-insensitively.
     */
    public void sign(
            String method,
            String canonicalPath,
            String canonicalQuery,
            Map<String, String> headers,
            byte[] body,
            AwsCredentials credentials,
            Instant now) {
        signWithPayloadHash(
                method,
                canonicalPath,
                canonicalQuery,
                headers,
                hex(sha256(body)),
                credentials,
                now);
    }

    /**
     * As {@link #sign}, for a body whose SHA-256 (lower-case hex) the caller has already: S3 signs
     * it in the x-amz-content-sha256 header too, and hashing a large body once is enough.
     */
    public void signWithPayloadHash(
            String method,
            String canonicalPath,
            String canonicalQuery,
            Map<String, String> headers,
            String payloadHash,
            AwsCredentials credentials,
            Instant now) {
        String amzDate = AMZ_DATE.format(now);
        String date = amzDate.substring(0, 8);
        headers.put("X-Amz-Date", amzDate);
        if (credentials.sessionToken() != null) {
            headers.put("X-Amz-Security-Token", credentials.sessionToken());
        }
        TreeMap<String, String> canonicalHeaders = canonicalHeaders(headers);
        String signedHeaders = String.join(";", canonicalHeaders.keySet());
        String canonicalRequest =
                canonicalRequest(
                        method,
                        canonicalPath,
                        canonicalQuery,
                        canonicalHeaders,
                        signedHeaders,
                        payloadHash);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = stringToSign(amzDate, scope, canonicalRequest);
        String signature = hex(hmac(signingKey(credentials.secretAccessKey(), date), stringToSign));
        headers.put(
                "Authorization",
                ALGORITHM
                        + " Credential="
                        + credentials.accessKeyId()
                        + "/"
                        + scope
                        + ", SignedHeaders="
                        + signedHeaders
                        + ", Signature="
                        + signature);
    }

    /** Lower-cased names, sorted; values trimmed with inner runs of spaces folded to one. */
    static TreeMap<String, String> canonicalHeaders(Map<String, String> headers) {
        TreeMap<String, String> canonical = new TreeMap<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            String value = header.getValue().trim().replaceAll(" +", " ");
            canonical.merge(name, value, (a, b) -> a + "," + b);
        }
        return canonical;
    }

    static String canonicalRequest(
            String method,
            String canonicalPath,
            String canonicalQuery,
            TreeMap<String, String> canonicalHeaders,
            String signedHeaders,
            String payloadHash) {
        StringBuilder request = new StringBuilder(256);
        request.append(method)
                .append('\n')
                .append(canonicalPath)
                .append('\n')
                .append(canonicalQuery)
                .append('\n');
        for (Map.Entry<String, String> header : canonicalHeaders.entrySet()) {
            request.append(header.getKey()).append(':').append(header.getValue()).append('\n');
        }
        return request.append('\n')
                .append(signedHeaders)
                .append('\n')
                .append(payloadHash)
                .toString();
    }

    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM
                + "\n"
                + amzDate
                + "\n"
                + scope
                + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    }

    byte[] signingKey(String secretAccessKey, String date) {
        CachedKey cached = cachedKey;
        if (cached != null && cached.matches(secretAccessKey, date)) {
            return cached.key;
        }
        byte[] key = deriveSigningKey(secretAccessKey, date, region, service);
        cachedKey = new CachedKey(secretAccessKey, date, key);
        return key;
    }

    static byte[] deriveSigningKey(String secret, String date, String region, String service) {
        byte[] kDate = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        byte[] kRegion = hmac(kDate, region);
        byte[] kService = hmac(kRegion, service);
        return hmac(kService, "aws4_request");
    }

    /**
     * RFC 3986 encoding of each path segment, '/' kept; "/" for an empty path. Dot segments and
     * empty segments are removed first, as botocore and AWS services do for every service but S3.
     */
    public static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        return uriEncode(removeDotSegments(rawPath), false);
    }

    static String removeDotSegments(String path) {
        ArrayDeque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        String joined = String.join("/", segments);
        String first = path.startsWith("/") ? "/" : "";
        String last = path.endsWith("/") && !segments.isEmpty() ? "/" : "";
        return first + joined + last;
    }

    /**
     * The canonical query string of a raw (percent-encoded) query: each name and value decoded and
     * encoded again strictly, pairs sorted by name then value. "" for no query.
     */
    public static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            pairs.add(new String[] {uriEncode(decode(name), true), uriEncode(decode(value), true)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder query = new StringBuilder();
        for (String[] pair : pairs) {
            query.append(query.length() == 0 ? "" : "&")
                    .append(pair[0])
                    .append('=')
                    .append(pair[1]);
        }
        return query.toString();
    }

    private static String decode(String component) {
        // '+' is a literal plus in a URL's query as SigV4 reads it, not a space.
        return URLDecoder.decode(component.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Percent-encodes all but unreserved characters (and '/' unless encodeSlash). */
    public static String uriEncode(String value, boolean encodeSlash) {
        StringBuilder encoded = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~'
                    || (c == '/' && !encodeSlash)) {
                encoded.append(c);
            } else {
                encoded.append('%')
                        .append(Character.toUpperCase(HEX[c >> 4]))
                        .append(Character.toUpperCase(HEX[c & 0xf]));
            }
        }
        return encoded.toString();
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    private static final class CachedKey {
        final String secret;
        final String date;
        final byte[] key;

        CachedKey(String secret, String date, byte[] key) {
            this.secret = secret;
            this.date = date;
            this.key = key;
        }

        boolean matches(String otherSecret, String otherDate) {
            return date.equals(otherDate) && secret.equals(otherSecret);
        }
    }
}
