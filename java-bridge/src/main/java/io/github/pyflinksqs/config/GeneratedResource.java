package io.github.pyflinksqs.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.Set;

/**
 * A properties resource that java-bridge/generate_resources.py wrote into the jar from a Python
 * module (config.py, error_codes.py, large_payload.py, message_rules.py, retries.py, ...), so an
 * option, limit, code or pattern both backends use is written once; every key read is required.
 */
public final class GeneratedResource {
    private final String name;
    private final Properties values = new Properties();

    private GeneratedResource(String name) {
        this.name = name;
        try (InputStream in = GeneratedResource.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(
                        name + " is missing from the bridge jar; rebuild it (make jar)");
            }
            values.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GeneratedResource load(String name) {
        return new GeneratedResource(name);
    }

    public Set<String> keys() {
        return values.stringPropertyNames();
    }

    /** The value of a key that may be absent; null then. */
    public String optional(String key) {
        return values.getProperty(key);
    }

    public String text(String key) {
        String value = values.getProperty(key);
        if (value == null) {
            throw new IllegalStateException(name + " has no " + key);
        }
        return value;
    }

    public int integer(String key) {
        return Integer.parseInt(text(key));
    }
}
