package io.accessbridge.bench;

import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1Fleet;
import io.accessbridge.simulator.v1.V1LatencyRecorder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * v1 HTTP push end to end: starts the bridge as its own process (embedded broker, fresh data
 * directory), drives it with simulated devices over loopback, each device one record in flight
 * as real devices do, and prints events/s (device POST -> persistent in the broker -> 200), ack
 * latency percentiles, the number of events in the broker, and the bridge's peak memory. Meanwhile a
 * consumer reads {@code access.events.all} as a site's consumers do ({@code --events-queue}: or
 * nothing reads it, and the warm-up's events are removed before measuring or kept).
 *
 * <p>With {@code --bridge-url} it starts no bridge: it drives a bridge already running (on another
 * host, so that the load generator does not share the bridge's cores), counts the events added to
 * {@code access.events.all} of that bridge's broker during the run, reads the bridge's peak memory
 * from its {@code /observe/metrics}, and removes its baseline queue from the broker afterwards. The
 * events it sends are real events of that bridge, forwarded to its delivery targets, so it asks for
 * {@value #CONFIRM}.
 */
@Command(name = "v1-push", mixinStandardHelpOptions = true,
        description = "Benchmark v1 HTTP push end to end against a bridge process it starts, or against a running"
                + " bridge (--bridge-url).")
public final class V1PushBenchmark implements Callable<Integer> {

    /** The option that confirms a remote run's events may go wherever the bridge forwards events. */
    static final String CONFIRM = "--i-know-events-are-real";

    /** The address of canonical events, the bridge's default; a local run empties it of its warm-up. */
    static final String EVENTS_ADDRESS = "access.events";

    /** The events queue whose growth a run reports. */
    static final String EVENTS_QUEUE = "access.events.all";

    /** The queue the plain-JMS baseline sends to ({@link JmsBaseline}). */
    static final String BASELINE_QUEUE = "bench.baseline";

    private static final long MIB = 1024L * 1024L;

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
            + " -XX:StartFlightRecording=filename=bridge.jfr (repeatable); a collector, e.g. -XX:+UseZGC, replaces G1.")
    List<String> bridgeJavaOptions = new ArrayList<>();

    /** Warm-up records per device; null: {@link #warmupTotal} spread over the devices. */
    @Option(names = "--warmup", description = "Instead of --warmup-total: records per device sent before measuring.")
    Integer warmup;

    /** Warm-up records in all; null: {@value #LOCAL_WARMUP_TOTAL} for a bridge of our own, none for a running one. */
    @Option(names = "--warmup-total", description = "Records sent before measuring, spread over the devices (default: "
            + LOCAL_WARMUP_TOTAL + ", enough for a fresh bridge's JIT compiler to settle; with --bridge-url 0, as that"
            + " bridge is warm and these are real events).")
    Integer warmupTotal;

    /** The warm-up of a bridge process this benchmark starts: its JIT compiler settles after about 200,000 pushes. */
    static final int LOCAL_WARMUP_TOTAL = 200_000;

    /** What a local run does with the events the bridge stores in {@value #EVENTS_QUEUE}. */
    enum EventsQueue {
        /** A reader takes every event as it arrives, as a site's consumer does: the broker holds no backlog. */
        CONSUMED,
        /** Nothing reads the queue; the warm-up's events are removed before measuring, the measured ones stay. */
        REMOVED,
        /** Nothing reads the queue; every event stays, and beyond the broker's memory limit the broker pages. */
        KEPT
    }

    /** What a local run does with the stored events; null: {@link EventsQueue#CONSUMED}. */
    @Option(names = "--events-queue", description = "What a local run does with the events in " + EVENTS_QUEUE + ":"
            + " consumed: a reader takes each as it arrives, as a site's consumer does (default); removed: nothing reads"
            + " them, the warm-up's are removed before measuring; kept: nothing reads them and all stay, so that a"
            + " backlog beyond the broker's bridge.broker.global-max-size-mb pages to disk (a second fsync per event)."
            + " Not with --bridge-url: that bridge's events are its consumers'.")
    EventsQueue eventsQueue;

    /** Which load generator drives the bridge. */
    enum Load { LEAN, SIMULATOR }

    @Option(names = "--load", description = "lean: non-blocking generator (measures the bridge); simulator: the full"
            + " device simulator (JDK HTTP client, heavier) (default: ${DEFAULT-VALUE}).")
    Load load = Load.LEAN;

    @Option(names = "--baseline", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Also measure plain persistent JMS sends with the same concurrency (default: ${DEFAULT-VALUE}).")
    boolean baseline;

    /** The running bridge of a remote run; null: start a bridge process of our own. */
    @Option(names = "--bridge-url", paramLabel = "<http(s)://host:port>", description = "Drive this running bridge"
            + " instead of starting one (the load generator on another host); its events are real events, see "
            + CONFIRM + ".")
    String bridgeUrl;

    /** The core URL of the remote bridge's broker; null: the bridge's host, port 61616. */
    @Option(names = "--broker-url", paramLabel = "<tcp://host:61616>", description = "With --bridge-url: that bridge's"
            + " broker, for the event count and the baseline (default: the bridge's host, port 61616).")
    String brokerUrl;

    /** The broker user of a remote run; null: none. */
    @Option(names = "--broker-user", description = "With --bridge-url: broker user (default: none).")
    String brokerUser;

    /** The broker password of a remote run; never printed. */
    @Option(names = "--broker-password", defaultValue = "${env:BENCH_BROKER_PASSWORD}", description = "With"
            + " --bridge-url: broker password (default: the environment variable BENCH_BROKER_PASSWORD; never printed).")
    String brokerPassword;

    /** The confirmation that a remote run's events are real events of that bridge. */
    @Option(names = CONFIRM, description = "With --bridge-url: confirms that the pushed events are real events of that"
            + " bridge, stored in its broker for its consumers and forwarded by its delivery targets; use a staging"
            + " bridge or one with its forwarding off.")
    boolean confirmed;

    /**
     * A running bridge that a remote run drives: its base URL ({@code http(s)://host:port}), its broker's core URL
     * and broker user; the password is left out of {@link #toString()}.
     */
    record Remote(String bridgeUrl, String brokerUrl, String user, String password) {

        BrokerQueues broker() throws Exception {
            return BrokerQueues.open(brokerUrl, user, password);
        }

        @Override
        public String toString() {
            return "Remote[bridgeUrl=" + bridgeUrl + ", brokerUrl=" + brokerUrl + ", user=" + user + "]";
        }
    }

    /**
     * The device serial prefixes and record generator seeds of a run's warm-up and measured records. The broker
     * drops an event whose id it has stored before (duplicate detection), and the ids follow from the seeds and,
     * for records without a {@code uuid}, the serial; a run against a running bridge needs keys of its own.
     */
    record RunKeys(String warmupPrefix, long warmupSeed, String prefix, long seed) {

        /** A local run's keys, the same every time: each local run has a fresh broker. */
        static final RunKeys LOCAL = new RunKeys("WRM", 2, "SIM", 1);

        /**
         * Keys no earlier run against the same bridge used: serials {@code B<start time in base 36><run>W000001}
         * (warm-up) and {@code ...S000001}, seeds drawn from the start time and run.
         */
        static RunKeys unique(long epochMillis, int run) {
            String id = "B" + Long.toString(epochMillis, 36).toUpperCase(Locale.ROOT) + run;
            SplittableRandom seeds = new SplittableRandom(epochMillis * 1_000_003L + run);
            return new RunKeys(id + "W", seeds.nextLong(), id + "S", seeds.nextLong());
        }
    }

    /** What the load generator measured in the timed part of a run. */
    private record Measured(long acknowledged, double seconds, V1LatencyRecorder.Summary latency) {

        double rate() {
            return acknowledged / seconds;
        }
    }

    /** A remote run that must not start: the bridge or its broker is not there or not ready. */
    private static final class NotReady extends Exception {
        NotReady(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws Exception {
        checkWarmupOptions();
        Remote remote = remote();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "# v1 push benchmark on %d cores, Java %s%s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                remote == null ? ", bridge " + String.join(" ", bridgeJvm()) : "");
        if (remote != null) {
            out.printf(Locale.ROOT, "# remote: bridge %s, broker %s (the cores above are the load generator's)%n",
                    remote.bridgeUrl(), remote.brokerUrl());
            out.flush();
        }
        long started = System.currentTimeMillis();
        for (int i = 0; i < devices.size(); i++) {
            int n = devices.get(i);
            int perDevice = eventsTotal != null ? Math.max(1, eventsTotal / n) : records;
            if (remote == null) {
                out.println(run(n, perDevice));
            } else {
                try {
                    out.println(runRemote(remote, n, perDevice, RunKeys.unique(started, i + 1)));
                } catch (NotReady e) {
                    out.flush();
                    spec.commandLine().getErr().println("bench v1-push: " + e.getMessage());
                    spec.commandLine().getErr().flush();
                    return 1;
                }
            }
            out.flush();
        }
        return 0;
    }

    /**
     * The remote bridge of this invocation, or null for a local run (no {@code --bridge-url}).
     *
     * @throws ParameterException for options that do not go together, a malformed URL, or a remote run without
     *                            {@value #CONFIRM}
     */
    Remote remote() {
        CommandLine cl = spec.commandLine();
        ParseResult parsed = cl.getParseResult();
        if (bridgeUrl == null) {
            for (String option : List.of("--broker-url", "--broker-user", "--broker-password", CONFIRM)) {
                if (parsed.hasMatchedOption(option)) {
                    throw new ParameterException(cl, option + " goes with --bridge-url (a run against a running"
                            + " bridge); without --bridge-url bench v1-push starts a bridge and broker of its own");
                }
            }
            return null;
        }
        for (String option : List.of("--bridge-heap", "--bridge-java-option")) {
            if (parsed.hasMatchedOption(option)) {
                throw new ParameterException(cl, option + " sets up the bridge process that bench v1-push starts;"
                        + " with --bridge-url the bridge is already running: set its heap and JVM options where it is"
                        + " started");
            }
        }
        if (eventsQueue != null) {
            throw new ParameterException(cl, "--events-queue applies to the broker of a bridge that bench v1-push starts;"
                    + " with --bridge-url the events are that bridge's, read by its consumers and never removed");
        }
        URI bridge = bridgeUri(cl, bridgeUrl);
        String broker = brokerUrl != null ? checkedBrokerUrl(cl, brokerUrl) : "tcp://" + bridge.getHost() + ":61616";
        if (!confirmed) {
            throw new ParameterException(cl, "--bridge-url sends real events: every record pushed is stored in "
                    + EVENTS_QUEUE + " of that bridge's broker for its consumers and forwarded by its enabled delivery"
                    + " targets (ERPNext, Odoo, HTTP, CSV, webhooks) like a device's. Run it against a staging bridge,"
                    + " or one whose forwarding is off (bridge.target.<name>.enabled=false, no consumer of its own),"
                    + " and add " + CONFIRM + ".");
        }
        int port = bridge.getPort() != -1 ? bridge.getPort() : "https".equals(bridge.getScheme()) ? 443 : 80;
        return new Remote(bridge.getScheme() + "://" + bridge.getHost() + ":" + port, broker, brokerUser,
                brokerPassword);
    }

    private static URI bridgeUri(CommandLine cl, String value) {
        URI u;
        try {
            u = new URI(value);
        } catch (URISyntaxException e) {
            throw new ParameterException(cl, "--bridge-url " + value + " is not a URL: " + e.getMessage());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getUserInfo() != null
                || !(u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"))
                || u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new ParameterException(cl, "--bridge-url must be the bridge's base URL, http://host:port or"
                    + " https://host:port, without a path: " + value);
        }
        try {
            return new URI(scheme, null, u.getHost(), u.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new ParameterException(cl, "--bridge-url " + value + " is not a URL: " + e.getMessage());
        }
    }

    private static String checkedBrokerUrl(CommandLine cl, String value) {
        try {
            URI u = new URI(value);
            String query = u.getRawQuery() == null ? "" : "&" + u.getRawQuery().toLowerCase(Locale.ROOT);
            if (u.getRawUserInfo() != null || query.contains("&user=") || query.contains("&password=")) {
                throw new ParameterException(cl, "--broker-url must not carry credentials (they would be printed with"
                        + " it): give them as --broker-user and --broker-password or BENCH_BROKER_PASSWORD");
            }
            if ("tcp".equalsIgnoreCase(u.getScheme()) && u.getHost() != null && u.getPort() != -1) {
                return value;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new ParameterException(cl, "--broker-url must be the broker's core URL, tcp://host:port (parameters such"
                + " as ?sslEnabled=true may follow): " + value);
    }

    /** One run: a fresh bridge process, {@code n} devices, {@code perDevice} records each. */
    String run(int n, int perDevice) throws Exception {
        Path dir = Files.createTempDirectory("bench-v1-");
        Map<String, String> settings = BridgeProcess.benchSettings(dir);
        int brokerPort = Integer.parseInt(settings.get("bridge.broker.port"));
        List<String> jvm = bridgeJvm();
        try (BridgeProcess bridge = BridgeProcess.start(settings, dir.resolve("bridge.log"), jvm)) {
            return localRun(bridge, brokerPort, n, perDevice);
        } finally {
            BridgeProcess.deleteData(dir);
        }
    }

    /** The JVM options of the bridge process a local run starts. */
    List<String> bridgeJvm() {
        return BridgeProcess.jvmOptions(heap, bridgeJavaOptions);
    }

    /** The figures of one run against the bridge process this benchmark started; the baseline after it. */
    private String localRun(BridgeProcess bridge, int brokerPort, int n, int perDevice) throws Exception {
        String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
        EventsQueue mode = eventsQueue == null ? EventsQueue.CONSUMED : eventsQueue;
        long warmupEvents = (long) n * warmupPerDevice(n);
        Measured m;
        String stored;
        try (EventsQueueReader reader = mode == EventsQueue.CONSUMED ? new EventsQueueReader(brokerUrl, EVENTS_QUEUE)
                : null) {
            warmUp(bridge.baseUrl(), n, RunKeys.LOCAL);
            Cleared cleared = mode == EventsQueue.REMOVED ? clearWarmup(brokerUrl, bridge) : null;
            m = measure(bridge.baseUrl(), n, perDevice, RunKeys.LOCAL);
            if (reader != null) {
                reader.awaitReceived(warmupEvents + m.acknowledged(), READER_CATCH_UP);
                reader.close();
                stored = consumedInBroker(reader.received(), reader.tally().distinct(),
                        messageCount(brokerUrl, EVENTS_QUEUE), warmupEvents);
                if (reader.failure() != null) {
                    stored += " (the consumer stopped reading: " + reader.failure() + ")";
                }
            } else {
                stored = localInBroker(messageCount(brokerUrl, EVENTS_QUEUE), warmupEvents, cleared);
            }
        }
        String line = figures(n, m) + " " + stored + String.format(Locale.ROOT, " bridge-peak-rss=%dMiB load=%s",
                bridge.peakRssKib() / 1024, load.name().toLowerCase(Locale.ROOT));
        if (baseline) {
            boolean consumed = mode == EventsQueue.CONSUMED;
            line += baselineLine(n, m, localBaseline(brokerUrl, n, m, consumed), consumed);
        }
        return line;
    }

    /** The baseline against the local broker; with {@code consumed}, a reader takes its messages as they come too. */
    private static JmsBaseline.Result localBaseline(String brokerUrl, int n, Measured m, boolean consumed)
            throws Exception {
        if (!consumed) {
            return JmsBaseline.run(brokerUrl, n, baselineTotal(m), 1500);
        }
        try (BrokerQueues broker = BrokerQueues.open(brokerUrl, null, null)) {
            broker.ensureAnycastQueue(BASELINE_QUEUE);
        }
        try (EventsQueueReader reader = new EventsQueueReader(brokerUrl, BASELINE_QUEUE)) {
            return JmsBaseline.run(brokerUrl, n, baselineTotal(m), 1500);
        }
    }

    /** How long the reader of a consumed run may take, after the timed run, to read the events it has not yet read. */
    static final Duration READER_CATCH_UP = Duration.ofSeconds(60);

    /**
     * The events a consumed run stored: those the reader took ({@code read}, {@code distinct} ids among them) and
     * those it left in {@value #EVENTS_QUEUE}.
     */
    static String consumedInBroker(long read, long distinct, long left, long warmupEvents) {
        return String.format(Locale.ROOT, "in-broker=%d (read by a consumer as they came: %d, %d distinct ids; left in"
                + " the queue: %d%s)", read + left, read, distinct, left,
                warmupEvents == 0 ? "" : "; incl. " + warmupEvents + " warm-up");
    }

    /**
     * What clearing the warm-up did: the events removed from {@value #EVENTS_QUEUE}, whether the broker still paged
     * {@value #EVENTS_ADDRESS} when the timed run started, and how long the bridge took to go idle after the removal
     * (empty: still busy after {@link #IDLE_TIMEOUT}, or unknown).
     */
    record Cleared(long removed, boolean stillPaging, Optional<Duration> idleAfter) {
    }

    /** How long a removed run waits for the bridge to go idle after removing the warm-up. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Removes the warm-up events from {@value #EVENTS_QUEUE}, waits until the broker no longer pages its address and
     * the bridge is idle (the broker's journal compacts after a mass removal), so that the timed run starts without
     * a backlog and without the removal's aftermath sharing the cores.
     */
    private static Cleared clearWarmup(String brokerUrl, BridgeProcess bridge) throws Exception {
        try (BrokerQueues broker = BrokerQueues.open(brokerUrl, null, null)) {
            long removed = broker.removeAll(EVENTS_QUEUE, Duration.ofMinutes(5));
            boolean stillPaging = !broker.awaitNotPaging(EVENTS_ADDRESS, Duration.ofMinutes(2));
            return new Cleared(removed, stillPaging, bridge.awaitIdle(0.05, IDLE_TIMEOUT));
        }
    }

    /**
     * The events a run without a reader left in {@value #EVENTS_QUEUE}, and what became of the {@code warmupEvents}:
     * kept ({@code cleared} null) or removed before measuring.
     */
    static String localInBroker(long inBroker, long warmupEvents, Cleared cleared) {
        if (warmupEvents == 0) {
            return "in-broker=" + inBroker;
        }
        if (cleared == null) {
            return String.format(Locale.ROOT, "in-broker=%d (incl. %d warm-up)", inBroker, warmupEvents);
        }
        String idle = cleared.idleAfter().map(d -> String.format(Locale.ROOT, ", bridge idle %.1f s later",
                d.toMillis() / 1e3)).orElse(", bridge not idle " + IDLE_TIMEOUT.toSeconds() + " s later");
        return String.format(Locale.ROOT, "in-broker=%d (after %d warm-up events removed%s%s)", inBroker,
                cleared.removed(), idle, cleared.stillPaging() ? "; the broker still paged when measuring started" : "");
    }

    /**
     * One run against a running bridge: {@code n} devices, {@code perDevice} records each, serials and records of
     * {@code keys}; the events added to {@value #EVENTS_QUEUE} are counted before and after, the bridge's memory
     * sampled from its metrics during the run.
     */
    String runRemote(Remote remote, int n, int perDevice, RunKeys keys) throws Exception {
        checkReady(remote);
        BrokerQueues.Figures before = eventsFigures(remote);
        deleteBaselineQueue(remote, null);
        Measured m;
        BridgeMemorySampler sampler = BridgeMemorySampler.start(remote.bridgeUrl(), Duration.ofMillis(500));
        try {
            warmUp(remote.bridgeUrl(), n, keys);
            m = measure(remote.bridgeUrl(), n, perDevice, keys);
        } finally {
            sampler.close();
        }
        BrokerQueues.Figures after;
        try (BrokerQueues broker = remote.broker()) {
            after = broker.figures(EVENTS_QUEUE);
        }
        String line = figures(n, m) + " " + inBroker(before, after, (long) n * warmupPerDevice(n)) + " "
                + memory(sampler.peak()) + " load=" + load.name().toLowerCase(Locale.ROOT) + " serials="
                + keys.prefix() + "*";
        if (baseline) {
            line += remoteBaseline(remote, n, m);
        }
        return line;
    }

    private static void checkReady(Remote remote) throws NotReady, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        BridgeProcess.Readiness r;
        try {
            r = BridgeProcess.readiness(http, remote.bridgeUrl());
        } catch (IOException e) {
            throw new NotReady("the bridge at " + remote.bridgeUrl() + " does not answer " + "/observe/health/ready ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); nothing was sent");
        }
        if (!r.ready()) {
            String body = r.body().replaceAll("\\s+", " ").strip();
            throw new NotReady("the bridge at " + remote.bridgeUrl() + " is not ready: /observe/health/ready answered "
                    + r.status() + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body)
                    + "; nothing was sent");
        }
    }

    private static BrokerQueues.Figures eventsFigures(Remote remote) throws NotReady {
        try (BrokerQueues broker = remote.broker()) {
            return broker.figures(EVENTS_QUEUE);
        } catch (Exception e) {
            throw new NotReady("cannot read " + EVENTS_QUEUE + " on the broker " + remote.brokerUrl() + " ("
                    + e.getMessage() + "); check --broker-url, --broker-user and --broker-password; nothing was sent");
        }
    }

    /**
     * What a remote run stored, from the queue's figures before and after it: the difference of its
     * {@code messagesAdded} counter where management answers (exact whatever consumes the queue, though events
     * other devices send during the run count too), else of its message count, a lower bound while consumers
     * are attached.
     */
    static String inBroker(BrokerQueues.Figures before, BrokerQueues.Figures after, long warmupEvents) {
        if (!after.exists()) {
            return "in-broker=unknown (no queue " + EVENTS_QUEUE + " on the broker)";
        }
        if (before.messagesAdded().isPresent() && after.messagesAdded().isPresent()) {
            return String.format(Locale.ROOT, "in-broker=+%d (incl. %d warm-up; messages added to %s)",
                    after.messagesAdded().getAsLong() - before.messagesAdded().getAsLong(), warmupEvents, EVENTS_QUEUE);
        }
        long added = after.messageCount() - before.messageCount();
        int consumers = Math.max(before.consumerCount(), after.consumerCount());
        if (consumers == 0) {
            return String.format(Locale.ROOT, "in-broker=+%d (incl. %d warm-up; message count of %s, no consumer)",
                    added, warmupEvents, EVENTS_QUEUE);
        }
        return String.format(Locale.ROOT, "in-broker>=%+d (incl. %d warm-up; message count of %s with %d consumer(s)"
                + " attached: a lower bound)", added, warmupEvents, EVENTS_QUEUE, consumers);
    }

    /** The bridge's peak memory as its metrics reported it. */
    static String memory(BridgeMemorySampler.Peak p) {
        if (p.samples() == 0) {
            return "bridge-peak-heap=unknown (no sample of the bridge's /observe/metrics)";
        }
        String rss = p.rssBytes() < 0 ? "" : String.format(Locale.ROOT, " bridge-peak-rss=%dMiB", p.rssBytes() / MIB);
        return String.format(Locale.ROOT, "bridge-peak-heap=%dMiB bridge-peak-committed=%dMiB%s (as reported by the"
                        + " bridge: heap in use, heap + non-heap committed; %d samples)", p.heapUsedBytes() / MIB,
                p.committedBytes() / MIB, rss, p.samples());
    }

    /**
     * The baseline against the remote broker, then its queue deleted with every message in it (and a queue an
     * interrupted earlier run left), so the broker holds no baseline message afterwards.
     */
    private String remoteBaseline(Remote remote, int n, Measured m) throws Exception {
        JmsBaseline.Result b;
        try {
            b = JmsBaseline.run(remote.brokerUrl(), remote.user(), remote.password(), n, baselineTotal(m), 1500);
        } catch (Exception e) {
            deleteBaselineQueue(remote, e);
            throw e;
        }
        Deleted d = deleteBaselineQueue(remote, null);
        return baselineLine(n, m, b, false) + String.format(Locale.ROOT, "%n  %s deleted with its %d messages: %s",
                BASELINE_QUEUE, d.messages(), d.back() ? "the queue is back (something else sends to it)"
                        : "the broker holds no baseline message");
    }

    /** What deleting the baseline queue removed, and whether the queue exists again right after. */
    private record Deleted(long messages, boolean back) {
    }

    /**
     * Deletes the baseline queue with its messages (the one this run filled, or one an interrupted run left); a
     * failure is added to {@code cause} where the baseline itself failed, else thrown.
     */
    private static Deleted deleteBaselineQueue(Remote remote, Exception cause) {
        try (BrokerQueues broker = remote.broker()) {
            long deleted = broker.delete(BASELINE_QUEUE);
            return new Deleted(deleted, broker.figures(BASELINE_QUEUE).exists());
        } catch (Exception e) {
            IllegalStateException failed = new IllegalStateException("could not delete the queue " + BASELINE_QUEUE
                    + " on the broker " + remote.brokerUrl() + ": delete it by hand, it holds the baseline's messages", e);
            if (cause == null) {
                throw failed;
            }
            cause.addSuppressed(failed);
            return new Deleted(0, true);
        }
    }

    private static int baselineTotal(Measured m) {
        return (int) Math.min(m.acknowledged(), 20_000L);
    }

    private static String figures(int n, Measured m) {
        V1LatencyRecorder.Summary l = m.latency();
        return String.format(Locale.ROOT,
                "devices=%d events=%d seconds=%.2f rate=%.0f events/s ack p50=%.1fms p99=%.1fms p999=%.1fms max=%.1fms",
                n, m.acknowledged(), m.seconds(), m.rate(), l.p50() / 1e6, l.p99() / 1e6, l.p999() / 1e6, l.max() / 1e6);
    }

    private static String baselineLine(int n, Measured m, JmsBaseline.Result b, boolean consumed) {
        return String.format(Locale.ROOT, "%n  baseline plain persistent JMS, %d producers, 1 in flight each, 1.5 KB%s:"
                + " rate=%.0f msg/s p50=%.1fms p99=%.1fms -> bridge/baseline=%.2f", n,
                consumed ? ", read by a consumer as they came" : "", b.rate(), b.p50Millis(), b.p99Millis(),
                m.rate() / b.rate());
    }

    /** Refuses {@code --warmup} together with {@code --warmup-total} (they say the same thing two ways), and negatives. */
    void checkWarmupOptions() {
        CommandLine cl = spec.commandLine();
        if (warmup != null && warmupTotal != null) {
            throw new ParameterException(cl, "give either --warmup (records per device) or --warmup-total (records in"
                    + " all), not both");
        }
        if ((warmup != null && warmup < 0) || (warmupTotal != null && warmupTotal < 0)) {
            throw new ParameterException(cl, "--warmup and --warmup-total count records: 0 or more");
        }
    }

    /**
     * Warm-up records per device of a run with {@code n} devices: {@code --warmup}, else {@code --warmup-total / n} (at
     * least one each), else {@value #LOCAL_WARMUP_TOTAL}{@code / n} for a bridge of our own and none for a running one.
     */
    int warmupPerDevice(int n) {
        if (warmup != null) {
            return warmup;
        }
        int total = warmupTotal != null ? warmupTotal : bridgeUrl == null ? LOCAL_WARMUP_TOTAL : 0;
        return total <= 0 ? 0 : Math.max(1, total / n);
    }

    /** The warm-up records of {@code n} devices, if any, pushed to the bridge at {@code baseUrl}. */
    private void warmUp(String baseUrl, int n, RunKeys keys) throws Exception {
        int warm = warmupPerDevice(n);
        if (warm > 0) {
            push(baseUrl + "/v1/events", n, warm, keys.warmupPrefix(), keys.warmupSeed());
        }
    }

    /** The timed run: {@code n} devices push {@code perDevice} records each to the bridge at {@code baseUrl}. */
    private Measured measure(String baseUrl, int n, int perDevice, RunKeys keys) throws Exception {
        String pushBase = baseUrl + "/v1/events";
        if (load == Load.LEAN) {
            V1PushLoad.Result r = V1PushLoad.run(pushBase, n, perDevice, keys.prefix(), keys.seed());
            return new Measured(r.acknowledged(), r.seconds(), r.latency());
        }
        try (V1Fleet fleet = fleet(n, perDevice, keys.prefix(), baseUrl)) {
            long start = System.nanoTime();
            await(fleet, Duration.ofMinutes(15));
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Measured(fleet.stats().acknowledged(), seconds, fleet.stats().ackLatency());
        }
    }

    private void push(String pushBase, int n, int perDevice, String prefix, long seed) throws Exception {
        if (load == Load.LEAN) {
            V1PushLoad.run(pushBase, n, perDevice, prefix, seed);
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
        try (BrokerQueues broker = BrokerQueues.open(url, null, null)) {
            return broker.messageCount(queue);
        }
    }
}
