package io.accessbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1Fleet;
import io.accessbridge.simulator.v1.V1LatencyRecorder;
import io.accessbridge.simulator.v1.V1SimRuntime;
import io.accessbridge.simulator.v3.V3DeviceSimulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Soak: a mixed fleet against the bridge as its own process for a long while, to show that its
 * memory and latency stay flat. The fleet (all simulated in this JVM, on loopback): v1 devices
 * pushing over HTTP (subscribed by the bridge itself), v1 devices on WebSocket, and v3 devices the
 * bridge polls, each making events at a steady rate. A consumer in this JVM reads the events queue
 * as a downstream system would (so the broker keeps no growing backlog) and tallies the ids.
 *
 * <p>Every interval one line: events stored (read from the queue), push ack latency of the
 * interval, how far the bridge is behind the v3 devices, the bridge's heap (by default the live
 * heap after a full GC forced with {@code jcmd GC.run}, its pause printed; with
 * {@code --no-force-gc} the old generation after the latest GC), RSS, threads and open files.
 * At the end a verdict by {@link SoakStats} and an exactly-once check by {@link ExactlyOnce}; the
 * exit code is 1 when the run is not flat or an event was lost or duplicated.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Soak: a mixed v1 push / v1 WebSocket / v3 fleet against a bridge process for a long while;"
                + " memory and latency must stay flat.")
