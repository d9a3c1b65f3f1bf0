package io.github.pyflinksqs.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PROFILE: a profile of the AWS CLI's credentials file (aws.credentials.provider.profile.path,
 * else AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials), named by
 * aws.credentials.provider.profile.name, else AWS_PROFILE, else "default". Read at first use.
 */
final class ProfileCredentialsProvider implements AwsCredentialsProvider {
    private final String path;
    private final String profile;
    private volatile AwsCredentials credentials;

    ProfileCredentialsProvider(String path, String profile) {
        this.path = path;
        this.profile = profile;
    }

    static ProfileCredentialsProvider fromSettings(String path, String profile) {
        Map<String, String> env = System.getenv();
        String file = path != null ? path
                : env.getOrDefault("AWS_SHARED_CREDENTIALS_FILE",
                        Paths.get(System.getProperty("user.home"), ".aws", "credentials")
                                .toString());
        String name = profile != null ? profile : env.getOrDefault("AWS_PROFILE", "default");
        return new ProfileCredentialsProvider(file, name);
    }

    boolean fileExists() {
        return Files.isRegularFile(Paths.get(path));
    }

    @Override
    public AwsCredentials resolveCredentials() {
        AwsCredentials loaded = credentials;
        if (loaded == null) {
            loaded = credentials = load();
        }
        return loaded;
    }

    private AwsCredentials load() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MissingCredentialsException(
                    "aws.credentials.provider PROFILE cannot read " + path + ": " + e);
        }
        Map<String, String> values = new HashMap<>();
        String section = null;
        for (String raw : lines) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).trim();
                // The config file's form, [profile name], names the same profile.
                if (section.startsWith("profile ")) {
                    section = section.substring("profile ".length()).trim();
                }
            } else if (profile.equals(section) && line.contains("=")) {
                int equals = line.indexOf('=');
                values.put(line.substring(0, equals).trim().toLowerCase(),
                        line.substring(equals + 1).trim());
            }
        }
        String accessKeyId = values.get("aws_access_key_id");
        String secretAccessKey = values.get("aws_secret_access_key");
        if (accessKeyId == null || secretAccessKey == null) {
            throw new MissingCredentialsException(
                    "aws.credentials.provider PROFILE: profile '" + profile + "' of " + path
                            + " has no "
                            + (accessKeyId == null ? "aws_access_key_id" : "aws_secret_access_key"));
        }
        return new AwsCredentials(accessKeyId, secretAccessKey, values.get("aws_session_token"));
    }

    @Override
    public String toString() {
        return "ProfileCredentialsProvider(" + path + ", " + profile + ")";
    }
}
