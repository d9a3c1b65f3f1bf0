package io.github.pyflinksqs.auth;

import java.util.Map;

/**
 * ENV_VAR: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN of the task manager's
 * process, read at every request as the AWS SDK does, so a rotated environment is picked up.
 */
public final class EnvironmentCredentialsProvider implements AwsCredentialsProvider {
    static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";

    private final Map<String, String> environment;

    public EnvironmentCredentialsProvider() {
        this(System.getenv());
    }

    EnvironmentCredentialsProvider(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        String accessKeyId = environment.get(ACCESS_KEY_ID);
        String secretAccessKey = environment.get(SECRET_ACCESS_KEY);
        if (isBlank(accessKeyId) || isBlank(secretAccessKey)) {
            throw new MissingCredentialsException(
                    "aws.credentials.provider ENV_VAR: the environment of this process lacks "
                            + (isBlank(accessKeyId) ? ACCESS_KEY_ID : SECRET_ACCESS_KEY)
                            + "; set it for the task manager, or choose another provider");
        }
        return new AwsCredentials(
                accessKeyId.trim(), secretAccessKey.trim(), environment.get(SESSION_TOKEN));
    }

    private static boolean isBlank(String value) {
        return value == null || value.trim().isEmpty();
    }

    @Override
    public String toString() {
        return "EnvironmentCredentialsProvider";
    }
}
