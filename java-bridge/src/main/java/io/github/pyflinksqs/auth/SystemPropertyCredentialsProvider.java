package io.github.pyflinksqs.auth;

/** SYS_PROP: the JVM system properties aws.accessKeyId, aws.secretAccessKey, aws.sessionToken. */
public final class SystemPropertyCredentialsProvider implements AwsCredentialsProvider {
    static final String ACCESS_KEY_ID = "aws.accessKeyId";
    static final String SECRET_ACCESS_KEY = "aws.secretAccessKey";
    static final String SESSION_TOKEN = "aws.sessionToken";

    @Override
    public AwsCredentials resolveCredentials() {
        String accessKeyId = System.getProperty(ACCESS_KEY_ID);
        String secretAccessKey = System.getProperty(SECRET_ACCESS_KEY);
        if (accessKeyId == null || accessKeyId.isEmpty()
                || secretAccessKey == null || secretAccessKey.isEmpty()) {
            throw new MissingCredentialsException(
                    "aws.credentials.provider SYS_PROP: the JVM system property "
                            + (accessKeyId == null || accessKeyId.isEmpty()
                                    ? ACCESS_KEY_ID
                                    : SECRET_ACCESS_KEY)
                            + " is not set on the task manager");
        }
        return new AwsCredentials(
                accessKeyId, secretAccessKey, System.getProperty(SESSION_TOKEN));
    }

    @Override
    public String toString() {
        return "SystemPropertyCredentialsProvider";
    }
}
