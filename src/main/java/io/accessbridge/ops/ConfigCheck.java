package io.accessbridge.ops;

import io.accessbridge.BridgeApplication;
import io.accessbridge.config.BridgeProperties;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.main.Main;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code check-config}: the settings file ({@link SettingsCheck}), the environment's {@code BRIDGE_*} overrides, the
 * device inventory ({@link InventoryCheck}), and then the bridge itself initialised but not started (nothing
 * listens, no broker starts): the route files are checked as at start-up (file:line:column), the enabled targets'
 * required settings and every bean the routes use are made. Each error names its file, line where known, and the
 * setting or field.
 */
public final class ConfigCheck {

    private static final Pattern AT = Pattern.compile("^(.+?):(\\d+):(\\d+): (.*)$");
    private static final Pattern SETTING = Pattern.compile("^setting (\\S+):? (.*)$");

    /**
     * What was checked and found.
     *
     * @param errors      every mistake
     * @param devicesFile the inventory that was checked
     */
    public record Result(List<ConfigError> errors, Path devicesFile) {
    }

    private final Map<String, String> environment;

    /** A check with {@code environment} as the bridge's environment. */
    public ConfigCheck(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Checks {@code settingsFile} and what it points to. */
    public Result check(Path settingsFile) throws IOException {
        List<ConfigError> errors = new ArrayList<>();
        if (!Files.isRegularFile(settingsFile)) {
            errors.add(new ConfigError(settingsFile.toString(), 0, 0, null, "file not found"));
            return new Result(errors, null);
        }
        String text = Files.readString(settingsFile, StandardCharsets.UTF_8);
        SettingsCheck settings = SettingsCheck.withReference();
        List<ConfigError> settingErrors = settings.check(settingsFile.toString(), text);
        errors.addAll(settingErrors);
        for (String key : settings.knownKeys()) {
            String env = BridgeProperties.envName(key);
            String value = environment.get(env);
            String problem = value == null ? null : settings.problem(key, value);
            if (problem != null) {
                errors.add(new ConfigError("environment " + env, 0, 0, key, problem + " (got '" + value + "')"));
            }
        }

        Properties file = new Properties();
        file.load(new StringReader(text));
        String devices = environment.getOrDefault(BridgeProperties.envName("bridge.devices.file"),
                file.getProperty("bridge.devices.file", "config/devices.yaml")).trim();
        Path devicesFile = Path.of(devices);
        List<ConfigError> inventoryErrors = new InventoryCheck(environment).check(devicesFile);
        errors.addAll(inventoryErrors);

        Path scratch = Files.createTempDirectory("check-config");
        Properties overrides = new Properties();
        overrides.setProperty("bridge.config", settingsFile.toString());
        overrides.setProperty("bridge.broker.data-dir", scratch.resolve("broker").toString());
        overrides.setProperty("bridge.images.dir", scratch.resolve("images").toString());
        for (ConfigError e : settingErrors) {
            if (e.field() != null) {
                String value = settings.referenceValue(e.field());
                overrides.setProperty(e.field(), value == null ? "" : value);
            }
        }
        if (!inventoryErrors.isEmpty()) {
            overrides.setProperty("bridge.devices.file", scratch.resolve("none.yaml").toString());
        }
        for (ConfigError e : initialise(overrides)) {
            if (!errors.contains(e)) {
                errors.add(e);
            }
        }
        deleteQuietly(scratch);
        return new Result(errors, devicesFile);
    }

    /** The errors of the bridge initialised (not started) with {@code overrides}. */
    private List<ConfigError> initialise(Properties overrides) {
        List<ConfigError> errors = new ArrayList<>();
        LoggerContext logs = (LoggerContext) LogManager.getContext(false);
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.OFF);
        Main main = BridgeApplication.create(overrides);
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        try {
            main.init();
            main.getCamelContext().init();
        } catch (Exception | LinkageError e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String file = overrides.getProperty("bridge.config");
            for (String line : String.valueOf(root.getMessage()).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.equals("route file errors:")) {
                    continue;
                }
                errors.add(parse(file, l));
            }
        } finally {
            try {
                main.stop();
            } catch (Exception ignored) {
                // nothing was started
            }
            logs.reconfigure();
        }
        return errors;
    }

    private ConfigError parse(String settingsFile, String line) {
        Matcher at = AT.matcher(line);
        if (at.matches()) {
            return new ConfigError(at.group(1), Integer.parseInt(at.group(2)), Integer.parseInt(at.group(3)), null,
                    at.group(4));
        }
        Matcher setting = SETTING.matcher(line);
        if (setting.matches()) {
            String key = setting.group(1);
            return new ConfigError(settingsFile, lineOf(settingsFile, key), 0, key, setting.group(2));
        }
        return new ConfigError(null, 0, 0, null, line);
    }

    private static int lineOf(String file, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).matches("^\\s*" + Pattern.quote(key) + "\\s*[=:].*")) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
