package io.github.pyflinksqs.auth;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.io.IOException;

/**
 * Our signer's view of an AWS SDK credentials provider. The SDK's providers cache their credentials
 * and (as built by {@link CredentialsProviderFactory}) refresh temporary ones on a background
 * thread ahead of expiry, serving the current ones while a refresh fails, so resolving here is a
 * cache read on the task thread.
 */
final class SdkCredentialsProvider implements AwsCredentialsProvider, AutoCloseable {
    private final software.amazon.awssdk.auth.credentials.AwsCredentialsProvider provider;
    private final String description;

    SdkCredentialsProvider(
            software.amazon.awssdk.auth.credentials.AwsCredentialsProvider provider,
            String description) {
        this.provider = provider;
        this.description = description;
    }

    @Override
    public io.github.pyflinksqs.auth.AwsCredentials resolveCredentials() {
        AwsCredentials credentials;
        try {
            credentials = provider.resolveCredentials();
        } catch (SdkException e) {
            throw new MissingCredentialsException(
                    description + " could not supply credentials: " + e.getMessage(),
                    e.retryable() || hasCause(e, IOException.class),
                    e);
        } catch (RuntimeException e) {
            throw new MissingCredentialsException(
                    description + " could not supply credentials: " + e, false, e);
        }
        return new io.github.pyflinksqs.auth.AwsCredentials(
                credentials.accessKeyId(),
                credentials.secretAccessKey(),
                credentials instanceof AwsSessionCredentials
                        ? ((AwsSessionCredentials) credentials).sessionToken()
                        : null);
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Stops a provider's refresh thread and closes its STS client, if it has them. */
    @Override
    public void close() {
        if (provider instanceof SdkAutoCloseable) {
            ((SdkAutoCloseable) provider).close();
        } else if (provider instanceof AutoCloseable) {
            try {
                ((AutoCloseable) provider).close();
            } catch (Exception ignored) {
                // closing releases threads only; nothing to report
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