public final class SoakBenchmark implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final double MIB = 1024.0 * 1024.0;

    @Spec
    CommandSpec spec;

    @Option(names = "--minutes", description = "How long the fleet makes events (default: ${DEFAULT-VALUE}).")
    double minutes = 10;

    @Option(names = "--interval-seconds", description = "Seconds between two sample lines (default: ${DEFAULT-VALUE}).")
    int intervalSeconds = 60;

    @Option(names = "--push-devices", description = "v1 devices pushing over HTTP (default: ${DEFAULT-VALUE}).")
    int pushDevices = 50;

    @Option(names = "--push-rate", description = "Events per second per push device (default: ${DEFAULT-VALUE}).")
    double pushRate = 1.0;

    @Option(names = "--ws-devices", description = "v1 devices on WebSocket (default: ${DEFAULT-VALUE}).")
    int wsDevices = 200;

    @Option(names = "--ws-rate", description = "Events per second per WebSocket device (default: ${DEFAULT-VALUE}).")
    double wsRate = 0.1;

    @Option(names = "--v3-devices", description = "v3 devices the bridge polls (default: ${DEFAULT-VALUE}).")
    int v3Devices = 10;

    @Option(names = "--v3-rate", description = "Events per second per v3 device (default: ${DEFAULT-VALUE}).")
    double v3Rate = 2.0;

    @Option(names = "--v3-interval-ms", description = "Inventory v3.intervalMs: the bridge's pause between polls once"
            + " caught up (default: ${DEFAULT-VALUE}, as shipped).")
    int v3IntervalMs = 5000;

    @Option(names = "--bridge-heap", description = "Maximum heap of the bridge process (default: ${DEFAULT-VALUE}).")
    String heap = "1g";

    @Option(names = "--bridge-java-option", description = "Extra JVM option of the bridge process (repeatable); a collector, e.g."
            + " -XX:+UseZGC, replaces G1.")
    List<String> bridgeJavaOptions = new ArrayList<>();

    @Option(names = "--id-cache-size", description = "bridge.broker.id-cache-size of the bridge: duplicate-detection ids"
            + " the broker remembers, about 250 bytes of heap each, growing with every event until the cache is full."
            + " The default is filled within the warm-up interval, so the run tests for growth beyond that bounded"
            + " cache; 500000 is the shipped size (default: ${DEFAULT-VALUE}).")
    Integer idCacheSize = 5000;

    @Option(names = "--force-gc", negatable = true, defaultValue = "true", fallbackValue = "true", description = "At the end of each interval force a full GC in the"
            + " bridge (jcmd GC.run) and report the live heap after it and its pause; --no-force-gc reports the old"
            + " generation after the latest GC instead, without touching the bridge (default: ${DEFAULT-VALUE}).")
    boolean forceGc;

    @Option(names = "--max-heap-growth-percent", description = "Flat: heap growth from interval 2 to the last below"
            + " this (default: ${DEFAULT-VALUE}).")
    double maxHeapGrowthPercent = 10;

    @Option(names = "--max-p99-ratio", description = "Flat: last interval's push p99 at most this times interval 2's"
            + " (default: ${DEFAULT-VALUE}).")
    double maxP99Ratio = 2.0;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Runs {@code soak} on its own: {@code java -cp ... io.accessbridge.bench.SoakBenchmark --minutes 10}. */
    public static void main(String... args) {
        System.exit(new CommandLine(new SoakBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int intervals = Math.max(1, (int) Math.round(minutes * 60 / intervalSeconds));
        out.printf(Locale.ROOT, "# soak on %d cores, Java %s, load average %.1f; bridge %s%s; %d intervals of %d s;"
                        + " fleet: %d v1 push x %s/s, %d v1 WebSocket x %s/s, %d v3 polled x %s/s (intervalMs %d);"
                        + " heap figure: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadAverage(), String.join(" ", BridgeProcess.jvmOptions(heap, bridgeJavaOptions)),
                idCacheSize == null ? "" : ", id-cache-size " + idCacheSize, intervals, intervalSeconds, pushDevices, pushRate, wsDevices, wsRate, v3Devices, v3Rate, v3IntervalMs,
                forceGc ? "live heap after a full GC forced at the end of each interval (jcmd GC.run)"
                        : "old generation after the latest GC (no GC forced)");
        out.flush();
        Path dir = Files.createTempDirectory("bench-soak-");
        V1Fleet push = null;
        V1Fleet ws = null;
        List<V3DeviceSimulator> v3 = new ArrayList<>();
        ScheduledExecutorService v3Pacer = null;
        try {
            if (pushDevices > 0) {
                push = new V1Fleet(V1Fleet.Options.of(pushDevices).withSerialPrefix("PUSH").withSeed(11L)
                        .withLoad(pushRate, 0)
                        .withDevice(V1DeviceSimulator.Options.defaults().withOfflineCacheCapacity(50_000))).start();
            }
            if (wsDevices > 0) {
                ws = new V1Fleet(V1Fleet.Options.of(wsDevices).withSerialPrefix("WS").withSeed(7L)
                        .withLoad(wsRate, 0)
                        .withDevice(V1DeviceSimulator.Options.defaults().withOfflineCacheCapacity(1_000))
                        .withRuntime(new V1SimRuntime.Options(2, 2, 2, Duration.ofSeconds(5), null))).start();
            }
            int capacity = (int) Math.min(1_000_000, Math.max(1_000, v3Rate * minutes * 60 * 1.5 + 1_000));
            for (int i = 1; i <= v3Devices; i++) {
                v3.add(V3DeviceSimulator.builder().deviceId(String.format(Locale.ROOT, "v3-%03d", i))
                        .token("soak-token-" + i).capacity(capacity).threads(2).seed(100 + i).start());
            }
            Path inventory = Files.writeString(dir.resolve("devices.yaml"), inventory(push, ws, v3, dir));
            Map<String, String> settings = BridgeProcess.benchSettings(dir);
            int httpPort = Integer.parseInt(settings.get("bridge.http.port"));
            int brokerPort = Integer.parseInt(settings.get("bridge.broker.port"));
            settings.put("bridge.devices.file", inventory.toString());
            if (idCacheSize != null) {
                settings.put("bridge.broker.id-cache-size", String.valueOf(idCacheSize));
            }
            List<String> jvm = BridgeProcess.jvmOptions(heap, bridgeJavaOptions);
            long started = System.nanoTime();
            try (BridgeProcess bridge = BridgeProcess.start(settings, dir.resolve("bridge.log"), jvm);
                 EventsQueueReader reader = new EventsQueueReader("tcp://127.0.0.1:" + brokerPort, "access.events.all")) {
                double startSeconds = (System.nanoTime() - started) / 1e9;
                long ready = System.nanoTime();
                awaitFleet(push, ws, httpPort, Duration.ofMinutes(5));
                out.printf(Locale.ROOT, "# bridge pid %d ready in %.1f s; every push device subscribed and every WebSocket"
                        + " device connected %.1f s later; bridge log %s%n", bridge.pid(), startSeconds,
                        (System.nanoTime() - ready) / 1e9, dir.resolve("bridge.log"));
                out.flush();

                List<V1LatencyRecorder> recorders = new ArrayList<>();
                if (push != null) {
                    push.devices().forEach(d -> recorders.add(d.ackLatencies()));
                }
                LatencyWindow window = new LatencyWindow(recorders);
                Sampler sampler = new Sampler(bridge, reader, push, ws, v3);
                long t0 = System.nanoTime();
                if (push != null) {
                    push.startGenerating();
                }
                if (ws != null) {
                    ws.startGenerating();
                }
                v3Pacer = startV3Pacer(v3);

                List<SoakStats.Interval> figures = new ArrayList<>();
                for (int k = 1; k <= intervals; k++) {
                    long wake = t0 + TimeUnit.SECONDS.toNanos((long) k * intervalSeconds);
                    long wait = wake - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    V1LatencyRecorder.Summary latency = window.next();
                    Sample s = sampler.sample(k, (System.nanoTime() - t0) / 1e9, latency);
                    figures.add(new SoakStats.Interval(k, s.heapBytes(forceGc), latency.p99(), latency.count()));
                    out.println(s.toLine(forceGc));
                    out.flush();
                }

                if (push != null) {
                    push.stopGenerating();
                }
                if (ws != null) {
                    ws.stopGenerating();
                }
                v3Pacer.shutdownNow();
                v3Pacer.awaitTermination(5, TimeUnit.SECONDS);
                Thread.sleep(1_000);
                long drainStart = System.nanoTime();
                boolean drained = awaitDrained(bridge, push, v3, Duration.ofMinutes(3));

                Map<String, Long> expected = new LinkedHashMap<>();
                Map<String, Set<String>> knownIds = new HashMap<>();
                long pushMade = 0;
                long pushAcked = 0;
                long wsMade = 0;
                long wsSent = 0;
                long v3Logged = 0;
                if (push != null) {
                    for (V1DeviceSimulator d : push.devices()) {
                        V1DeviceSimulator.Stats st = d.stats();
                        pushMade += st.generated();
                        pushAcked += st.acknowledged();
                        expected.put(d.serialNumber(), st.acknowledged());
                        Set<String> ids = new HashSet<>();
                        for (String key : d.acknowledgedKeys()) {
                            if (!key.startsWith("{")) { // uuid or trace_id:status: the event id itself
                                ids.add(key);
                            }
                        }
                        knownIds.put(d.serialNumber(), ids);
                    }
                }
                if (ws != null) {
                    for (V1DeviceSimulator d : ws.devices()) {
                        V1DeviceSimulator.Stats st = d.stats();
                        wsMade += st.generated();
                        wsSent += st.wsFramesSent();
                        // one frame per record and client: with the bridge's one connection, the records sent
                        expected.put(d.serialNumber(), Math.min(st.generated(), st.wsFramesSent()));
                    }
                }
                for (V3DeviceSimulator sim : v3) {
                    Set<String> ids = new HashSet<>();
                    for (JsonNode e : sim.events()) {
                        ids.add(sim.deviceId() + ":" + e.get("seqnum").asLong() + ":" + e.get("timestamp").asLong());
                    }
                    v3Logged += sim.max();
                    expected.put(sim.deviceId(), sim.max());
                    knownIds.put(sim.deviceId(), ids);
                }
                long expectedTotal = expected.values().stream().mapToLong(Long::longValue).sum();
                awaitRead(reader, expectedTotal, Duration.ofMinutes(2));
                ExactlyOnce.Result once = reader.tally().check(expected, knownIds);

                SoakStats.Verdict verdict = SoakStats.evaluate(figures, new SoakStats.Rule(maxHeapGrowthPercent, maxP99Ratio));
                out.println(summaryLine(verdict));
                int cacheSize = idCacheSize != null ? idCacheSize : shippedIdCacheSize();
                out.printf(Locale.ROOT, "duplicate-id cache: %d of %d ids held (bridge.broker.id-cache-size%s); it grows"
                                + " with every event until full, so the heap does too until then%n",
                        Math.min(reader.tally().distinct(), cacheSize), cacheSize,
                        idCacheSize != null ? ", set by --id-cache-size" : ", config/application.properties");
                out.printf(Locale.ROOT, "exactly-once: %s (push: %d acked of %d made; websocket: %d frames sent of %d made;"
                                + " v3: %d logged)%s%s%n", once.toLine(), pushAcked, pushMade, wsSent, wsMade, v3Logged,
                        drained ? String.format(Locale.ROOT, "; drained in %.1f s", (System.nanoTime() - drainStart) / 1e9)
                                : "; NOT drained within 3 min",
                        reader.failure() == null ? "" : "; queue reader failed: " + reader.failure());
                Map<String, Long> proc = V1WebSocketBenchmark.procStatus(bridge.pid());
                boolean ok = verdict.flat() && once.ok() && reader.failure() == null;
                out.printf(Locale.ROOT, "bridge: peak-rss=%dMiB rss=%dMiB threads=%d; result: %s%n",
                        bridge.peakRssKib() / 1024, proc.getOrDefault("VmRSS", -1L) / 1024,
                        proc.getOrDefault("Threads", -1L),
                        ok ? "PASS (flat, exactly once)" : "FAIL (" + failures(verdict, once, reader) + ")");
                out.flush();
                return ok ? 0 : 1;
            }
        } finally {
            if (v3Pacer != null) {
                v3Pacer.shutdownNow();
            }
            if (push != null) {
                push.close();
            }
            if (ws != null) {
                ws.close();
            }
            v3.forEach(V3DeviceSimulator::close);
            BridgeProcess.deleteData(dir);
        }
    }

    private static String failures(SoakStats.Verdict verdict, ExactlyOnce.Result once, EventsQueueReader reader) {
        List<String> why = new ArrayList<>();
        if (!verdict.flat()) {
            why.add("not flat: " + verdict.reason());
        }
        if (!once.ok()) {
            why.add("lost=" + once.lost() + " duplicated=" + once.duplicated() + " unexpected=" + once.unexpected());
        }
        if (reader.failure() != null) {
            why.add("queue reader failed");
        }
        return String.join("; ", why);
    }

    private String summaryLine(SoakStats.Verdict v) {
        String heapName = forceGc ? "live heap after full GC" : "old gen after latest GC";
        String rule = new SoakStats.Rule(maxHeapGrowthPercent, maxP99Ratio).describe();
        if (v.base() == null) {
            return "summary: verdict=not flat (" + v.reason() + "; rule: " + rule + ")";
        }
        String latency = v.window() == 1 ? "" : String.format(Locale.ROOT,
                "; verdict compares median p99 of intervals %d-%d and %d-%d: %.1f -> %.1f ms",
                v.base().index(), v.base().index() + v.window() - 1, v.last().index() - v.window() + 1,
                v.last().index(), v.p99FirstNanos() / 1e6, v.p99LastNanos() / 1e6);
        return String.format(Locale.ROOT,
                "summary: %s interval %d -> %d: %.1f -> %.1f MiB (%+.1f MiB, %+.1f %%), trend %+.2f MiB/interval;"
                        + " push p99 interval %d -> %d: %.1f -> %.1f ms%s (x%.2f); verdict=%s%s (rule: %s)",
                heapName, v.base().index(), v.last().index(), v.base().heapBytes() / MIB, v.last().heapBytes() / MIB,
                v.heapGrowthBytes() / MIB, v.heapGrowthPercent(), v.heapTrendBytesPerInterval() / MIB,
                v.base().index(), v.last().index(), v.base().p99Nanos() / 1e6, v.last().p99Nanos() / 1e6, latency,
                v.p99Ratio(), v.word(), v.reason().isEmpty() ? "" : " [" + v.reason() + "]", rule);
    }

    private String inventory(V1Fleet push, V1Fleet ws, List<V3DeviceSimulator> v3, Path dir) throws IOException {
        StringBuilder yaml = new StringBuilder("devices:\n");
        if (push != null) {
            for (V1DeviceSimulator d : push.devices()) {
                yaml.append("  - {id: ").append(d.serialNumber()).append(", generation: v1, address: '")
                        .append(d.baseUri()).append("', serialNumber: ").append(d.serialNumber())
                        .append(", channels: {push: true, websocket: false}}\n");
            }
        }
        if (ws != null) {
            for (V1DeviceSimulator d : ws.devices()) {
                yaml.append("  - {id: ").append(d.serialNumber()).append(", generation: v1, address: '")
                        .append(d.baseUri()).append("', serialNumber: ").append(d.serialNumber())
                        .append(", channels: {push: false, websocket: true}}\n");
            }
        }
        for (V3DeviceSimulator sim : v3) {
            Path token = dir.resolve(sim.deviceId() + ".token");
            Files.writeString(token, sim.token(), StandardCharsets.UTF_8);
            yaml.append("  - {id: ").append(sim.deviceId()).append(", generation: v3, address: '")
                    .append(sim.baseUri()).append("', token: {file: '").append(token)
                    .append("'}, v3: {pageSize: 100, intervalMs: ").append(v3IntervalMs).append("}}\n");
        }
        if (push == null && ws == null && v3.isEmpty()) {
            yaml.append("  []\n");
        }
        return yaml.toString();
    }

    /** Waits until the bridge has subscribed every push device and connected every WebSocket device. */
    private static void awaitFleet(V1Fleet push, V1Fleet ws, int httpPort, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String dest = "http://127.0.0.1:" + httpPort + "/v1/events/";
        while (true) {
            long subscribed = push == null ? 0 : push.devices().stream().filter(d -> d.subscription()
                    .map(s -> s.enabled() && s.eventDest().startsWith(dest)).orElse(false)).count();
            long connected = ws == null ? 0 : ws.devices().stream().filter(d -> d.currentWsClients() == 1).count();
            boolean done = (push == null || subscribed == push.devices().size())
                    && (ws == null || connected == ws.devices().size());
            if (done) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fleet not ready within " + timeout + ": " + subscribed
                        + " push devices subscribed, " + connected + " WebSocket devices connected");
            }
            Thread.sleep(100);
        }
    }

    /** Adds events to every v3 device at the rate, catching up after pauses; a single thread. */
    private ScheduledExecutorService startV3Pacer(List<V3DeviceSimulator> v3) {
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-v3-pacer");
            t.setDaemon(true);
            return t;
        });
        if (v3.isEmpty() || v3Rate <= 0) {
            return pacer;
        }
        long start = System.nanoTime();
        long[] added = new long[v3.size()];
        pacer.scheduleAtFixedRate(() -> {
            double elapsed = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < v3.size(); i++) {
                // devices staggered over one period so that they do not all log at the same instant
                long due = (long) Math.floor(elapsed * v3Rate + (double) i / v3.size());
                if (due > added[i]) {
                    v3.get(i).addEvents((int) (due - added[i]));
                    added[i] = due;
                }
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
        return pacer;
    }

    /** Waits until no push device has anything cached and the bridge's checkpoint of every v3 device is at its newest. */
    private boolean awaitDrained(BridgeProcess bridge, V1Fleet push, List<V3DeviceSimulator> v3, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean pushDone = push == null || push.drained();
            boolean v3Done = v3Behind(bridge, v3) == 0;
            if (pushDone && v3Done) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** Waits until the reader has {@code expected} distinct events, or nothing new arrived for 15 s. */
    private static void awaitRead(EventsQueueReader reader, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = reader.received();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (reader.tally().distinct() >= expected) {
                Thread.sleep(3_000); // let a late duplicate show up
                return;
            }
            long now = reader.received();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(15)) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /** Events the v3 devices logged that the bridge has not stored yet (device newest - bridge checkpoint); -1 if unknown. */
    private long v3Behind(BridgeProcess bridge, List<V3DeviceSimulator> v3) {
        if (v3.isEmpty()) {
            return 0;
        }
        Map<String, Long> checkpoints = new HashMap<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(bridge.baseUrl() + "/api/devices"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode d : MAPPER.readTree(r.body())) {
                if ("v3".equals(d.path("generation").asText())) {
                    checkpoints.put(d.path("deviceId").asText(), d.path("gauges").path("v3.checkpoint").asLong(0));
                }
            }
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        long behind = 0;
        for (V3DeviceSimulator sim : v3) {
            behind += Math.max(0, sim.max() - checkpoints.getOrDefault(sim.deviceId(), 0L));
        }
        return behind;
    }

    private String metrics(BridgeProcess bridge) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(bridge.baseUrl() + "/observe/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** bridge.broker.id-cache-size of config/application.properties (what the bridge process reads), else 500000. */
    private static int shippedIdCacheSize() {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(Path.of("config", "application.properties"))) {
            p.load(in);
            return Integer.parseInt(p.getProperty("bridge.broker.id-cache-size", "500000").strip());
        } catch (IOException | NumberFormatException e) {
            return 500_000;
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** The figures of one interval line. */
    record Sample(int index, double elapsed, double seconds, long stored, long made, V1LatencyRecorder.Summary latency, long v3Behind,
                  long queueDepth, long oldGenBytes, long liveHeapBytes, double fullGcMillis, long youngGcs,
                  double youngGcMillis, long rssKib, long threads, long openFiles, double loadAverage) {

        long heapBytes(boolean forced) {
            return forced ? liveHeapBytes : oldGenBytes;
        }

        String toLine(boolean forced) {
            String heap = forced
                    ? String.format(Locale.ROOT, "live-heap=%.1fMiB (full GC %.0fms) old-gen-before=%.1fMiB",
                            liveHeapBytes / MIB, fullGcMillis, oldGenBytes / MIB)
                    : String.format(Locale.ROOT, "old-gen=%.1fMiB", oldGenBytes / MIB);
            return String.format(Locale.ROOT,
                    "interval=%d t=%.0fs stored=%d (%.0f/s) made=%d push-acks=%d p50=%.1fms p99=%.1fms max=%.1fms"
                            + " v3-behind=%d queue=%d %s young-gcs=%d (%.0fms) rss=%dMiB threads=%d open-files=%d load=%.1f",
                    index, elapsed, stored, stored / Math.max(1e-9, seconds), made, latency.count(),
                    latency.p50() / 1e6, latency.p99() / 1e6, latency.max() / 1e6, v3Behind, queueDepth, heap, youngGcs,
                    youngGcMillis, rssKib / 1024, threads, openFiles, loadAverage);
        }
    }

    /** Reads the figures of an interval from the fleet, the queue reader, the bridge's metrics and /proc. */
    private final class Sampler {
        private final BridgeProcess bridge;
        private final EventsQueueReader reader;
        private final V1Fleet push;
        private final V1Fleet ws;
        private final List<V3DeviceSimulator> v3;
        private long lastStored;
        private long lastMade;
        private double lastYoungCount;
        private double lastYoungSum;
        private double lastElapsed;

        Sampler(BridgeProcess bridge, EventsQueueReader reader, V1Fleet push, V1Fleet ws, List<V3DeviceSimulator> v3) {
            this.bridge = bridge;
            this.reader = reader;
            this.push = push;
            this.ws = ws;
            this.v3 = v3;
            this.lastStored = reader.received();
            this.lastMade = made();
            PrometheusText m = PrometheusText.parse(metrics(bridge));
            Map<String, String> young = Map.of("gc", "G1 Young Generation");
            this.lastYoungCount = orZero(m.sum("jvm_gc_pause_seconds_count", young));
            this.lastYoungSum = orZero(m.sum("jvm_gc_pause_seconds_sum", young));
        }

        private long made() {
            long n = 0;
            if (push != null) {
                n += push.stats().generated();
            }
            if (ws != null) {
                n += ws.stats().generated();
            }
            for (V3DeviceSimulator sim : v3) {
                n += sim.max();
            }
            return n;
        }

        Sample sample(int index, double elapsed, V1LatencyRecorder.Summary latency) throws Exception {
            long stored = reader.received();
            long made = made();
            long behind = v3Behind(bridge, v3);
            PrometheusText m = PrometheusText.parse(metrics(bridge));
            long oldGen = (long) orZero(m.sum("jvm_memory_used_bytes", Map.of("id", "G1 Old Gen")));
            long depth = (long) orZero(m.sum("bridge_events_queue_depth", Map.of("queue", "access.events.all")));
            Map<String, String> young = Map.of("gc", "G1 Young Generation");
            double youngCount = orZero(m.sum("jvm_gc_pause_seconds_count", young));
            double youngSum = orZero(m.sum("jvm_gc_pause_seconds_sum", young));
            long live = -1;
            double fullGcMillis = -1;
            if (forceGc) {
                long[] lf = forcedGc(m);
                live = lf[0];
                fullGcMillis = lf[1] / 1e3;
            }
            Map<String, Long> proc = V1WebSocketBenchmark.procStatus(bridge.pid());
            Sample s = new Sample(index, elapsed, elapsed - lastElapsed, stored - lastStored, made - lastMade, latency, behind, depth, oldGen,
                    live, fullGcMillis, (long) (youngCount - lastYoungCount), (youngSum - lastYoungSum) * 1e3,
                    proc.getOrDefault("VmRSS", -1L), proc.getOrDefault("Threads", -1L),
                    V1WebSocketBenchmark.openFiles(bridge.pid()), loadAverage());
            lastStored = stored;
            lastMade = made;
            lastYoungCount = youngCount;
            lastYoungSum = youngSum;
            lastElapsed = elapsed;
            return s;
        }

        /**
         * Forces a full GC ({@code jcmd GC.run}) and returns the live heap after it (bytes) and its pause
         * (microseconds, -1000 when unknown), read from the bridge's own meters once they show the GC.
         */
        private long[] forcedGc(PrometheusText before) throws Exception {
            // jcmd GC.run is cause "Diagnostic Command" on Java 17; any full GC shows as "end of major GC"
            Map<String, String> explicit = Map.of("action", "end of major GC");
            double count0 = orZero(before.sum("jvm_gc_pause_seconds_count", explicit));
            double sum0 = orZero(before.sum("jvm_gc_pause_seconds_sum", explicit));
            V1WebSocketBenchmark.jcmd(bridge.pid(), "GC.run");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                PrometheusText after = PrometheusText.parse(metrics(bridge));
                double count = orZero(after.sum("jvm_gc_pause_seconds_count", explicit));
                if (count > count0) {
                    Thread.sleep(100); // the same GC notification sets the live data size right after the pause
                    after = PrometheusText.parse(metrics(bridge));
                    double live = after.sum("jvm_gc_live_data_size_bytes");
                    double pause = orZero(after.sum("jvm_gc_pause_seconds_sum", explicit)) - sum0;
                    if (!Double.isNaN(live) && live > 0) {
                        return new long[] {(long) live, (long) (pause * 1e6)};
                    }
                }
                Thread.sleep(100);
            }
            // the meters did not show it: the heap in use now, from the JVM itself
            String info = V1WebSocketBenchmark.jcmd(bridge.pid(), "GC.heap_info");
            Matcher mt = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
            return new long[] {mt.find() ? Long.parseLong(mt.group(1)) * 1024 : -1, -1000};
        }
    }
}
