package io.github.pyflinksqs.auth;

import io.github.pyflinksqs.config.AwsClientProperties;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Properties;

/**
 * The credentials provider aws.credentials.provider names, built from the AWS SDK for Java v2
 * exactly as the upstream connector's AWSGeneralUtil.getCredentialsProvider maps each value:
 * ENV_VAR, SYS_PROP, PROFILE (a credentials file at ...profile.path, else the SDK's default files
 * with SSO and credential_process), BASIC, ASSUME_ROLE (STS, signed by the provider at
 * ...role.provider), WEB_IDENTITY_TOKEN, CUSTOM (a class of the user's with a (Properties)
 * constructor) and AUTO (the SDK's default chain: system properties, environment, web identity,
 * profile, container incl. EKS Pod Identity, instance metadata). Ours on top, keys the upstream
 * connector does not have: ...basic.sessiontoken, ...role.durationSeconds, and ...role.stsEndpoint
 * for WEB_IDENTITY_TOKEN too.
 *
 * <p>Temporary credentials (STS, container, instance metadata) refresh on a background thread
 * before they expire and are served while a refresh fails, so a blip of STS slows nothing and fails
 * nothing while the current credentials are valid.
 */
public final class CredentialsProviderFactory {
    public static final String CUSTOM_CLASS_SUFFIX = ".custom.class";

    private CredentialsProviderFactory() {}

    /** The provider for a sink's client properties; close it with the client. */
    public static AwsCredentialsProvider create(Properties properties) {
        String prefix = AwsClientProperties.CREDENTIALS_PROVIDER;
        return new SdkCredentialsProvider(
                sdkProvider(properties, prefix), describe(properties, prefix));
    }

    /**
     * What can be checked in the client, at build(): the provider's name and the keys it needs.
     * Nothing is resolved (the task managers' environment may differ) and no class is loaded.
     */
    public static void validate(Properties properties) {
        validate(properties, AwsClientProperties.CREDENTIALS_PROVIDER);
    }

    private static void validate(Properties properties, String prefix) {
        String name = providerName(properties, prefix);
        switch (name) {
            case "BASIC":
                required(properties, prefix + ".basic.accesskeyid", prefix, name);
                required(properties, prefix + ".basic.secretkey", prefix, name);
                return;
            case "ASSUME_ROLE":
                required(properties, prefix + ".role.arn", prefix, name);
                required(properties, prefix + ".role.sessionName", prefix, name);
                duration(properties, prefix);
                validate(properties, prefix + ".role.provider");
                return;
            case "CUSTOM":
                required(properties, prefix + CUSTOM_CLASS_SUFFIX, prefix, name);
                return;
            case "ENV_VAR":
            case "SYS_PROP":
            case "PROFILE":
            case "WEB_IDENTITY_TOKEN":
            case "AUTO":
                return;
            default:
                throw new IllegalArgumentException(
                        prefix
                                + " '"
                                + properties.getProperty(prefix)
                                + "' is not a provider; "
                                + "use one of ENV_VAR, SYS_PROP, PROFILE, BASIC, ASSUME_ROLE, "
                                + "WEB_IDENTITY_TOKEN, CUSTOM, AUTO");
        }
    }

    static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider sdkProvider(
            Properties properties, String prefix) {
        validate(properties, prefix);
        switch (providerName(properties, prefix)) {
            case "ENV_VAR":
                return EnvironmentVariableCredentialsProvider.create();
            case "SYS_PROP":
                return SystemPropertyCredentialsProvider.create();
            case "PROFILE":
                return profile(properties, prefix);
            case "BASIC":
                return StaticCredentialsProvider.create(basic(properties, prefix));
            case "ASSUME_ROLE":
                return assumeRole(properties, prefix);
            case "WEB_IDENTITY_TOKEN":
                return webIdentity(properties, prefix);
            case "CUSTOM":
                return custom(properties, prefix);
            default: // AUTO; a new instance per sink, as upstream, so closing one closes only it
                return DefaultCredentialsProvider.builder()
                        .asyncCredentialUpdateEnabled(true)
                        .build();
        }
    }

    /** As upstream: BASIC when both keys are given, AUTO otherwise; names are upper case. */
    static String providerName(Properties properties, String prefix) {
        String name = properties.getProperty(prefix);
        if (name == null || name.trim().isEmpty()) {
            boolean hasKeys =
                    properties.getProperty(prefix + ".basic.accesskeyid") != null
                            && properties.getProperty(prefix + ".basic.secretkey") != null;
            return hasKeys ? "BASIC" : "AUTO";
        }
        return name.trim().toUpperCase(Locale.ROOT);
    }

