package io.accessbridge.target;

import io.accessbridge.config.BridgeProperties;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Typed reads of delivery settings from any key/value source: the running bridge's properties
 * component, or a properties file plus environment variables for the command line. A per-target key
 * {@code bridge.target.<name>.<key>} falls back to the shared {@code bridge.targets.<key>} where
 * {@link #forTarget} is used.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;

    /** Settings read through {@code lookup}; blank values count as unset. */
    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = key -> lookup.apply(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** Settings of a running bridge. */
    public static Settings of(BridgeProperties properties) {
        return new Settings(properties::optional);
    }

    /**
     * Settings from a properties file, each key overridable by an environment variable named like
     * the bridge does it ({@code bridge.target.odoo.url} -> {@code BRIDGE_TARGET_ODOO_URL}).
     */
    public static Settings of(Properties file, Map<String, String> environment) {
        return new Settings(key -> {
            String env = environment.get(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            return Optional.ofNullable(env != null ? env : file.getProperty(key));
        });
    }

    /** A text setting, empty when unset or blank. */
    public Optional<String> optional(String key) {
        return lookup.apply(key);
    }

    /** A text setting or its default. */
    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    /** A boolean setting. */
    public boolean bool(String key, boolean defaultValue) {
        return optional(key).map(v -> {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalStateException("setting " + key + " must be true or false");
            }
            return Boolean.parseBoolean(v);
        }).orElse(defaultValue);
    }

    /** A decimal setting. */
    public double decimal(String key, double defaultValue) {
        return optional(key).map(v -> {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("setting " + key + " must be a number");
            }
        }).orElse(defaultValue);
    }

    /** A whole-number setting. */
    public int integer(String key, int defaultValue) {
        return optional(key).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("setting " + key + " must be a whole number");
            }
        }).orElse(defaultValue);
    }

    /** A duration setting, see {@link Durations}. */
    public Duration duration(String key, Duration defaultValue) {
        return optional(key).map(v -> Durations.parse(key, v)).orElse(defaultValue);
    }

    /** A comma-separated list setting. */
    public List<String> list(String key, String defaultValue) {
        return Arrays.stream(string(key, defaultValue).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A text setting that must be set. */
    public String required(String key, String why) {
        return optional(key).orElseThrow(() -> new IllegalStateException("setting " + key + " is required " + why));
    }

    /**
     * The settings of one target, where a retry key {@code bridge.target.<name>.retry.x} that is not set
     * falls back to the shared {@code bridge.targets.retry.x}.
     */
    public Settings forTarget(String name) {
        String own = "bridge.target." + name + ".";
        return new Settings(key -> {
            if (key.startsWith(own + "retry.")) {
                Optional<String> v = lookup.apply(key);
                return v.isPresent() ? v : lookup.apply("bridge.targets." + key.substring(own.length()));
            }
            return lookup.apply(key);
        });
    }
}
