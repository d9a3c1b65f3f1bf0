package io.github.pyflinksqs.auth;

/**
 * Supplies the credentials that sign the next request. Called once per request, so an
 * implementation that refreshes temporary credentials must answer from a cache.
 */
public interface AwsCredentialsProvider extends AutoCloseable {
    AwsCredentials resolveCredentials();

    /** Releases refresh threads and clients; a no-op for static credentials. */
    @Override
    default void close() {}
}
