package io.accessbridge.simulator.v3;

import io.accessbridge.simulator.SelfSignedKeyStore;
import io.accessbridge.tls.DeviceTls;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs simulated legacy v3.x devices (spec 004) on loopback until stopped, for demos and load tests:
 * {@code java -cp 'target/access-event-bridge.jar:target/lib/*' io.accessbridge.simulator.v3.V3SimulatorMain
 * --devices 3 --events 5000 --port 18080 --report-url http://127.0.0.1:8080/v3/events --inventory-dir sim}.
 * Prints each device's address and, with {@code --inventory-dir}, writes a {@code devices.yaml} for the
 * bridge (token in a secret file beside it). With {@code --tls} the devices serve https with a
 * self-signed certificate generated at start (or {@code --tls-keystore}'s) and the inventory pins it.
 * A picocli command, so it can be mounted under the bridge CLI.
 */
@Command(name = "v3-sim", mixinStandardHelpOptions = true,
        description = "Simulated legacy v3.x devices (event-info, event-fetch, event-report) on loopback.")
public final class V3SimulatorMain implements Callable<Integer> {

    /** Devices to run. */
    @Option(names = "--devices", defaultValue = "1", description = "devices to run (default ${DEFAULT-VALUE})")
    int devices;

    /** Events each device holds at start. */
    @Option(names = "--events", defaultValue = "1000", description = "events each device holds at start (default ${DEFAULT-VALUE})")
    int events;

    /** Port of the first device; the others follow; 0 picks free ports. */
    @Option(names = "--port", defaultValue = "0", description = "port of the first device, the next ones follow; 0: any free port")
    int port;

    /** Where devices send event-report while online. */
    @Option(names = "--report-url", description = "event-report target, e.g. http://127.0.0.1:8080/v3/events (default: none)")
    URI reportUrl;

    /** Ring buffer capacity of each device. */
    @Option(names = "--capacity", defaultValue = "50000", description = "events a device keeps before overwriting (default ${DEFAULT-VALUE})")
    int capacity;

    /** New events per second per device while running. */
    @Option(names = "--rate", defaultValue = "0", description = "new events per second per device while running (default ${DEFAULT-VALUE})")
    double rate;

    /** The token the devices expect. */
    @Option(names = "--token", defaultValue = "sim-token", description = "token the devices expect (default ${DEFAULT-VALUE})")
    String token;

    /** API version path segment. */
    @Option(names = "--api-version", defaultValue = "v3.1", description = "API version path segment (default ${DEFAULT-VALUE})")
    String apiVersion;

    /** Prefix of the device ids. */
    @Option(names = "--id-prefix", defaultValue = "v3-sim", description = "device ids are <prefix>-<n> (default ${DEFAULT-VALUE})")
    String idPrefix;

    /** Directory to write an inventory and token file into. */
    @Option(names = "--inventory-dir", description = "write devices.yaml and the token file for the bridge here")
    Path inventoryDir;

    /** Serve https. */
    @Option(names = "--tls", description = "serve https: with --tls-keystore's key, else with a self-signed certificate "
            + "for localhost and 127.0.0.1 generated at start; the inventory written pins the certificate")
    boolean tls;

    /** PKCS12 keystore for https. */
    @Option(names = "--tls-keystore", description = "PKCS12 keystore (key and certificate) for https; implies --tls")
    Path tlsKeystore;

    /** Keystore password. */
    @Option(names = "--tls-password", defaultValue = "changeit", description = "keystore password (default ${DEFAULT-VALUE})")
    String tlsPassword;

    /** Running simulators; {@link #close()} stops them. */
    public static final class Running implements AutoCloseable {
        private final List<V3DeviceSimulator> simulators;
        private final ScheduledExecutorService ticker;

        Running(List<V3DeviceSimulator> simulators, ScheduledExecutorService ticker) {
            this.simulators = List.copyOf(simulators);
            this.ticker = ticker;
        }

        /** The simulators. */
        public List<V3DeviceSimulator> simulators() {
            return simulators;
        }

        @Override
        public void close() {
            if (ticker != null) {
                ticker.shutdownNow();
            }
            simulators.forEach(V3DeviceSimulator::close);
        }
    }

    /** Starts the devices and describes them on {@code out}. */
    public Running start(PrintStream out) throws IOException {
        if (devices <= 0 || events < 0 || capacity <= 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--devices and --capacity must be positive");
        }
        Path keyStore = keyStore(out);
        String pin = keyStore == null ? null : pinOf(keyStore);
        List<V3DeviceSimulator> sims = new ArrayList<>();
        try {
            for (int i = 1; i <= devices; i++) {
                V3DeviceSimulator sim = V3DeviceSimulator.builder().deviceId(idPrefix + "-" + i).token(token)
                        .apiVersion(apiVersion).capacity(capacity).port(port == 0 ? 0 : port + i - 1).seed(i)
                        .reportTarget(reportUrl).tls(keyStore, tlsPassword).start();
                sim.addEvents(events);
                sims.add(sim);
                out.printf("%s  %s  events %d..%d%n", sim.deviceId(), sim.endpoint(), sim.min(), sim.max());
            }
        } catch (IOException | RuntimeException e) {
            sims.forEach(V3DeviceSimulator::close);
            throw e;
        }
        if (inventoryDir != null) {
            Path file = writeInventory(sims, pin);
            out.println("inventory: " + file + " (bridge.devices.file)");
        }
        ScheduledExecutorService ticker = null;
        if (rate > 0) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "v3-sim-events");
                t.setDaemon(true);
                return t;
            });
            long periodMicros = Math.max(1, (long) (1_000_000 / rate));
            ticker.scheduleAtFixedRate(() -> sims.forEach(s -> s.addEvents(1)), periodMicros, periodMicros,
                    TimeUnit.MICROSECONDS);
        }
        return new Running(sims, ticker);
    }

    /** The keystore to serve https with: the given one, a generated one, or {@code null} for http. */
    private Path keyStore(PrintStream out) throws IOException {
        if (tlsKeystore != null) {
            return tlsKeystore;
        }
        if (!tls) {
            return null;
        }
        Path file = inventoryDir != null ? inventoryDir.resolve("v3-sim.p12")
                : Files.createTempFile("v3-sim", ".p12");
        SelfSignedKeyStore.generate(file, tlsPassword);
        out.println("self-signed certificate: " + file.toAbsolutePath());
        return file;
    }

    private String pinOf(Path keyStore) throws IOException {
        try {
            return DeviceTls.sha256(SelfSignedKeyStore.certificate(keyStore, tlsPassword));
        } catch (CertificateException e) {
            throw new IOException("cannot hash the certificate of " + keyStore, e);
        }
    }

    private Path writeInventory(List<V3DeviceSimulator> sims, String pin) throws IOException {
        Files.createDirectories(inventoryDir);
        Path tokenFile = inventoryDir.resolve("v3-sim.token").toAbsolutePath();
        Files.writeString(tokenFile, token + "\n", StandardCharsets.UTF_8);
        StringBuilder yaml = new StringBuilder("# simulated v3 devices (V3SimulatorMain)\ndevices:\n");
        for (V3DeviceSimulator sim : sims) {
            yaml.append("  - id: ").append(sim.deviceId()).append('\n')
                    .append("    generation: v3\n")
                    .append("    address: ").append(sim.baseUri()).append('\n')
                    .append("    token: {file: '").append(tokenFile).append("'}\n")
                    .append("    v3: {apiVersion: ").append(apiVersion).append(", pageSize: 100, intervalMs: 5000, firstContact: all}\n");
            if (pin != null) {
                yaml.append("    tls: {pinnedSha256: '").append(pin).append("'}\n");
            }
        }
        Path file = inventoryDir.resolve("devices.yaml");
        Files.writeString(file, yaml.toString(), StandardCharsets.UTF_8);
        return file;
    }

    @Override
    public Integer call() throws Exception {
        Running running = start(System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "v3-sim-shutdown"));
        System.out.println("running; Ctrl-C stops");
        stopped.await();
        return 0;
    }

    /** Command line entry. */
    public static void main(String... args) {
        System.exit(new CommandLine(new V3SimulatorMain()).execute(args));
    }
}
