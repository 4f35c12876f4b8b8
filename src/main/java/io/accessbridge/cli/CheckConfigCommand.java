package io.accessbridge.cli;

import io.accessbridge.BridgeApplication;
import io.accessbridge.ops.ConfigCheck;
import io.accessbridge.ops.ConfigError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code check-config}: validates the settings (unknown {@code bridge.*} keys, values of the wrong kind), the
 * device inventory and the route files without starting the bridge; prints every error with file, line and field,
 * and exits with 1 when there is one.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Check settings, device inventory and route files without starting the bridge; exit 1 on errors.")
public final class CheckConfigCommand implements Callable<Integer> {

    @Option(names = "--config", description = "Settings file (default: $BRIDGE_CONFIG or "
            + BridgeApplication.DEFAULT_CONFIG + ")")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path file = config != null ? config
                : Path.of(System.getenv().getOrDefault("BRIDGE_CONFIG", BridgeApplication.DEFAULT_CONFIG));
        ConfigCheck.Result result = new ConfigCheck(System.getenv()).check(file);
        PrintWriter out = spec.commandLine().getOut();
        for (ConfigError e : result.errors()) {
            out.println(e);
        }
        if (result.errors().isEmpty()) {
            out.printf("Configuration OK: settings %s, inventory %s, route files and beans%n", file, result.devicesFile());
        } else {
            out.printf("%d error(s)%n", result.errors().size());
        }
        out.flush();
        return result.errors().isEmpty() ? 0 : 1;
    }
}
