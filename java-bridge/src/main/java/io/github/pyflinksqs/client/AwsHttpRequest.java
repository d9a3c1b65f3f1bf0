package io.github.pyflinksqs.client;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;

/**
 * A request as our AWS clients make it: method, URI, the headers as signed (Host among them), the
 * body and the time the whole call may take (AwsHttp writes Content-Length itself).
 */
final class AwsHttpRequest {
    private final String method;
    private final URI uri;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Duration timeout;

    AwsHttpRequest(
            String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
        this.method = method;
        this.uri = uri;
        this.headers = Collections.unmodifiableMap(headers);
        this.body = body;
        this.timeout = timeout;
    }

    String method() {
        return method;
    }

    URI uri() {
        return uri;
    }

    /** The headers in the order they were signed, by the names they were signed with. */
    Map<String, String> headers() {
        return headers;
    }

    byte[] body() {
        return body;
    }

    /** The read timeout: from the first byte of the request written to the last of the answer. */
    Duration timeout() {
        return timeout;
    }
}
