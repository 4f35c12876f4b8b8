package io.accessbridge.cli;

import io.accessbridge.simulator.v1.V1SimulatorMain;
import io.accessbridge.simulator.v3.V3SimulatorMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one executable: {@code java -jar access-event-bridge.jar [command]}. Without a command it
 * runs the bridge.
 */
@Command(name = "access-event-bridge", mixinStandardHelpOptions = true, versionProvider = BridgeCli.Version.class,
        description = "Access Event Bridge: access-control terminals to JMS, HR/ERP and access-control software.",
        subcommands = {RunCommand.class, V1SimulatorMain.class, BenchCommand.class, DlqCommand.class,
                CheckConfigCommand.class, DevicesCommand.class})
public final class BridgeCli {

    public static void main(String... args) {
        if (args.length == 0) {
            args = new String[] {"run"};
        }
        CommandLine cli = new CommandLine(new BridgeCli());
        cli.addSubcommand("simulate-v3", new V3SimulatorMain());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        int code = cli.execute(args);
        if (code != 0 || !"run".equals(args[0])) {
            System.exit(code);
        }
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BridgeCli.class.getPackage().getImplementationVersion();
            return new String[] {"access-event-bridge " + (v == null ? "dev" : v)};
        }
    }
}
