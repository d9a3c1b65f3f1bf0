package io.github.pyflinksqs.auth;

import io.github.pyflinksqs.config.AwsClientProperties;

import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/** Builds the provider named by aws.credentials.provider, as the Java connector names them. */
public final class CredentialsProviderFactory {

    private CredentialsProviderFactory() {}

    public static AwsCredentialsProvider create(Properties properties) {
        return create(properties, AwsClientProperties.CREDENTIALS_PROVIDER);
    }

    /** The prefix lets a role provider configure the provider that signs its own calls. */
    static AwsCredentialsProvider create(Properties properties, String prefix) {
        String name = providerName(properties, prefix);
        switch (name) {
            case "BASIC":
                return new StaticCredentialsProvider(basicCredentials(properties, prefix));
            case "ENV_VAR":
                return new EnvironmentCredentialsProvider();
            case "SYS_PROP":
                return new SystemPropertyCredentialsProvider();
            case "AUTO":
                return new ChainCredentialsProvider(
                        Arrays.asList(
                                new EnvironmentCredentialsProvider(),
                                new SystemPropertyCredentialsProvider()));
            default:
                throw new IllegalArgumentException(
                        prefix + " " + name + " is not supported by this version; "
                                + "use BASIC, ENV_VAR, SYS_PROP or AUTO");
        }
    }

    /** As the Java connector: BASIC when both keys are given, AUTO otherwise. */
    static String providerName(Properties properties, String prefix) {
        String name = properties.getProperty(prefix);
        if (name == null || name.trim().isEmpty()) {
            boolean hasKeys = properties.getProperty(prefix + ".basic.accesskeyid") != null
                    && properties.getProperty(prefix + ".basic.secretkey") != null;
            return hasKeys ? "BASIC" : "AUTO";
        }
        return name.trim().toUpperCase(Locale.ROOT);
    }

    private static AwsCredentials basicCredentials(Properties properties, String prefix) {
        String accessKeyKey = prefix + ".basic.accesskeyid";
        String secretKeyKey = prefix + ".basic.secretkey";
        String accessKeyId = properties.getProperty(accessKeyKey);
        String secretAccessKey = properties.getProperty(secretKeyKey);
        if (accessKeyId == null || accessKeyId.isEmpty()) {
            throw new MissingCredentialsException(
                    prefix + " BASIC needs " + accessKeyKey + " in the client properties");
        }
        if (secretAccessKey == null || secretAccessKey.isEmpty()) {
            throw new MissingCredentialsException(
                    prefix + " BASIC needs " + secretKeyKey + " in the client properties");
        }
        return new AwsCredentials(
                accessKeyId, secretAccessKey,
                properties.getProperty(prefix + ".basic.sessiontoken"));
    }
}
