package io.github.pyflinksqs.auth;

import io.github.pyflinksqs.config.AwsClientProperties;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
            case "PROFILE":
                return ProfileCredentialsProvider.fromSettings(
                        properties.getProperty(prefix + ".profile.path"),
                        properties.getProperty(prefix + ".profile.name"));
            case "ASSUME_ROLE":
                return assumeRole(properties, prefix);
            case "WEB_IDENTITY_TOKEN":
                return webIdentity(properties, prefix, false);
            case "AUTO":
                return auto(properties, prefix);
            default:
                throw new IllegalArgumentException(
                        prefix + " " + name + " is not a provider; use BASIC, ENV_VAR, SYS_PROP, "
                                + "PROFILE, ASSUME_ROLE, WEB_IDENTITY_TOKEN or AUTO");
        }
    }

    /**
     * The standard chain: environment, system properties, web identity, profile, container
     * credentials endpoint, instance metadata.
     */
    private static AwsCredentialsProvider auto(Properties properties, String prefix) {
        List<AwsCredentialsProvider> chain = new ArrayList<>();
        chain.add(new EnvironmentCredentialsProvider());
        chain.add(new SystemPropertyCredentialsProvider());
        Map<String, String> env = System.getenv();
        if (env.get("AWS_WEB_IDENTITY_TOKEN_FILE") != null && env.get("AWS_ROLE_ARN") != null) {
            chain.add(webIdentity(properties, prefix, true));
        }
        ProfileCredentialsProvider profile = ProfileCredentialsProvider.fromSettings(
                properties.getProperty(prefix + ".profile.path"),
                properties.getProperty(prefix + ".profile.name"));
        if (profile.fileExists()) {
            chain.add(profile);
        }
        AwsCredentialsProvider container = MetadataCredentialsProviders.container(env);
        if (container != null) {
            chain.add(container);
        }
        AwsCredentialsProvider instance = MetadataCredentialsProviders.instance(env);
        if (instance != null) {
            chain.add(instance);
        }
        return new ChainCredentialsProvider(chain);
    }

    private static AwsCredentialsProvider assumeRole(Properties properties, String prefix) {
        String roleArn = required(properties, prefix + ".role.arn", "ASSUME_ROLE");
        String sessionName = required(properties, prefix + ".role.sessionName", "ASSUME_ROLE");
        String externalId = properties.getProperty(prefix + ".role.externalId");
        String duration = properties.getProperty(prefix + ".role.durationSeconds");
        // The provider that signs the AssumeRole call (AUTO when not set).
        AwsCredentialsProvider base = create(properties, prefix + ".role.provider");
        StsClient sts = stsClient(properties, prefix);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("RoleArn", roleArn);
        parameters.put("RoleSessionName", sessionName);
        if (externalId != null) {
            parameters.put("ExternalId", externalId);
        }
        if (duration != null) {
            parameters.put("DurationSeconds", String.valueOf(
                    AwsClientProperties.positiveLong(
                            prefix + ".role.durationSeconds", duration, "integer")));
        }
        return new RefreshingCredentialsProvider(
                "AssumeRole(" + roleArn + ", signed by " + base + ")",
                () -> sts.call("AssumeRole", parameters, base.resolveCredentials()));
    }

    /** WEB_IDENTITY_TOKEN, or the AUTO chain's web identity step (settings from the env). */
    private static AwsCredentialsProvider webIdentity(
            Properties properties, String prefix, boolean fromEnvironment) {
        Map<String, String> env = System.getenv();
        String tokenFile = firstSet(properties.getProperty(prefix + ".webIdentityToken.file"),
                env.get("AWS_WEB_IDENTITY_TOKEN_FILE"));
        String roleArn = firstSet(properties.getProperty(prefix + ".role.arn"),
                env.get("AWS_ROLE_ARN"));
        String sessionName = firstSet(properties.getProperty(prefix + ".role.sessionName"),
                env.get("AWS_ROLE_SESSION_NAME"), "pyflink-sqs-" + System.currentTimeMillis());
        if (!fromEnvironment) {
            if (tokenFile == null) {
                throw new IllegalArgumentException(
                        prefix + " WEB_IDENTITY_TOKEN needs " + prefix
                                + ".webIdentityToken.file (or AWS_WEB_IDENTITY_TOKEN_FILE)");
            }
            if (roleArn == null) {
                throw new IllegalArgumentException(
                        prefix + " WEB_IDENTITY_TOKEN needs " + prefix
                                + ".role.arn (or AWS_ROLE_ARN)");
            }
        }
        StsClient sts = stsClient(properties, prefix);
        String file = tokenFile;
        return new RefreshingCredentialsProvider(
                "AssumeRoleWithWebIdentity(" + roleArn + ")",
                () -> {
                    Map<String, String> parameters = new LinkedHashMap<>();
                    parameters.put("RoleArn", roleArn);
                    parameters.put("RoleSessionName", sessionName);
                    // Read at every refresh: the platform rotates the token file.
                    parameters.put("WebIdentityToken", readToken(file));
                    return sts.call("AssumeRoleWithWebIdentity", parameters, null);
                });
    }

    private static StsClient stsClient(Properties properties, String prefix) {
        String region = AwsClientProperties.region(properties);
        String endpoint = properties.getProperty(prefix + ".role.stsEndpoint");
        URI uri = endpoint != null && !endpoint.trim().isEmpty()
                ? URI.create(endpoint.trim())
                : AwsClientProperties.regionalEndpoint("sts", region);
        if (uri.getPath() == null || uri.getPath().isEmpty()) {
            uri = uri.resolve("/");
        }
        return new StsClient(uri, region);
    }

    private static String readToken(String file) {
        try {
            return new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new MissingCredentialsException(
                    "WEB_IDENTITY_TOKEN cannot read the token file " + file + ": " + e);
        }
    }

    private static String required(Properties properties, String key, String provider) {
        String value = properties.getProperty(key);
        if (value == null || value.trim().isEmpty()) {
            throw new IllegalArgumentException(
                    "aws.credentials.provider " + provider + " needs " + key
                            + " in the client properties");
        }
        return value.trim();
    }


    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.trim().isEmpty()) {
                return value.trim();
            }
        }
        return null;
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
