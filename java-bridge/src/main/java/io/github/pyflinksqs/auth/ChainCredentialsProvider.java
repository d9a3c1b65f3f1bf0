package io.github.pyflinksqs.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * AUTO: the first provider of the chain that yields credentials, remembered afterwards so a
 * request does not walk the chain again.
 */
public final class ChainCredentialsProvider implements AwsCredentialsProvider {
    private final List<AwsCredentialsProvider> chain;
    private volatile AwsCredentialsProvider chosen;

    public ChainCredentialsProvider(List<AwsCredentialsProvider> chain) {
        this.chain = new ArrayList<>(chain);
    }

    @Override
    public AwsCredentials resolveCredentials() {
        AwsCredentialsProvider provider = chosen;
        if (provider != null) {
            return provider.resolveCredentials();
        }
        List<String> reasons = new ArrayList<>();
        for (AwsCredentialsProvider candidate : chain) {
            try {
                AwsCredentials credentials = candidate.resolveCredentials();
                chosen = candidate;
                return credentials;
            } catch (MissingCredentialsException e) {
                reasons.add(e.getMessage());
            }
        }
        throw new MissingCredentialsException(
                "aws.credentials.provider AUTO found no credentials: " + String.join("; ", reasons));
    }

    @Override
    public String toString() {
        return "ChainCredentialsProvider" + chain;
    }
}
