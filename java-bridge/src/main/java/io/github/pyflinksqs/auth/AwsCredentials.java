package io.github.pyflinksqs.auth;

import java.util.Objects;

/** An access key, its secret and an optional session token. {@link #toString()} hides secrets. */
public final class AwsCredentials {
    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;

    public AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
        this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        this.sessionToken = sessionToken == null || sessionToken.isEmpty() ? null : sessionToken;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String secretAccessKey() {
        return secretAccessKey;
    }

    /** Null for long-term credentials. */
    public String sessionToken() {
        return sessionToken;
    }

    @Override
    public String toString() {
        return "AwsCredentials{accessKeyId="
                + accessKeyId
                + ", secretAccessKey=****"
                + (sessionToken == null ? "" : ", sessionToken=****")
                + "}";
    }
}
