package io.accessbridge.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The bridge as its own operating-system process ({@code java io.accessbridge.BridgeMain}), so a
 * test can kill it with SIGKILL ({@code kill -9}) and start it again on the same data.
 */
public final class BridgeProcess implements AutoCloseable {

    private static final int FIRST_PORT = 15_000;
    private static final int PORTS = 32_768 - FIRST_PORT;
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(
            (int) Math.floorMod(ProcessHandle.current().pid() * 7919L + System.nanoTime(), PORTS));

    private final Process process;
    private final String baseUrl;

    private BridgeProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /**
     * The settings of a benchmark's bridge: HTTP and broker on free loopback ports, {@code bridge.public-url}
     * to match, broker journal, images and checkpoints under {@code dir}. Mutable, for the benchmark's own.
     */
    public static Map<String, String> benchSettings(Path dir) throws IOException {
        int httpPort = freePort();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bridge.http.port", String.valueOf(httpPort));
        settings.put("bridge.http.host", "127.0.0.1");
        settings.put("bridge.public-url", "http://127.0.0.1:" + httpPort);
        settings.put("bridge.broker.port", String.valueOf(freePort()));
        settings.put("bridge.broker.data-dir", dir.resolve("broker").toString());
        settings.put("bridge.images.dir", dir.resolve("images").toString());
        settings.put("bridge.checkpoint.dir", dir.resolve("checkpoints").toString());
        return settings;
    }

    /**
     * JVM options the bridge is launched with by the distribution's {@code bin/access-event-bridge} and the
     * container image as well, so that a benchmark measures the bridge as it runs at a site.
     * {@code -XX:MaxTenuringThreshold=1}: what survives one young collection in the bridge is long-lived (the
     * broker's duplicate-id cache and journal records); G1's default copied it between survivor spaces up to
     * 15 times, and at 100 devices that copying was most of each pause (30 MiB, 25-50 ms every second).
     */
    public static final List<String> LAUNCH_OPTIONS = List.of("-XX:MaxTenuringThreshold=1");

    /**
     * The JVM options of a benchmark's bridge: {@code -Xmx<heap> -XX:+UseG1GC} and {@link #LAUNCH_OPTIONS};
     * a mutable list, for more.
     */
    public static List<String> jvmOptions(String heap) {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseG1GC"));
        options.addAll(LAUNCH_OPTIONS);
        return options;
    }

    /**
     * {@link #jvmOptions(String)} followed by {@code extra} (a benchmark's {@code --bridge-java-option}); a collector
     * among them ({@code -XX:+Use<name>GC}) replaces G1 instead of conflicting with it. A mutable list.
     */
    public static List<String> jvmOptions(String heap, List<String> extra) {
        List<String> options = jvmOptions(heap);
        if (extra.stream().anyMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
            options.remove("-XX:+UseG1GC");
        }
        options.addAll(extra);
        return options;
    }

    /**
     * Deletes what a benchmark's bridge stored under {@code dir} ({@link #benchSettings}: broker journal and paging,
     * images, checkpoints), keeping its log for reading afterwards: a benchmark's backlog is hundreds of MiB.
     */
    public static void deleteData(Path dir) {
        for (String stored : List.of("broker", "images", "checkpoints")) {
            deleteTree(dir.resolve(stored));
        }
    }

