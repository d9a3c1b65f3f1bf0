package io.github.pyflinksqs.client;

import java.util.Locale;
import java.util.Map;

/**
 * An answer: its status, its headers by lower-case name (the first of a repeated one), its body.
 */
final class AwsHttpResponse {
    private final int statusCode;
    private final Map<String, String> headers;
    private final byte[] body;

    AwsHttpResponse(int statusCode, Map<String, String> headers, byte[] body) {
        this.statusCode = statusCode;
        this.headers = headers;
        this.body = body;
    }

    int statusCode() {
        return statusCode;
    }

    /** The header's value, or null when the answer has none; names are case-insensitive. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    byte[] body() {
        return body;
    }
}
