package io.github.pyflinksqs.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a queue URL says about its queue: the rules of pyflink_sqs/queue_url.py, in its words
 * (tests/fixtures/queue_urls.json holds both to the same answers).
 */
public final class QueueUrls {
    private static final String EXPECTED =
            "expected https://sqs.<region>.amazonaws.com/<account-id>/<queue-name>";
    // SQS queue names: 1-80 characters of [A-Za-z0-9_-], FIFO queues end in ".fifo".
    private static final Pattern QUEUE_NAME =
            Pattern.compile("^[A-Za-z0-9_-]{1,75}(\\.fifo)?$|^[A-Za-z0-9_-]{1,80}$");
    // A region name such as us-east-1 (AwsClientProperties checks aws.region against it).
    static final String REGION = "[a-z]{2}(?:-[a-z]+)+-\\d+";
    // sqs.<region>.amazonaws.com, sqs-fips.<region>..., vpce-...sqs.<region>.vpce..., and the
    // same shape on emulators; the legacy <region>.queue.amazonaws.com; LocalStack's paths.
    private static final List<Pattern> HOST_REGIONS =
            List.of(
                    Pattern.compile("(?:^|\\.)sqs(?:-fips)?\\.(" + REGION + ")\\."),
                    Pattern.compile("^(" + REGION + ")\\.queue\\.amazonaws\\.com"));
    private static final Pattern PATH_REGION = Pattern.compile("^/queue/(" + REGION + ")/");

    private QueueUrls() {}

    /** FIFO queue names end in ".fifo". */
    public static boolean isFifo(String url) {
        String path = URI.create(url.trim()).getPath();
        return path != null && path.endsWith(".fifo");
    }

    /** Null when url can be a queue URL; else why not, naming the option. */
    public static String problem(String url, String option) {
        if (url == null || url.trim().isEmpty()) {
            return option + " must be a queue URL, got " + PythonRepr.full(url) + "; " + EXPECTED;
        }
        String shown = option + " " + PythonRepr.full(url);
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return shown + " is not an http(s) URL with a host; " + EXPECTED;
        }
        String scheme = uri.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
            return shown + " is not an http(s) URL with a host; " + EXPECTED;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return shown + " must not have a query or fragment; " + EXPECTED;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String[] segments = path.replaceAll("/+$", "").split("/");
        String name = segments.length == 0 ? "" : segments[segments.length - 1];
        if (!QUEUE_NAME.matcher(name).find()) {
            return shown
                    + " does not end in a queue name (1-80 characters of letters, digits, "
                    + "'-' and '_', optionally ending in '.fifo'); "
                    + EXPECTED;
        }
        return null;
    }

    /** The region the URL names, or null (a URL problem() accepts). */
    public static String region(String url) {
        URI uri = URI.create(url.trim());
        String host = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        for (Pattern pattern : HOST_REGIONS) {
            Matcher matcher = pattern.matcher(host);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        Matcher matcher = PATH_REGION.matcher(uri.getRawPath() == null ? "" : uri.getRawPath());
        return matcher.find() ? matcher.group(1) : null;
    }
}
