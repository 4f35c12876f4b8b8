package io.accessbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.simulator.v3.V3DeviceSimulator;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Measures how long the bridge takes to drain the backlog of simulated v3 devices into its
 * embedded broker: each device holds its events before the bridge starts, every device answers
 * only once the bridge is up, and the clock stops when every device's checkpoint reached its
 * newest event (a checkpoint moves only after the broker stored the page; read from the bridge's
 * {@code GET /api/devices}). The broker's queue count is then checked against the number of
 * events. The bridge runs as its own process ({@link BridgeProcess}: the packaged jar's class
 * path, {@link BridgeProcess#jvmOptions}, fresh data directory, settings of {@code config/}); the
 * simulated devices serve from this JVM. Run from the project directory.
 *
 * <pre>
 * java -jar target/access-event-bridge.jar bench v3-backlog [--page-size 100] [--max-concurrent-polls 4] [scenario ...]
 * </pre>
 * A scenario is {@code <devices>x<events>}; default {@code 1x50000 100x5000 1x50000}. Each scenario
 * starts a fresh bridge, so every drain is a "first drain after start".
 */
@Command(name = "v3-backlog", mixinStandardHelpOptions = true,
        description = "Benchmark: how long a bridge process takes to drain the backlog of v3 devices.")
public final class V3DrainBenchmark implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--page-size", description = "event-fetch limit (default: ${DEFAULT-VALUE}).")
    int pageSize = 100;

    @Option(names = "--max-concurrent-polls", description = "bridge.v3.max-concurrent-polls (default: ${DEFAULT-VALUE}).")
    int concurrent = 4;

    @Option(names = "--bridge-heap", description = "Maximum heap of the bridge process (default: ${DEFAULT-VALUE}).")
    String heap = "1g";

    @Parameters(paramLabel = "SCENARIO", description = "<devices>x<events per device> (default: 1x50000 100x5000 1x50000).")
    List<String> scenarios = new ArrayList<>();

    /** Runs the scenarios and prints one line per scenario. */
    public static void main(String... args) {
        System.exit(new CommandLine(new V3DrainBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<int[]> runs = new ArrayList<>();
        for (String s : scenarios) {
            String[] p = s.split("x");
            if (p.length != 2) {
                throw new CommandLine.ParameterException(spec.commandLine(), "scenario must be <devices>x<events>: " + s);
            }
            runs.add(new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])});
        }
        if (runs.isEmpty()) {
            runs.add(new int[] {1, 50_000});
            runs.add(new int[] {100, 5_000});
            runs.add(new int[] {1, 50_000});
        }
        out.printf(Locale.ROOT, "v3 backlog drain: %d cores, page size %d, max concurrent polls %d, load average %.1f;"
                        + " bridge as its own process (%s), devices simulated in the benchmark JVM%n",
                Runtime.getRuntime().availableProcessors(), pageSize, concurrent, loadAverage(), String.join(" ", BridgeProcess.jvmOptions(heap)));
        out.flush();
        int code = 0;
        for (int[] s : runs) {
            Result r = run(s[0], s[1]);
            out.printf(Locale.ROOT, "%3d device(s) x %,6d events = %,7d events: %,6d ms, %,7.0f events/s, %,d in the broker,"
                            + " bridge peak RSS %d MiB (load average %.1f)%n", s[0], s[1], r.events, r.millis,
                    r.events * 1000.0 / r.millis, r.inBroker, r.peakRssKib / 1024, loadAverage());
            out.flush();
            if (r.inBroker != r.events) {
                code = 1;
            }
        }
        return code;
    }

    private record Result(long events, long millis, long inBroker, long peakRssKib) {
    }

    private Result run(int devices, int events) throws Exception {
        Path dir = Files.createTempDirectory("v3-drain-");
        List<V3DeviceSimulator> sims = new ArrayList<>();
        try {
            for (int i = 1; i <= devices; i++) {
                V3DeviceSimulator sim = V3DeviceSimulator.builder().deviceId(String.format(Locale.ROOT, "bench-%03d", i))
                        .capacity(Math.max(events, 1000)).maxFetchLimit(Math.max(pageSize, 100)).threads(2).seed(i)
                        .start();
                sim.addEvents(events);
                sim.pauseReplies();
                sims.add(sim);
            }
            StringBuilder yaml = new StringBuilder("devices:\n");
            for (V3DeviceSimulator sim : sims) {
                Path token = dir.resolve(sim.deviceId() + ".token");
                Files.writeString(token, sim.token(), StandardCharsets.UTF_8);
                yaml.append("  - {id: ").append(sim.deviceId()).append(", generation: v3, address: '")
                        .append(sim.baseUri()).append("', token: {file: '").append(token).append("'}, v3: {pageSize: ")
                        .append(pageSize).append(", intervalMs: 1000}}\n");
            }
            Path inventory = dir.resolve("devices.yaml");
            Files.writeString(inventory, yaml.toString(), StandardCharsets.UTF_8);
            Map<String, String> p = BridgeProcess.benchSettings(dir);
            int brokerPort = Integer.parseInt(p.get("bridge.broker.port"));
            p.put("bridge.devices.file", inventory.toString());
            p.put("bridge.v3.max-concurrent-polls", String.valueOf(concurrent));
            // the devices hold their replies until the bridge is ready: its first calls must not time out meanwhile
            p.put("bridge.v3.request-timeout-ms", "120000");
            try (BridgeProcess bridge = BridgeProcess.start(p, dir.resolve("bridge.log"),
                    BridgeProcess.jvmOptions(heap))) {
                HttpClient http = HttpClient.newHttpClient();
                long t0 = System.nanoTime();
                sims.forEach(V3DeviceSimulator::resumeReplies);
                while (!caughtUp(http, bridge.baseUrl(), sims)) {
                    Thread.sleep(50);
                }
                long millis = (System.nanoTime() - t0) / 1_000_000;
                long total = (long) devices * events;
                long inBroker = V1PushBenchmark.messageCount("tcp://127.0.0.1:" + brokerPort, "access.events.all");
                return new Result(total, millis, inBroker, bridge.peakRssKib());
            }
        } finally {
            sims.forEach(V3DeviceSimulator::close);
            BridgeProcess.deleteTree(dir);
        }
    }

    /** Whether the bridge's checkpoint of every device has reached the device's newest event. */
    private static boolean caughtUp(HttpClient http, String baseUrl, List<V3DeviceSimulator> sims) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/devices"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return false;
        }
        Map<String, Long> checkpoints = new HashMap<>();
        for (JsonNode d : MAPPER.readTree(r.body())) {
            checkpoints.put(d.path("deviceId").asText(), d.path("gauges").path("v3.checkpoint").asLong(0));
        }
        for (V3DeviceSimulator s : sims) {
            if (checkpoints.getOrDefault(s.deviceId(), 0L) < s.max()) {
                return false;
            }
        }
        return true;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
