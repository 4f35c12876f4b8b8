package io.accessbridge.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed reads of the bridge's settings from Camel's properties component, so that the
 * same key can come from {@code config/application.properties}, an environment variable
 * ({@code bridge.broker.port} -> {@code BRIDGE_BROKER_PORT}) or {@code -D}. Every setting has
 * a default in code and a one-line description beside it in the properties file.
 */
public final class BridgeProperties {

    private final PropertiesComponent properties;

    /** Settings of the given context. */
    public BridgeProperties(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    /** A text setting, or {@code defaultValue} when unset or blank. */
    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    /** A text setting that must be set. */
    public String required(String key) {
        return optional(key).orElseThrow(() -> new IllegalStateException("setting " + key + " is required"));
    }

    /**
     * A text setting, empty when unset or blank. A setting that is not set can also come from a
     * secret file named by the environment variable {@code <KEY>_FILE}
     * ({@code bridge.broker.password} -> {@code BRIDGE_BROKER_PASSWORD_FILE}), as Docker and
     * Kubernetes secrets are mounted.
     */
    public Optional<String> optional(String key) {
        Optional<String> value = properties.resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty());
        if (value.isPresent()) {
            return value;
        }
        String file = System.getenv(envName(key) + "_FILE");
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip()).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            throw new IllegalStateException("secret file of " + key + " (" + file + ") cannot be read");
        }
    }

    /** The environment variable of a key: {@code bridge.broker.send-timeout-ms} -> {@code BRIDGE_BROKER_SEND_TIMEOUT_MS}. */
    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** An integer setting. */
    public int integer(String key, int defaultValue) {
        return optional(key).map(v -> parse(key, v, Integer::parseInt)).orElse(defaultValue);
    }

    /** A long setting. */
    public long longValue(String key, long defaultValue) {
        return optional(key).map(v -> parse(key, v, Long::parseLong)).orElse(defaultValue);
    }

    /** A boolean setting ({@code true}/{@code false}). */
    public boolean bool(String key, boolean defaultValue) {
        return optional(key).map(v -> {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalStateException("setting " + key + " must be true or false");
            }
            return Boolean.parseBoolean(v);
        }).orElse(defaultValue);
    }

    /** All settings whose key starts with {@code prefix}, with the prefix removed. */
    public Properties withPrefix(String prefix) {
        Properties all = properties.loadProperties(k -> k.startsWith(prefix));
        Properties out = new Properties();
        all.forEach((k, v) -> out.setProperty(k.toString().substring(prefix.length()), v.toString()));
        return out;
    }

    private interface Parser<T> {
        T parse(String s);
    }

    private static <T> T parse(String key, String value, Parser<T> parser) {
        try {
            return parser.parse(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("setting " + key + " must be a number");
        }
    }
}
