package io.accessbridge.bench;

import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1Fleet;
import io.accessbridge.simulator.v1.V1LatencyRecorder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * v1 HTTP push end to end: starts the bridge as its own process (embedded broker, fresh data
 * directory), drives it with simulated devices over loopback, each device one record in flight
 * as real devices do, and prints events/s (device POST -> persistent in the broker -> 200), ack
 * latency percentiles, the number of events in the broker, and the bridge's peak memory.
 */
@Command(name = "v1-push", mixinStandardHelpOptions = true,
        description = "Benchmark v1 HTTP push end to end against a bridge process it starts.")
public final class V1PushBenchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--devices", split = ",", description = "Device counts to run, one run each (default: ${DEFAULT-VALUE}).")
    List<Integer> devices = new ArrayList<>(List.of(10, 100));

    @Option(names = "--records", description = "Records per device per run (default: ${DEFAULT-VALUE}).")
    int records = 300;

    @Option(names = "--events-total", description = "Instead of --records: records per run, spread over the devices.")
    Integer eventsTotal;

    @Option(names = "--bridge-heap", description = "Maximum heap of the bridge process (default: ${DEFAULT-VALUE}).")
    String heap = "1g";

    @Option(names = "--bridge-java-option", description = "Extra JVM option of the bridge process, e.g."
            + " -XX:StartFlightRecording=filename=bridge.jfr (repeatable).")
    List<String> bridgeJavaOptions = new ArrayList<>();

    @Option(names = "--warmup", description = "Records per device sent before measuring (default: ${DEFAULT-VALUE}).")
    int warmup = 50;

    /** Which load generator drives the bridge. */
    enum Load { LEAN, SIMULATOR }

    @Option(names = "--load", description = "lean: non-blocking generator (measures the bridge); simulator: the full"
            + " device simulator (JDK HTTP client, heavier) (default: ${DEFAULT-VALUE}).")
    Load load = Load.LEAN;

    @Option(names = "--baseline", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Also measure plain persistent JMS sends with the same concurrency (default: ${DEFAULT-VALUE}).")
    boolean baseline;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "# v1 push benchmark on %d cores, Java %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        for (int n : devices) {
            int perDevice = eventsTotal != null ? Math.max(1, eventsTotal / n) : records;
            out.println(run(n, perDevice));
            out.flush();
        }
        return 0;
    }

    /** One run: a fresh bridge process, {@code n} devices, {@code perDevice} records each. */
    String run(int n, int perDevice) throws Exception {
        Path dir = Files.createTempDirectory("bench-v1-");
        Map<String, String> settings = BridgeProcess.benchSettings(dir);
        int brokerPort = Integer.parseInt(settings.get("bridge.broker.port"));
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseG1GC"));
        jvm.addAll(bridgeJavaOptions);
        try (BridgeProcess bridge = BridgeProcess.start(settings, dir.resolve("bridge.log"), jvm)) {
            String pushBase = bridge.baseUrl() + "/v1/events";
            long acknowledged;
            double seconds;
            V1LatencyRecorder.Summary l;
            if (warmup > 0) {
                push(pushBase, n, warmup, "WRM");
            }
            if (load == Load.LEAN) {
                V1PushLoad.Result r = V1PushLoad.run(pushBase, n, perDevice, "SIM", 1);
                acknowledged = r.acknowledged();
                seconds = r.seconds();
                l = r.latency();
            } else {
                try (V1Fleet fleet = fleet(n, perDevice, "SIM", bridge.baseUrl())) {
                    long start = System.nanoTime();
                    await(fleet, Duration.ofMinutes(15));
                    seconds = (System.nanoTime() - start) / 1e9;
                    acknowledged = fleet.stats().acknowledged();
                    l = fleet.stats().ackLatency();
                }
            }
            long inBroker = messageCount("tcp://127.0.0.1:" + brokerPort, "access.events.all");
            double rate = acknowledged / seconds;
            String line = String.format(Locale.ROOT,
                    "devices=%d events=%d seconds=%.2f rate=%.0f events/s ack p50=%.1fms p99=%.1fms p999=%.1fms"
                            + " max=%.1fms in-broker=%d (incl. %d warm-up) bridge-peak-rss=%dMiB load=%s",
                    n, acknowledged, seconds, rate,
                    l.p50() / 1e6, l.p99() / 1e6, l.p999() / 1e6, l.max() / 1e6, inBroker, (long) n * warmup,
                    bridge.peakRssKib() / 1024, load.name().toLowerCase(Locale.ROOT));
            if (baseline) {
                JmsBaseline.Result b = JmsBaseline.run("tcp://127.0.0.1:" + brokerPort, n,
                        (int) Math.min(acknowledged, 20_000L), 1500);
                line += String.format(Locale.ROOT, "%n  baseline plain persistent JMS, %d producers, 1 in flight each, 1.5 KB:"
                        + " rate=%.0f msg/s p50=%.1fms p99=%.1fms -> bridge/baseline=%.2f",
                        n, b.rate(), b.p50Millis(), b.p99Millis(), rate / b.rate());
            }
            return line;
        }
    }

    private void push(String pushBase, int n, int perDevice, String prefix) throws Exception {
        if (load == Load.LEAN) {
            V1PushLoad.run(pushBase, n, perDevice, prefix, 2);
        } else {
            try (V1Fleet fleet = fleet(n, perDevice, prefix, pushBase.substring(0, pushBase.indexOf("/v1/events")))) {
                await(fleet, Duration.ofMinutes(5));
            }
        }
    }

    private static V1Fleet fleet(int n, int perDevice, String prefix, String baseUrl) {
        V1DeviceSimulator.Options device = V1DeviceSimulator.Options.defaults().withServeApi(false)
                .withRetryBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
                .withOfflineCacheCapacity(Math.max(50_000, perDevice));
        V1Fleet fleet = new V1Fleet(V1Fleet.Options.of(n).withSerialPrefix(prefix).withSeed((long) prefix.hashCode())
                .withLoad(0, perDevice).withDevice(device)).start();
        fleet.subscribeAll(baseUrl + "/v1/events/" + V1Fleet.SN_PLACEHOLDER, true);
        fleet.startGenerating();
        return fleet;
    }

    private static void await(V1Fleet fleet, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(fleet.generationDone() && fleet.drained())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fleet not drained within " + timeout + ": " + fleet.stats().toLine());
            }
            Thread.sleep(20);
        }
    }

    static long messageCount(String url, String queue) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url);
             ClientSessionFactory f = locator.createSessionFactory();
             ClientSession s = f.createSession()) {
            return s.queueQuery(SimpleString.of(queue)).getMessageCount();
        }
    }
}