    private static software.amazon.awssdk.auth.credentials.AwsCredentials basic(
            Properties properties, String prefix) {
        String accessKey = properties.getProperty(prefix + ".basic.accesskeyid");
        String secretKey = properties.getProperty(prefix + ".basic.secretkey");
        String token = properties.getProperty(prefix + ".basic.sessiontoken");
        return token == null || token.isEmpty()
                ? AwsBasicCredentials.create(accessKey, secretKey)
                : AwsSessionCredentials.create(accessKey, secretKey, token);
    }

    private static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider profile(
            Properties properties, String prefix) {
        ProfileCredentialsProvider.Builder builder =
                ProfileCredentialsProvider.builder()
                        .profileName(properties.getProperty(prefix + ".profile.name"));
        String path = properties.getProperty(prefix + ".profile.path");
        if (path != null && !path.trim().isEmpty()) {
            builder.profileFile(
                    ProfileFile.builder()
                            .type(ProfileFile.Type.CREDENTIALS)
                            .content(Paths.get(path.trim()))
                            .build());
        }
        return builder.build();
    }

    private static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider assumeRole(
            Properties properties, String prefix) {
        AssumeRoleRequest.Builder request =
                AssumeRoleRequest.builder()
                        .roleArn(properties.getProperty(prefix + ".role.arn").trim())
                        .roleSessionName(
                                properties.getProperty(prefix + ".role.sessionName").trim())
                        .externalId(properties.getProperty(prefix + ".role.externalId"));
        Integer duration = duration(properties, prefix);
        if (duration != null) {
            request.durationSeconds(duration);
        }
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(
                        sts(properties, prefix, sdkProvider(properties, prefix + ".role.provider")))
                .refreshRequest(request.build())
                .asyncCredentialUpdateEnabled(true)
                .build();
    }

    private static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider webIdentity(
            Properties properties, String prefix) {
        String endpoint = properties.getProperty(prefix + ".role.stsEndpoint");
        if (endpoint == null || endpoint.trim().isEmpty()) {
            // Upstream's provider: settings from the properties, else the environment.
            WebIdentityTokenFileCredentialsProvider.Builder builder =
                    WebIdentityTokenFileCredentialsProvider.builder()
                            .asyncCredentialUpdateEnabled(true);
            String roleArn = properties.getProperty(prefix + ".role.arn");
            String session = properties.getProperty(prefix + ".role.sessionName");
            String tokenFile = properties.getProperty(prefix + ".webIdentityToken.file");
            if (roleArn != null) {
                builder.roleArn(roleArn.trim());
            }
            if (session != null) {
                builder.roleSessionName(session.trim());
            }
            if (tokenFile != null) {
                builder.webIdentityTokenFile(Paths.get(tokenFile.trim()));
            }
            return builder.build();
        }
        // With an STS endpoint of the user's (the SDK's provider above cannot take one): the
        // same STS call, the token file read again at every refresh (platforms rotate it).
        String tokenFile =
                firstSet(
                        properties.getProperty(prefix + ".webIdentityToken.file"),
                        System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE"));
        String roleArn =
                firstSet(
                        properties.getProperty(prefix + ".role.arn"),
                        System.getenv("AWS_ROLE_ARN"));
        if (tokenFile == null || roleArn == null) {
            throw new IllegalArgumentException(
                    prefix
                            + " WEB_IDENTITY_TOKEN needs "
                            + prefix
                            + ".webIdentityToken.file (or "
                            + "AWS_WEB_IDENTITY_TOKEN_FILE) and "
                            + prefix
                            + ".role.arn (or "
                            + "AWS_ROLE_ARN)");
        }
        String session =
                firstSet(
                        properties.getProperty(prefix + ".role.sessionName"),
                        System.getenv("AWS_ROLE_SESSION_NAME"),
                        "pyflink-sqs-" + System.currentTimeMillis());
        return StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
                .stsClient(
                        sts(
                                properties,
                                prefix,
                                software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider
                                        .create()))
                .refreshRequest(
                        () ->
                                AssumeRoleWithWebIdentityRequest.builder()
                                        .roleArn(roleArn)
                                        .roleSessionName(session)
                                        .webIdentityToken(readToken(tokenFile))
                                        .build())
                .asyncCredentialUpdateEnabled(true)
                .build();
    }

    private static StsClient sts(
            Properties properties,
            String prefix,
            software.amazon.awssdk.auth.credentials.AwsCredentialsProvider signer) {
        StsClientBuilder builder =
                StsClient.builder()
                        .credentialsProvider(signer)
                        .region(Region.of(AwsClientProperties.region(properties)))
                        .httpClient(UrlConnectionHttpClient.create());
        String endpoint = properties.getProperty(prefix + ".role.stsEndpoint");
        if (endpoint != null && !endpoint.trim().isEmpty()) {
            builder.endpointOverride(URI.create(endpoint.trim()));
        }
        return builder.build();
    }

    /**
     * Upstream: a class with a (Properties) constructor implementing the SDK's
     * AwsCredentialsProvider. This jar carries the SDK relocated, so a user's class implements the
     * SDK's own interface (from the user's jar), not ours: it is called by reflection.
     */
    private static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider custom(
            Properties properties, String prefix) {
        String className = properties.getProperty(prefix + CUSTOM_CLASS_SUFFIX).trim();
        Object instance;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type =
                    Class.forName(
                            className,
                            true,
                            loader != null
                                    ? loader
                                    : CredentialsProviderFactory.class.getClassLoader());
            instance = type.getDeclaredConstructor(Properties.class).newInstance(properties);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException(
                    prefix
                            + " CUSTOM: cannot create "
                            + className
                            + " with a (java.util."
                            + "Properties) constructor, as "
                            + prefix
                            + CUSTOM_CLASS_SUFFIX
                            + " asks: "
                            + e,
                    e);
        }
        if (instance instanceof software.amazon.awssdk.auth.credentials.AwsCredentialsProvider) {
            return (software.amazon.awssdk.auth.credentials.AwsCredentialsProvider) instance;
        }
        return new ReflectiveCredentialsProvider(instance);
    }

