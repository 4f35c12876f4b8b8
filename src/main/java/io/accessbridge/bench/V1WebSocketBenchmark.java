package io.accessbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1Fleet;
import io.accessbridge.simulator.v1.V1SimRuntime;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How many v1 devices with an open WebSocket one bridge holds, and its memory at that count.
 * Starts the bridge as its own process (embedded broker, fresh data directory) with an inventory
 * of simulated devices on loopback (all in this JVM, sharing one simulator runtime), waits until
 * every device has the bridge's one connection, lets every device make events for a while, and
 * prints: devices connected (by the devices' and by the bridge's own count), the bridge's start
 * time and the time from ready to every device connected,
 * events made and stored, the bridge's heap used after a full GC ({@code jcmd GC.run}), its
 * resident memory (RSS), threads and open files.
 */
@Command(name = "v1-ws", mixinStandardHelpOptions = true,
        description = "Benchmark: v1 devices with an open WebSocket held by one bridge process, and its memory.")
public final class V1WebSocketBenchmark implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--devices", split = ",", description = "Device counts, one run each with a fresh bridge (default: ${DEFAULT-VALUE}).")
    List<Integer> devices = new ArrayList<>(List.of(1000));

    @Option(names = "--seconds", description = "How long every device makes events once all are connected (default: ${DEFAULT-VALUE}).")
    int seconds = 30;

    @Option(names = "--rate", description = "Events per second per device while they run (default: ${DEFAULT-VALUE}).")
    double rate = 0.1;

    @Option(names = "--push", description = "Also keep the devices subscribed and pushing over HTTP (default: WebSocket only).")
    boolean push;

    @Option(names = "--bridge-heap", description = "Maximum heap of the bridge process (default: ${DEFAULT-VALUE}).")
    String heap = "1g";

    @Option(names = "--ping-interval-ms", description = "Bridge WebSocket ping interval (default: ${DEFAULT-VALUE}, as shipped).")
    long pingIntervalMs = 15_000;

    @Option(names = "--sim-event-loops", description = "Event loop threads of the simulated devices (default: ${DEFAULT-VALUE}).")
    int simEventLoops = 2;

    /** Runs {@code v1-ws} on its own: {@code java -cp ... io.accessbridge.bench.V1WebSocketBenchmark --devices 1000}. */
    public static void main(String... args) {
        System.exit(new CommandLine(new V1WebSocketBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "# v1 WebSocket benchmark on %d cores, Java %s, bridge %s, %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                String.join(" ", BridgeProcess.jvmOptions(heap)),
                push ? "WebSocket and HTTP push" : "WebSocket only");
        for (int n : devices) {
            out.println(run(n));
            out.flush();
        }
        return 0;
    }

    /** One run with {@code n} devices (0: the bridge alone, for its base memory). */
    String run(int n) throws Exception {
        Path dir = Files.createTempDirectory("bench-v1ws-");
        V1Fleet fleet = n == 0 ? null : new V1Fleet(V1Fleet.Options.of(n).withSerialPrefix("WS").withSeed(7L)
                .withLoad(rate, 0)
                .withDevice(V1DeviceSimulator.Options.defaults().withOfflineCacheCapacity(1_000))
                .withRuntime(new V1SimRuntime.Options(simEventLoops, 2, 2, Duration.ofSeconds(5), null))).start();
        try {
            StringBuilder yaml = new StringBuilder("devices:\n");
            if (fleet != null) {
                for (V1DeviceSimulator d : fleet.devices()) {
                    yaml.append("  - {id: ").append(d.serialNumber()).append(", generation: v1, address: '")
                            .append(d.baseUri()).append("', serialNumber: ").append(d.serialNumber())
                            .append(", channels: {push: ").append(push).append(", websocket: true}}\n");
                }
            } else {
                yaml.append("  []\n");
            }
            Path inventory = Files.writeString(dir.resolve("devices.yaml"), yaml.toString());
            Map<String, String> settings = BridgeProcess.benchSettings(dir);
            int httpPort = Integer.parseInt(settings.get("bridge.http.port"));
            int brokerPort = Integer.parseInt(settings.get("bridge.broker.port"));
            settings.put("bridge.devices.file", inventory.toString());
            settings.put("bridge.v1.ws.ping-interval-ms", String.valueOf(pingIntervalMs));
            long started = System.nanoTime();
            try (BridgeProcess bridge = BridgeProcess.start(settings, dir.resolve("bridge.log"),
                    BridgeProcess.jvmOptions(heap))) {
                double startSeconds = (System.nanoTime() - started) / 1e9;
                long ready = System.nanoTime();
                double connectSeconds = 0;
                long generated = 0;
                if (fleet != null) {
                    awaitConnected(fleet, n, Duration.ofMinutes(5));
                    connectSeconds = (System.nanoTime() - ready) / 1e9;
                    long before = fleet.stats().generated();
                    fleet.startGenerating();
                    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                    fleet.stopGenerating();
                    generated = fleet.stats().generated() - before;
                    Thread.sleep(2_000);
                }
                long stored = V1PushBenchmark.messageCount("tcp://127.0.0.1:" + brokerPort, "access.events.all");
                Map<String, Integer> ids = browseIds("tcp://127.0.0.1:" + brokerPort, "access.events.all");
                long distinct = ids.size();
                ids.entrySet().stream().filter(e -> e.getValue() > 1).limit(5)
                        .forEach(e -> System.err.println("duplicate id " + e.getKey() + " x" + e.getValue()));
                int bridgeConnected = bridgeConnected(bridge.baseUrl());
                int held = fleet == null ? 0 : (int) fleet.devices().stream().filter(d -> d.currentWsClients() == 1).count();
                int maxPerDevice = fleet == null ? 0
                        : fleet.devices().stream().mapToInt(V1DeviceSimulator::maxConcurrentWsClients).max().orElse(0);
                long heapAfterGc = heapUsedAfterGcKib(bridge.pid());
                Map<String, Long> proc = procStatus(bridge.pid());
                long fds = openFiles(bridge.pid());
                return String.format(Locale.ROOT,
                        "devices=%d ws-open(device count)=%d ws-connected(bridge status)=%d max-ws-per-device=%d"
                                + " bridge-start=%.1fs ready-to-all-connected=%.1fs events: made=%d stored=%d (distinct ids %d) in %ds;"
                                + " bridge: heap-used-after-GC=%dMiB rss=%dMiB peak-rss=%dMiB threads=%d open-files=%d",
                        n, held, bridgeConnected, maxPerDevice, startSeconds, connectSeconds, generated, stored, distinct, fleet == null ? 0 : seconds,
                        heapAfterGc / 1024, proc.getOrDefault("VmRSS", -1L) / 1024,
                        proc.getOrDefault("VmHWM", -1L) / 1024, proc.getOrDefault("Threads", -1L), fds);
            }
        } finally {
            if (fleet != null) {
                fleet.close();
            }
            BridgeProcess.deleteData(dir);
        }
    }

    private static void awaitConnected(V1Fleet fleet, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long connected = fleet.devices().stream().filter(d -> d.currentWsClients() == 1).count();
            if (connected == n) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + connected + " of " + n + " devices connected within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** Event ids of the messages on a queue and how often each occurs (browsing, nothing consumed). */
    static Map<String, Integer> browseIds(String url, String queue) throws Exception {
        Map<String, Integer> ids = new java.util.HashMap<>();
        try (var locator = org.apache.activemq.artemis.api.core.client.ActiveMQClient.createServerLocator(url);
             var factory = locator.createSessionFactory();
             var session = factory.createSession()) {
            session.start();
            try (var consumer = session.createConsumer(queue, true)) {
                org.apache.activemq.artemis.api.core.client.ClientMessage m;
                while ((m = consumer.receive(2_000)) != null) {
                    Object id = m.getObjectProperty("cloudEvents_id");
                    ids.merge(String.valueOf(id), 1, Integer::sum);
                }
            }
        }
        return ids;
    }

    private static int bridgeConnected(String baseUrl) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/devices"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        int connected = 0;
        for (JsonNode d : MAPPER.readTree(r.body())) {
            if ("CONNECTED".equals(d.path("channels").path("websocket").path("state").asText())) {
                connected++;
            }
        }
        return connected;
    }

    /** Heap in use right after a full GC of the process, KiB ({@code jcmd GC.run}, then {@code GC.heap_info}). */
    static long heapUsedAfterGcKib(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", String.valueOf(pid), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** {@code VmRSS}, {@code VmHWM} (KiB) and {@code Threads} of a Linux process; empty elsewhere. */
    static Map<String, Long> procStatus(long pid) {
        Map<String, Long> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                for (String key : List.of("VmRSS", "VmHWM", "Threads")) {
                    if (line.startsWith(key + ":")) {
                        values.put(key, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            return values;
        }
        return values;
    }

    static long openFiles(long pid) {
        try (var s = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
