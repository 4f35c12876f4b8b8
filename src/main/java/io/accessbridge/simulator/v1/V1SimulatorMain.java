package io.accessbridge.simulator.v1;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a fleet of simulated v1 devices against a push URL for a while and prints statistics.
 * Usable on its own ({@link #main}) or as the bridge CLI's {@code simulate} subcommand.
 * Exit code 0 when every generated record was acknowledged or dropped from a full cache, 2 when
 * records were still waiting when the drain timeout ran out.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate v1 access-control terminals pushing events to a receiver.")
public final class V1SimulatorMain implements Callable<Integer> {

    /** Number of devices. */
    @Option(names = "--devices", defaultValue = "10", description = "Number of devices (default ${DEFAULT-VALUE}).")
    int devices;

    /** Push URL template. */
    @Option(names = "--push-url", description = "Receiver URL; {sn} is replaced by each device's serial number. "
            + "Without it devices do not push (WebSocket only, with --serve).")
    String pushUrl;

    /** Records per second per device. */
    @Option(names = "--rate", defaultValue = "1", description = "Records per second per device; 0 sends --count at once (default ${DEFAULT-VALUE}).")
    double rate;

    /** Records per device. */
    @Option(names = "--count", defaultValue = "0", description = "Records per device, 0 for no limit (default ${DEFAULT-VALUE}).")
    long count;

    /** How long to generate. */
    @Option(names = "--duration", defaultValue = "PT60S", description = "How long to generate, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration duration;

    /** How long to wait for caches to drain. */
    @Option(names = "--drain-timeout", defaultValue = "PT30S", description = "How long to wait for offline caches to drain (default ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    /** Statistics interval. */
    @Option(names = "--report-every", defaultValue = "PT5S", description = "Statistics interval (default ${DEFAULT-VALUE}).")
    Duration reportEvery;

    /** Random seed. */
    @Option(names = "--seed", description = "Random seed for reproducible records.")
    Long seed;

    /** Variant mix. */
    @Option(names = "--mix", defaultValue = "fw000:0.1,fw001:0.1,fw002:0.75,alarm:0.05",
            description = "Variant weights (default ${DEFAULT-VALUE}).")
    String mix;

    /** Image probability. */
    @Option(names = "--image-probability", defaultValue = "0.3", description = "Share of records with a face image (default ${DEFAULT-VALUE}).")
    double imageProbability;

    /** Deliberate duplicate probability. */
    @Option(names = "--duplicate-probability", defaultValue = "0", description = "Probability of re-sending an acknowledged record (default ${DEFAULT-VALUE}).")
    double duplicateProbability;

    /** Offline cache capacity. */
    @Option(names = "--cache-capacity", defaultValue = "50000", description = "Offline cache capacity per device (default ${DEFAULT-VALUE}).")
    int cacheCapacity;

    /** First retry backoff. */
    @Option(names = "--retry-backoff", defaultValue = "PT1S", description = "First retry delay (default ${DEFAULT-VALUE}).")
    Duration retryBackoff;

    /** Longest retry backoff. */
    @Option(names = "--max-retry-backoff", defaultValue = "PT30S", description = "Longest retry delay (default ${DEFAULT-VALUE}).")
    Duration maxRetryBackoff;

    /** Push reply timeout. */
    @Option(names = "--push-timeout", defaultValue = "PT10S", description = "Push reply timeout (default ${DEFAULT-VALUE}).")
    Duration pushTimeout;

    /** Whether to run each device's HTTP API / WebSocket server. */
    @Option(names = "--serve", description = "Run each device's HTTP API and WebSocket server (one port each).")
    boolean serve;

    /** Bind address of device servers. */
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Bind address of device servers (default ${DEFAULT-VALUE}).")
    String host;

    /** PKCS12 keystore for https/wss. */
    @Option(names = "--tls-keystore", description = "PKCS12 keystore for https/wss device servers.")
    Path tlsKeystore;

    /** Keystore password. */
    @Option(names = "--tls-password", defaultValue = "changeit", description = "Keystore password.")
    String tlsPassword;

    /** Serial number prefix. */
    @Option(names = "--serial-prefix", defaultValue = "SIM", description = "Serial number prefix (default ${DEFAULT-VALUE}).")
    String serialPrefix;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command and exits with its code. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new V1SimulatorMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        V1RecordGenerator.Options gen = V1RecordGenerator.Options.defaults()
                .withMix(V1RecordGenerator.Mix.parse(mix))
                .withImageProbability(imageProbability);
        V1DeviceSimulator.Options dev = V1DeviceSimulator.Options.defaults()
                .withAddress(host, 0)
                .withServeApi(serve)
                .withOfflineCacheCapacity(cacheCapacity)
                .withRetryBackoff(retryBackoff, maxRetryBackoff)
                .withPushTimeout(pushTimeout)
                .withDuplicateProbability(duplicateProbability)
                .withTls(tlsKeystore, tlsKeystore == null ? null : tlsPassword)
                .withGenerator(gen);
        V1Fleet.Options fleetOptions = V1Fleet.Options.of(devices)
                .withSerialPrefix(serialPrefix)
                .withSeed(seed)
                .withLoad(rate, count)
                .withDevice(dev);
        try (V1Fleet fleet = new V1Fleet(fleetOptions)) {
            fleet.start();
            if (serve) {
                for (V1DeviceSimulator d : fleet.devices()) {
                    out.printf("%s %s%n", d.serialNumber(), d.baseUri());
                }
            }
            if (pushUrl != null) {
                fleet.subscribeAll(pushUrl, true);
            }
            out.printf("simulating %d devices for %s%n", devices, duration);
            out.flush();
            fleet.startGenerating();
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end && !fleet.generationDone()) {
                sleepUntil(Math.min(end, System.nanoTime() + reportEvery.toNanos()));
                out.println(fleet.stats().toLine());
                out.flush();
            }
            fleet.stopGenerating();
            boolean drained = pushUrl == null || fleet.drained();
            long drainEnd = System.nanoTime() + drainTimeout.toNanos();
            while (!drained && System.nanoTime() < drainEnd) {
                sleepUntil(Math.min(drainEnd, System.nanoTime() + 200_000_000L));
                drained = fleet.drained();
            }
            out.println("final " + fleet.stats().toLine());
            out.flush();
            return drained ? 0 : 2;
        }
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
        }
    }
}