    /** A provider of the unrelocated SDK: resolveCredentials() -> accessKeyId() etc. */
    private static final class ReflectiveCredentialsProvider
            implements software.amazon.awssdk.auth.credentials.AwsCredentialsProvider {
        private final Object provider;
        private final Method resolve;

        ReflectiveCredentialsProvider(Object provider) {
            this.provider = provider;
            try {
                this.resolve = provider.getClass().getMethod("resolveCredentials");
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(
                        provider.getClass().getName()
                                + " has no resolveCredentials(): it must "
                                + "implement software.amazon.awssdk.auth.credentials."
                                + "AwsCredentialsProvider");
            }
        }

        @Override
        public software.amazon.awssdk.auth.credentials.AwsCredentials resolveCredentials() {
            try {
                Object credentials = resolve.invoke(provider);
                String accessKey = (String) call(credentials, "accessKeyId");
                String secretKey = (String) call(credentials, "secretAccessKey");
                Object token = optionalCall(credentials, "sessionToken");
                return token instanceof String && !((String) token).isEmpty()
                        ? AwsSessionCredentials.create(accessKey, secretKey, (String) token)
                        : AwsBasicCredentials.create(accessKey, secretKey);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(
                        provider.getClass().getName()
                                + ".resolveCredentials() failed: "
                                + (e.getCause() != null ? e.getCause() : e),
                        e);
            }
        }

        private static Object call(Object target, String method)
                throws ReflectiveOperationException {
            return target.getClass().getMethod(method).invoke(target);
        }

        private static Object optionalCall(Object target, String method)
                throws ReflectiveOperationException {
            try {
                return call(target, method);
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    }

    private static Integer duration(Properties properties, String prefix) {
        String key = prefix + ".role.durationSeconds";
        String value = properties.getProperty(key);
        if (value == null || value.trim().isEmpty()) {
            return null;
        }
        long seconds = AwsClientProperties.positiveLong(key, value, "integer");
        if (seconds > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    key + " must be a positive integer, got '" + value + "'");
        }
        return (int) seconds;
    }

    private static String readToken(String file) {
        try {
            return new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new MissingCredentialsException(
                    "WEB_IDENTITY_TOKEN cannot read the token file " + file + ": " + e);
        }
    }

    private static void required(Properties properties, String key, String prefix, String name) {
        String value = properties.getProperty(key);
        if (value == null || value.trim().isEmpty()) {
            throw new IllegalArgumentException(
                    prefix + " " + name + " needs " + key + " in the client properties");
        }
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.trim().isEmpty()) {
                return value.trim();
            }
        }
        return null;
    }

    /** For logs: the provider's name and the role it assumes, never a secret. */
    private static String describe(Properties properties, String prefix) {
        String name = providerName(properties, prefix);
        if (name.equals("ASSUME_ROLE")) {
            return "ASSUME_ROLE("
                    + properties.getProperty(prefix + ".role.arn")
                    + ", signed by "
                    + describe(properties, prefix + ".role.provider")
                    + ")";
        }
        return name;
    }
}
