package io.accessbridge.cli;

import io.accessbridge.BridgeMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code run}: starts the bridge (the default when no command is given). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the bridge with config/application.properties, config/devices.yaml and routes/.")
public final class RunCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        BridgeMain.main();
        return 0;
    }
}