    /**
     * Deletes {@code dir} and everything under it, if it exists ({@code null}: nothing). A failure is reported on
     * standard error, not thrown: it runs after the figures (or a test's checks) are taken, and must not hide them or
     * an earlier failure.
     */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path f : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            System.err.println("could not delete the benchmark's data " + dir + " (" + e + "); delete it by hand");
        }
    }

    /**
     * A TCP port nothing listens on, for a server started a moment later: one of 15000-32767, below the
     * range the kernel picks the local ports of outgoing connections from (Linux: 32768-60999), so that
     * no connection opened in that moment takes it. A port of that range ({@code new ServerSocket(0)}),
     * once failed a test run with "Address already in use". Ports are handed out in turn, from a start
     * that differs between processes, and never twice by one process while others are left.
     */
    public static int freePort() throws IOException {
        for (int tried = 0; tried < PORTS; tried++) {
            int port = FIRST_PORT + Math.floorMod(NEXT_PORT.getAndIncrement(), PORTS);
            try (ServerSocket s = new ServerSocket(port)) {
                return port;
            } catch (IOException inUse) {
                // taken: the next one
            }
        }
        throw new IOException("no free TCP port in " + FIRST_PORT + "-" + (FIRST_PORT + PORTS - 1));
    }

    /**
     * Starts a bridge with these settings, {@code -Xmx512m} and {@link #LAUNCH_OPTIONS}, and waits until it is ready.
     * Its output goes to {@code log}.
     */
    public static BridgeProcess start(Map<String, String> settings, Path log) throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
        jvm.addAll(LAUNCH_OPTIONS);
        return start(settings, log, jvm);
    }

    /**
     * Starts a bridge on this JVM's class path (the packaged jar, or the test class path) with
     * {@code jvmOptions} and {@code settings} as {@code -D} options, in the current directory (so
     * it reads {@code config/} and {@code routes/}), and waits until it is ready.
     */
    public static BridgeProcess start(Map<String, String> settings, Path log, List<String> jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.accessbridge.BridgeMain");
        Process p = new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BridgeProcess bridge = new BridgeProcess(p, "http://127.0.0.1:" + settings.get("bridge.http.port"));
        try {
            bridge.awaitReady(Duration.ofSeconds(60), log);
        } catch (Exception | Error e) {
            p.destroyForcibly();
            p.waitFor();
            throw e;
        }
        return bridge;
    }

    private void awaitReady(Duration timeout, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("bridge process exited with " + process.exitValue() + " before it was"
                        + " ready; its log: " + log + " (a benchmark runs in the bridge's directory, with config/ and"
                        + " routes/)");
            }
            try {
                if (readiness(http, baseUrl).ready()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("bridge not ready within " + timeout + "; its log: " + log);
    }

    /** What a bridge's {@code /observe/health/ready} answered: its HTTP status and body. */
    public record Readiness(int status, String body) {

        /** {@code 200} with {@code UP}: every route and consumer is up and the broker can store events. */
        public boolean ready() {
            return status == 200 && body.contains("UP");
        }
    }

    /** Asks the bridge at {@code baseUrl} whether it is ready (2 s timeout); IOException when nothing answers. */
    public static Readiness readiness(HttpClient http, String baseUrl) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        return new Readiness(r.statusCode(), r.body());
    }

    /** SIGKILL: no shutdown hook, no graceful stop, exactly like a power cut of the process. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** The base URL of the bridge's HTTP server. */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Waits until the process is idle: less than {@code maxCores} of a core's CPU time over one second (background
     * work such as the broker's journal compaction after a mass removal done), at most {@code timeout}; returns how
     * long it waited, or empty when it was still busy then or the platform does not report the process' CPU time.
     */
    public Optional<Duration> awaitIdle(double maxCores, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        Optional<Duration> cpu = process.toHandle().info().totalCpuDuration();
        while (cpu.isPresent() && System.nanoTime() - start < timeout.toNanos()) {
            long sampled = System.nanoTime();
            Thread.sleep(1_000);
            Optional<Duration> now = process.toHandle().info().totalCpuDuration();
            if (now.isEmpty()) {
                return Optional.empty();
            }
            double cores = (double) now.get().minus(cpu.get()).toNanos() / (System.nanoTime() - sampled);
            if (cores < maxCores) {
                return Optional.of(Duration.ofNanos(System.nanoTime() - start));
            }
            cpu = now;
        }
        return Optional.empty();
    }

    /** Peak resident memory of the process so far, in KiB (Linux {@code VmHWM}); -1 where unknown. */
    public long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
