package io.accessbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.accessbridge.bench.BridgeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks start the bridge with {@link BridgeProcess#LAUNCH_OPTIONS}; a site starts it with the
 * distribution's launcher or the container image. Both must pass the same options, or the published figures
 * describe a bridge nobody runs.
 */
class LaunchOptionsTest {

    @Test
    void distributionLauncherPassesTheBenchmarkedOptionsBeforeJavaOpts() throws Exception {
        String launcher = Files.readString(Path.of("src/main/dist/bin/access-event-bridge"));
        Matcher exec = Pattern.compile("(?m)^exec \"\\$java\" (.*) \\$JAVA_OPTS -jar ").matcher(launcher);

        assertThat(exec.find()).as("exec line of bin/access-event-bridge").isTrue();
        assertThat(List.of(exec.group(1).split(" "))).containsExactlyElementsOf(BridgeProcess.LAUNCH_OPTIONS);
    }

    @Test
    void containerImagePassesTheBenchmarkedOptions() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$").matcher(dockerfile);

        assertThat(entrypoint.find()).as("ENTRYPOINT of the Dockerfile").isTrue();
        List<String> args = new ArrayList<>();
        Matcher arg = Pattern.compile("\"([^\"]*)\"").matcher(entrypoint.group(1));
        while (arg.find()) {
            args.add(arg.group(1));
        }
        assertThat(args).startsWith("java").endsWith("-jar", "/opt/bridge/access-event-bridge.jar")
                .containsAll(BridgeProcess.LAUNCH_OPTIONS);
    }
}
