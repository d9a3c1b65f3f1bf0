package io.github.pyflinksqs.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Temporary credentials fetched on first use and fetched again before they expire: when less
 * than a margin is left (five minutes, or half the session for sessions under ten minutes),
 * so requests never carry expired credentials and the sink does not stop for a refresh.
 */
final class RefreshingCredentialsProvider implements AwsCredentialsProvider {
    static final Duration MAX_MARGIN = Duration.ofMinutes(5);

    private final String description;
    private final Supplier<StsClient.Session> fetch;
    private final Clock clock;
    private StsClient.Session session;
    private Instant refreshAt;

    RefreshingCredentialsProvider(String description, Supplier<StsClient.Session> fetch) {
        this(description, fetch, Clock.systemUTC());
    }

    RefreshingCredentialsProvider(
            String description, Supplier<StsClient.Session> fetch, Clock clock) {
        this.description = description;
        this.fetch = fetch;
        this.clock = clock;
    }

    @Override
    public synchronized AwsCredentials resolveCredentials() {
        Instant now = clock.instant();
        if (session == null || !now.isBefore(refreshAt)) {
            session = fetch.get();
            Duration lifetime = Duration.between(now, session.expiration);
            Duration margin = lifetime.dividedBy(2).compareTo(MAX_MARGIN) < 0
                    ? lifetime.dividedBy(2) : MAX_MARGIN;
            refreshAt = session.expiration.minus(margin);
        }
        return session.credentials;
    }

    @Override
    public String toString() {
        return description;
    }
}
