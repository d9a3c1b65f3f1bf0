package io.github.pyflinksqs.client;

/** One entry SQS reported under "Successful": its Id as answered and the digests it computed. */
public final class BatchEntrySuccess {
    private final String id;
    private final String md5OfMessageBody;
    private final String md5OfMessageAttributes;

    public BatchEntrySuccess(String id, String md5OfMessageBody, String md5OfMessageAttributes) {
        this.id = id;
        this.md5OfMessageBody = md5OfMessageBody;
        this.md5OfMessageAttributes = md5OfMessageAttributes;
    }

    public String id() {
        return id;
    }

    /** Null when the answer carried none (some emulators leave it out). */
    public String md5OfMessageBody() {
        return md5OfMessageBody;
    }

    /** Null when the answer carried none. */
    public String md5OfMessageAttributes() {
        return md5OfMessageAttributes;
    }
}
