package io.accessbridge;

import io.accessbridge.ops.OpsConfiguration;
import io.accessbridge.target.TargetsConfiguration;
import java.util.Properties;
import org.apache.camel.main.Main;

/**
 * Builds the camel-main application: settings from {@code config/application.properties}
 * (another file with {@code -Dbridge.config=path} or {@code BRIDGE_CONFIG}), overridable by
 * environment variables and system properties; routes from {@code routes/*.camel.yaml}.
 */
public final class BridgeApplication {

    /** Default location of the settings file, relative to the working directory. */
    public static final String DEFAULT_CONFIG = "config/application.properties";

    private BridgeApplication() {
    }

    /**
     * A camel-main ready to {@code run()} or {@code start()}.
     *
     * @param overrides settings that win over the properties file (tests, command line)
     */
    public static Main create(Properties overrides) {
        Main main = new Main();
        main.configure().addConfiguration(BridgeConfiguration.class);
        main.configure().addConfiguration(TargetsConfiguration.class);
        main.configure().addConfiguration(OpsConfiguration.class);
        String config = overrides.getProperty("bridge.config", System.getenv().getOrDefault("BRIDGE_CONFIG", DEFAULT_CONFIG));
        main.setDefaultPropertyPlaceholderLocation("file:" + config);
        overrides.stringPropertyNames().stream().filter(k -> k.startsWith("bridge.") || k.startsWith("camel."))
                .forEach(k -> main.addOverrideProperty(k, overrides.getProperty(k)));
        return main;
    }
}
