package io.github.pyflinksqs.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * A properties resource that java-bridge/generate_resources.py wrote into the jar from a Python
 * module, so a number or pattern both backends use is written once; every key is required.
 */
final class GeneratedResource {
    private final String name;
    private final Properties values = new Properties();

    private GeneratedResource(String name) {
        this.name = name;
        try (InputStream in = GeneratedResource.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the bridge jar");
            }
            values.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GeneratedResource load(String name) {
        return new GeneratedResource(name);
    }

    String text(String key) {
        String value = values.getProperty(key);
        if (value == null) {
            throw new IllegalStateException(name + " has no " + key);
        }
        return value;
    }

    int integer(String key) {
        return Integer.parseInt(text(key));
    }
}
