package io.accessbridge.bench;

import io.accessbridge.BridgeApplication;
import io.accessbridge.simulator.v3.V3DeviceSimulator;
import io.accessbridge.status.DeviceStatusRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.camel.main.Main;

/**
 * Measures how long the real bridge takes to drain the backlog of simulated v3 devices into its
 * embedded broker: each device holds its events before the bridge starts, every device answers
 * only once the bridge is up, and the clock stops when every device's checkpoint reached its
 * newest event (a checkpoint moves only after the broker stored the page). The broker's queue
 * count is then checked against the number of events. Everything (simulators, bridge, broker)
 * runs in this one JVM, from the project directory (it reads {@code config/} and {@code routes/}).
 *
 * <pre>
 * java -cp 'target/access-event-bridge.jar:target/lib/*' io.accessbridge.bench.V3DrainBenchmark \
 *      [--page-size 100] [--max-concurrent-polls 4] [scenario ...]
 * </pre>
 * A scenario is {@code <devices>x<events>}; default {@code 1x50000 100x5000 1x50000} (the first run
 * pays for the JIT warming up, the last one does not).
 */
public final class V3DrainBenchmark {

    private V3DrainBenchmark() {
    }

    /** Runs the scenarios and prints one line per scenario. */
    public static void main(String... args) throws Exception {
        int pageSize = 100;
        int concurrent = 4;
        List<int[]> scenarios = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--page-size" -> pageSize = Integer.parseInt(args[++i]);
                case "--max-concurrent-polls" -> concurrent = Integer.parseInt(args[++i]);
                default -> {
                    String[] p = args[i].split("x");
                    scenarios.add(new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])});
                }
            }
        }
        if (scenarios.isEmpty()) {
            scenarios.add(new int[] {1, 50_000});
            scenarios.add(new int[] {100, 5_000});
            scenarios.add(new int[] {1, 50_000}); // again, with the JIT warmed up by the runs before
        }
        System.out.printf("v3 backlog drain: %d cores, page size %d, max concurrent polls %d, load average %.1f%n",
                Runtime.getRuntime().availableProcessors(), pageSize, concurrent,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int[] s : scenarios) {
            Result r = run(s[0], s[1], pageSize, concurrent);
            System.out.printf("%3d device(s) x %,6d events = %,7d events: %,6d ms, %,7.0f events/s, %,d in the broker"
                            + " (load average %.1f)%n", s[0], s[1], r.events, r.millis, r.events * 1000.0 / r.millis,
                    r.inBroker, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private record Result(long events, long millis, long inBroker) {
    }

    private static Result run(int devices, int events, int pageSize, int concurrent) throws Exception {
        Path dir = Files.createTempDirectory("v3-drain-");
        List<V3DeviceSimulator> sims = new ArrayList<>();
        Main bridge = null;
        try {
            for (int i = 1; i <= devices; i++) {
                V3DeviceSimulator sim = V3DeviceSimulator.builder().deviceId(String.format("bench-%03d", i))
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
            int brokerPort = freePort();
            Properties p = new Properties();
            p.setProperty("bridge.devices.file", inventory.toString());
            p.setProperty("bridge.http.host", "127.0.0.1");
            p.setProperty("bridge.http.port", String.valueOf(freePort()));
            p.setProperty("bridge.broker.port", String.valueOf(brokerPort));
            p.setProperty("bridge.broker.data-dir", dir.resolve("broker").toString());
            p.setProperty("bridge.images.dir", dir.resolve("images").toString());
            p.setProperty("bridge.checkpoint.dir", dir.resolve("checkpoints").toString());
            p.setProperty("bridge.v3.max-concurrent-polls", String.valueOf(concurrent));
            bridge = BridgeApplication.create(p);
            bridge.start();
            DeviceStatusRegistry status = bridge.getCamelContext().getRegistry()
                    .lookupByNameAndType("deviceStatus", DeviceStatusRegistry.class);

            long t0 = System.nanoTime();
            sims.forEach(V3DeviceSimulator::resumeReplies);
            while (!sims.stream().allMatch(s -> checkpoint(status, s.deviceId()) >= s.max())) {
                Thread.sleep(20);
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            long total = (long) devices * events;
            return new Result(total, millis, queueCount("tcp://127.0.0.1:" + brokerPort, "access.events.all"));
        } finally {
            if (bridge != null) {
                bridge.stop();
            }
            sims.forEach(V3DeviceSimulator::close);
            deleteTree(dir);
        }
    }

    private static long checkpoint(DeviceStatusRegistry status, String deviceId) {
        return status.status(deviceId).map(s -> s.gauges().getOrDefault("v3.checkpoint", 0L)).orElse(0L);
    }

    private static long queueCount(String url, String queue) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url);
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession()) {
            return session.queueQuery(SimpleString.of(queue)).getMessageCount();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
