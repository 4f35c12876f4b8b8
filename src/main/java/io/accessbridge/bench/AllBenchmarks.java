package io.accessbridge.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench all}: every benchmark in one invocation, each with a bridge process of its own
 * (fresh data directory each run): v1 push at 10, 100 and 1,000 devices, the v3 backlog
 * ({@code 1x50000} and {@code 100x5000}), 1,000 v1 devices on WebSocket, and the soak. Each prints
 * its own figures and the bridge's peak memory; a closing table lists every benchmark's exit code
 * and time.
 */
@Command(name = "all", mixinStandardHelpOptions = true,
        description = "Run every benchmark in one go: v1-push, v3-backlog, v1-ws and soak (see docs/BENCHMARKS.md).")
public final class AllBenchmarks implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--minutes", description = "Length of the soak (default: ${DEFAULT-VALUE}).")
    double minutes = 10;

    @Option(names = "--interval-seconds", description = "Soak sample interval (default: ${DEFAULT-VALUE}).")
    int intervalSeconds = 60;

    @Option(names = "--v1-devices", split = ",", description = "v1-push device counts (default: ${DEFAULT-VALUE}).")
    List<Integer> v1Devices = new ArrayList<>(List.of(10, 100, 1000));

    @Option(names = "--events-total", description = "v1-push records per run (default: ${DEFAULT-VALUE}).")
    int eventsTotal = 100_000;

    @Option(names = "--v3-scenarios", split = ",", description = "v3-backlog scenarios (default: ${DEFAULT-VALUE}).")
    List<String> v3Scenarios = new ArrayList<>(List.of("1x50000", "100x5000"));

    @Option(names = "--ws-devices", split = ",", description = "v1-ws device counts (default: ${DEFAULT-VALUE}).")
    List<Integer> wsDevices = new ArrayList<>(List.of(1000));

    /** Runs {@code all} on its own. */
    public static void main(String... args) {
        System.exit(new CommandLine(new AllBenchmarks()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> commands = new LinkedHashMap<>();
        Map<String, List<String>> arguments = new LinkedHashMap<>();
        commands.put("v1-push", new V1PushBenchmark());
        arguments.put("v1-push", List.of("--devices", join(v1Devices), "--events-total", String.valueOf(eventsTotal)));
        commands.put("v3-backlog", new V3DrainBenchmark());
        arguments.put("v3-backlog", v3Scenarios);
        commands.put("v1-ws", new V1WebSocketBenchmark());
        arguments.put("v1-ws", List.of("--devices", join(wsDevices)));
        commands.put("soak", new SoakBenchmark());
        arguments.put("soak", List.of("--minutes", String.valueOf(minutes),
                "--interval-seconds", String.valueOf(intervalSeconds)));
        List<String> results = new ArrayList<>();
        int worst = 0;
        for (Map.Entry<String, Object> c : commands.entrySet()) {
            List<String> args = arguments.get(c.getKey());
            out.printf(Locale.ROOT, "%n=== bench %s %s%n", c.getKey(), String.join(" ", args));
            out.flush();
            long t0 = System.nanoTime();
            int code = new CommandLine(c.getValue()).setOut(out).setErr(err).execute(args.toArray(String[]::new));
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.flush();
            results.add(String.format(Locale.ROOT, "  %-10s exit %d  %6.0f s", c.getKey(), code, seconds));
            worst = Math.max(worst, code);
        }
        out.printf(Locale.ROOT, "%n=== bench all: %s%n", worst == 0 ? "every benchmark passed its own checks"
                : "a benchmark failed (exit code not 0)");
        results.forEach(out::println);
        out.flush();
        return worst;
    }

    private static String join(List<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
