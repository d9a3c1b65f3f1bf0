package io.github.pyflinksqs.config;

import java.net.URI;

/** What a queue URL says about its queue (the rules of pyflink_sqs/queue_url.py). */
public final class QueueUrls {
    private QueueUrls() {}

    /** FIFO queue names end in ".fifo". */
    public static boolean isFifo(String url) {
        String path = URI.create(url.trim()).getPath();
        return path != null && path.endsWith(".fifo");
    }
}
