package io.github.pyflinksqs.auth;

/** BASIC: credentials given in the client properties. */
public final class StaticCredentialsProvider implements AwsCredentialsProvider {
    private final AwsCredentials credentials;

    public StaticCredentialsProvider(AwsCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        return credentials;
    }

    @Override
    public String toString() {
        return "StaticCredentialsProvider{" + credentials + "}";
    }
}
