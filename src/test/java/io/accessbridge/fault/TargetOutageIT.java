package io.accessbridge.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.canonical.CloudEventCodec;
import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1RecordGenerator;
import io.accessbridge.target.fakes.FakeHttpServer;
import io.accessbridge.target.fakes.WebhookReceiver;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.ExpectedIds;
import io.accessbridge.testing.FaultTally;
import io.accessbridge.testing.RunningBridge;
import jakarta.jms.Message;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delivery target down for minutes, not seconds. Two v1 devices push a few events a second into a bridge
 * whose webhook target (signed, every event kind) first works, then refuses connections for half of
 * {@code fault.target-outage} (nothing listens on its port), then answers every request 503 with
 * {@code Retry-After} for the other half (a proxy in front of the stopped application), then takes events
 * again. The bridge runs with retry settings an operator would choose (backoff from 1 s doubling up to 20 s,
 * half of each wait random, give up after 1 h) and the shipped circuit breaker settings.
 *
 * <p>During the outage, sampled from {@code /api/status} and {@code /observe/health/ready} every second: the
 * bridge stays ready, answers every device push 200, dead-letters nothing, holds the undelivered events in the
 * target's queue (its depth grows with what the devices push) and opens the target's circuit. Nothing hammers: the
 * attempts that reach the target's address (the bridge's count of failed attempts, refused connections and 503s
 * alike) and the redeliveries of the waiting event, those the open circuit refuses without a call included, stay
 * within what the backoff allows in that time (computed from the settings alone, every wait at its shortest); the
 * 503 answers stay within what {@code Retry-After} allows, and no request follows a 503 sooner than
 * {@code Retry-After} says. (The open circuit alone keeps the calls to the target few; only the backoff keeps the
 * redeliveries few too: with retries every 100-200 ms the same run counts some 400 of them.)
 *
 * <p>After the recovery every event acknowledged to a device reaches the target (distinct ids equal), the target's
 * queue drains to 0, its dead-letter queue stays empty, its circuit closes, and {@code access.events.all} holds each
 * event once. Two lines: {@code FAULT target-down-minutes} (broker: none lost, none duplicated) and
 * {@code FAULT target-down-minutes@webhook} (target: none lost; copies allowed, at-least-once, and reported).
 *
 * <p>The outage lasts {@code -Dfault.target-outage} (ISO-8601, default and minimum {@code PT2M}); the test is
 * bounded to the outage plus 4 minutes and by a 15-minute JUnit timeout, so up to about {@code PT10M} can be
 * run, alone (failsafe ends its forked JVM, which runs every IT, after 20 minutes: pom):
 * {@code mvn -B verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=TargetOutageIT
 * -Dfault.target-outage=PT10M}.
 */
class TargetOutageIT {

    private static final Duration SHORTEST_OUTAGE = Duration.ofMinutes(2);
    /** How long the target is down. */
    static final Duration OUTAGE = outage(System.getProperty("fault.target-outage", "PT2M"));
    private static final Duration BEYOND_OUTAGE = Duration.ofMinutes(4);

    private static final String TARGET = "webhook";
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Backoff RETRY = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(20), 0.5,
            Duration.ofHours(1));
    /**
     * Retry-After of the 503 phase: longer than the longest backoff and than the circuit breaker's open state, so
     * that only honouring it explains a gap that long after a 503.
     */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(40);
    private static final Duration CIRCUIT_OPEN_WAIT = Duration.ofSeconds(30);
    private static final Duration PUSH_EVERY = Duration.ofMillis(500);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);
    /** bridge.health.broker-cache-ms: queue depths in /api/status may be this old. */
    private static final Duration DEPTH_CACHE = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    /**
     * The retry settings of the scenario (bridge.targets.retry.*), and what they allow.
     *
     * @param initialDelay wait after the first failed attempt
     * @param multiplier   factor per further failure
     * @param maxDelay     longest wait
     * @param jitter       random share of each wait: a wait {@code d} is at least {@code d * (1 - jitter)}
     * @param giveUpAfter  time after which an event is dead-lettered
     */
    record Backoff(Duration initialDelay, double multiplier, Duration maxDelay, double jitter, Duration giveUpAfter) {

        Map<String, String> settings() {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("bridge.targets.retry.initial-delay", initialDelay.toMillis() + "ms");
            s.put("bridge.targets.retry.multiplier", Double.toString(multiplier));
            s.put("bridge.targets.retry.max-delay", maxDelay.toMillis() + "ms");
            s.put("bridge.targets.retry.jitter", Double.toString(jitter));
            s.put("bridge.targets.retry.give-up-after", giveUpAfter.toMillis() + "ms");
            return s;
        }

        /** The shortest wait these settings allow after {@code failures} failed attempts of one event. */
        Duration shortestWait(int failures) {
            double base = initialDelay.toMillis() * Math.pow(multiplier, failures - 1);
            return Duration.ofMillis((long) (Math.min(base, maxDelay.toMillis()) * (1 - jitter)));
        }

        /**
         * The most attempts one event can make within {@code window}: the first at its very start, each further one
         * after the shortest wait. Only one event is attempted at a time (one transacted consumer), and waits on the
         * open circuit breaker only make it fewer.
         */
        int mostAttemptsWithin(Duration window) {
            int attempts = 1;
            long elapsed = 0;
            while (true) {
                elapsed += shortestWait(attempts).toMillis();
                if (elapsed > window.toMillis()) {
                    return attempts;
                }
                attempts++;
            }
        }
    }

    /**
     * One look at the bridge during the outage.
     *
     * @param atNanos      when the look began
     * @param acknowledged records the devices had pushed and had answered 200 before the look
     * @param backlog      events in the target's queue ({@code null}: unknown)
     * @param deadLetters  events in the target's dead-letter queue ({@code null}: unknown)
     * @param deadLettered events the target's route moved there since the start
     * @param failed       failed delivery attempts since the start
     * @param circuit      the target's circuit breaker
     * @param readyStatus  HTTP status of {@code /observe/health/ready}
     * @param ready        its body
     */
    record Sample(long atNanos, long acknowledged, Long backlog, Long deadLetters, long deadLettered, long failed,
                  String circuit, int readyStatus, String ready) {

        boolean readyUp() {
            try {
                return readyStatus == 200 && "UP".equals(JSON.readTree(ready).path("status").asText());
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // a ceiling for long outages; the scenario bounds itself tighter
    void aWebhookTargetDownForMinutesGetsEveryEventAfterwardsWithNothingDeadLetteredAndNoHammering() {
        assertTimeoutPreemptively(OUTAGE.plus(BEYOND_OUTAGE), this::targetDownForMinutes,
                "the scenario took longer than the outage plus " + BEYOND_OUTAGE);
    }

    private void targetDownForMinutes() throws Exception {
        long started = System.nanoTime();
        Duration refused = OUTAGE.dividedBy(2);
        Duration unavailable = OUTAGE.minus(refused);
        int port = portNothingListensOn();

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bridge.target.webhook.enabled", "true");
        settings.put("bridge.target.webhook.url", "http://127.0.0.1:" + port + "/access-events");
        settings.put("bridge.target.webhook.secret", SECRET);
        settings.put("bridge.target.webhook.event-kinds", "*");
        settings.putAll(RETRY.settings());
        settings.put("camel.resilience4j.sliding-window-size", "10");
        settings.put("camel.resilience4j.minimum-number-of-calls", "5");
        settings.put("camel.resilience4j.failure-rate-threshold", "50");
        settings.put("camel.resilience4j.wait-duration-in-open-state", Long.toString(CIRCUIT_OPEN_WAIT.toSeconds()));

        try (FlakyTarget target = new FlakyTarget(port);
             RunningBridge bridge = RunningBridge.start(data, settings);
             V1DeviceSimulator gateIn = device("GATE-IN-01");
             V1DeviceSimulator gateOut = device("GATE-OUT-01")) {
            List<V1DeviceSimulator> devices = List.of(gateIn, gateOut);
            Observer observer = new Observer(bridge, devices);
            Redeliveries redeliveries = Redeliveries.on(bridge, "forward-" + TARGET);
            for (V1DeviceSimulator d : devices) {
                d.subscribe(bridge.pushUrl() + "/" + d.serialNumber(), true);
            }

            try (Pushing pushing = Pushing.start(devices, PUSH_EVERY)) {
                await().atMost(WAIT).until(() -> target.deliveredIds().size() >= 20);
                Sample before = observer.sample();
                long redeliveriesBefore = redeliveries.count();
                assertThat(before.deadLettered()).isZero();
                long outageStart = System.nanoTime();
                target.refuseConnections();
                List<Sample> samples = new ArrayList<>(observer.sampleUntil(outageStart + refused.toNanos()));
                target.answer503(RETRY_AFTER);
                long unavailableStart = System.nanoTime();
                samples.addAll(observer.sampleUntil(outageStart + OUTAGE.toNanos()));
                Sample last = observer.sample();
                samples.add(last);
                long retried = redeliveries.count() - redeliveriesBefore;
                long outageNanos = System.nanoTime() - outageStart;
                long unavailableNanos = System.nanoTime() - unavailableStart;
                target.recover();
                long recoveredAt = System.nanoTime();
                pushing.close();

                theBridgeStayedReadyAndDeadLetteredNothing(samples);
                theDevicesWereAnswered200Throughout(devices);
                theTargetsQueueHeldWhatCouldNotBeDelivered(samples, target.distinctDeliveredIds().size());
                assertThat(samples).as("the circuit breaker opened during the outage")
                        .anyMatch(s -> "OPEN".equals(s.circuit()));
                long attempts = last.failed() - before.failed();
                int attemptBound = RETRY.mostAttemptsWithin(Duration.ofNanos(outageNanos)) + 1;
                assertThat(attempts).as("attempts that reached the target's address in %s (at most %d)",
                        Duration.ofNanos(outageNanos), attemptBound).isBetween(5L, (long) attemptBound);
                // the circuit breaker alone would keep calls to the target few; only the backoff keeps the retries
                // it refuses (each one a redelivery of the event) this few as well
                assertThat(retried).as("redeliveries in %s, refused by the open circuit or not (at most %d)",
                        Duration.ofNanos(outageNanos), attemptBound).isBetween(attempts - 1, (long) attemptBound);

                Set<String> acknowledged = ExpectedIds.ofAcknowledged(devices);
                await().atMost(RETRY_AFTER.plus(RETRY.maxDelay()).plus(CIRCUIT_OPEN_WAIT).plus(WAIT))
                        .until(() -> target.distinctDeliveredIds().containsAll(acknowledged)
                                && Long.valueOf(0).equals(observer.sample().backlog()));
                long recoveredInNanos = System.nanoTime() - recoveredAt;
                int answered503 = target.retryAfterWasHonoured(RETRY_AFTER);
                int bound503 = (int) (unavailableNanos / RETRY_AFTER.toNanos()) + 2;
                assertThat(answered503).as("503 answers in %s with Retry-After %s (at most %d)",
                        Duration.ofNanos(unavailableNanos), RETRY_AFTER, bound503).isBetween(1, bound503);

                everyEventReachedTheTargetAndNothingIsLeftBehind(observer, target, acknowledged);
                long generated = devices.stream().mapToLong(d -> d.stats().generated()).sum();
                theBrokerHoldsEachEventOnce(bridge, devices, generated, acknowledged);
                FaultTally delivered = FaultTally.delivered("target-down-minutes@" + TARGET, generated, acknowledged,
                        target.deliveredIds());
                delivered.assertNoneLost();
                assertThat(delivered.unexpected()).as("only events the devices pushed reached the target").isEmpty();

                long maxBacklog = samples.stream().map(Sample::backlog).filter(b -> b != null)
                        .mapToLong(Long::longValue).max().orElse(-1);
                System.out.printf("OUTAGE target-down-minutes: outage=%s (refused %s, 503 %s) events=%d "
                                + "failed-attempts=%d redeliveries=%d (bound %d) 503-answers=%d (bound %d) max-backlog=%d "
                                + "circuit-open-seen=%s target-copies=%d drained-in=%ss wall=%ss%n",
                        OUTAGE, refused, unavailable, acknowledged.size(), attempts, retried, attemptBound, answered503,
                        bound503, maxBacklog, samples.stream().anyMatch(s -> "OPEN".equals(s.circuit())),
                        delivered.duplicated(), TimeUnit.NANOSECONDS.toSeconds(recoveredInNanos),
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            }
        }
    }

    private static void theBridgeStayedReadyAndDeadLetteredNothing(List<Sample> samples) {
        assertThat(samples).as("samples through the outage").hasSizeGreaterThan(10);
        assertThat(samples).as("ready throughout").allMatch(Sample::readyUp);
        assertThat(samples).as("nothing dead-lettered, give-up-after is %s", RETRY.giveUpAfter())
                .allMatch(s -> s.deadLettered() == 0 && Long.valueOf(0).equals(s.deadLetters()));
    }

    private static void theDevicesWereAnswered200Throughout(List<V1DeviceSimulator> devices) {
        await().atMost(WAIT).until(() -> devices.stream().allMatch(d -> d.cacheSize() == 0));
        for (V1DeviceSimulator d : devices) {
            assertThat(d.stats().retries()).as("pushes of %s not answered 200", d.serialNumber()).isZero();
            assertThat(d.stats().acknowledged()).as("every record of %s acknowledged", d.serialNumber())
                    .isEqualTo(d.stats().generated());
        }
    }

    /**
     * The queue's depth at the end (read from a cache up to {@link #DEPTH_CACHE} old) is at least what had been pushed
     * a little longer before, less what the target got (and the one event being retried).
     */
    private static void theTargetsQueueHeldWhatCouldNotBeDelivered(List<Sample> samples, int delivered) {
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        long cacheNanos = DEPTH_CACHE.plusSeconds(1).toNanos();
        Sample earlier = samples.stream().filter(s -> s.atNanos() <= last.atNanos() - cacheNanos)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(last.backlog()).as("depth of the target's queue at the end of the outage").isNotNull()
                .isGreaterThanOrEqualTo(earlier.acknowledged() - delivered - 1)
                .isGreaterThan(first.backlog() == null ? 0 : first.backlog());
    }

    private static void everyEventReachedTheTargetAndNothingIsLeftBehind(Observer observer, FlakyTarget target,
                                                                         Set<String> acknowledged) throws Exception {
        assertThat(target.distinctDeliveredIds()).as("distinct event ids at the target: those acknowledged to devices")
                .isEqualTo(acknowledged);
        Sample after = observer.sample();
        assertThat(after.backlog()).as("target queue drained").isZero();
        assertThat(after.deadLetters()).as("dead-letter queue").isZero();
        assertThat(after.deadLettered()).isZero();
        assertThat(after.circuit()).as("circuit breaker after the recovery").isEqualTo("CLOSED");
        assertThat(after.readyUp()).isTrue();
        JsonNode webhook = observer.targetStatus();
        assertThat(webhook.get("state").asText()).isEqualTo("OK");
        assertThat(webhook.get("retrying").asLong()).isZero();
        assertThat(webhook.get("delivered").asLong()).as("deliveries the bridge counted")
                .isGreaterThanOrEqualTo(acknowledged.size());
    }

    private static void theBrokerHoldsEachEventOnce(RunningBridge bridge, List<V1DeviceSimulator> devices,
                                                    long generated, Set<String> acknowledged) throws Exception {
        Set<String> serials = new HashSet<>();
        devices.forEach(d -> serials.add(d.serialNumber()));
        Predicate<Message> ours = m -> serials.contains(EventCollector.property(m, "deviceId"));
        try (EventCollector all = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
            await().atMost(WAIT).until(() -> all.distinct() >= acknowledged.size());
            AtomicInteger seen = new AtomicInteger(-1);
            await().during(Duration.ofSeconds(1)).atMost(WAIT)
                    .until(() -> seen.getAndSet(all.total()) == all.total());
            FaultTally.inBroker("target-down-minutes", generated, acknowledged, all.receivedIds(ours))
                    .assertNoneLostNoneDuplicated();
        }
    }

    private static V1DeviceSimulator device(String serial) {
        V1DeviceSimulator.Options options = V1DeviceSimulator.Options.defaults()
                .withServeApi(false)
                .withRetryBackoff(Duration.ofMillis(20), Duration.ofMillis(400))
                .withDuplicateProbability(0.1)
                .withGenerator(V1RecordGenerator.Options.defaults().withSeed((long) serial.hashCode())
                        .withPopulation(200, 20));
        return new V1DeviceSimulator(serial, options).start();
    }

    private static Duration outage(String text) {
        Duration d = Duration.parse(text);
        if (d.compareTo(SHORTEST_OUTAGE) < 0) {
            throw new IllegalArgumentException("fault.target-outage must be at least " + SHORTEST_OUTAGE + ", not " + d);
        }
        return d;
    }

    /**
     * A loopback port below the ephemeral range that nothing listens on, so that no outgoing connection of another
     * process takes it while the target is down and it can be bound again.
     */
    private static int portNothingListensOn() throws IOException {
        for (int i = 0; i < 100; i++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port between 20000 and 32000");
    }

    /**
     * The webhook endpoint on one port through the outage: up, then nothing listening (connection refused), then a
     * receiver answering 503 with {@code Retry-After}, then that receiver taking events again.
     */
    private static final class FlakyTarget implements AutoCloseable {
        private final int port;
        private final List<WebhookReceiver> lives = new ArrayList<>();
        private WebhookReceiver current;

        FlakyTarget(int port) {
            this.port = port;
            current = new WebhookReceiver(port, SECRET);
            lives.add(current);
        }

        void refuseConnections() {
            current.close();
            current = null;
        }

        void answer503(Duration retryAfter) {
            current = WebhookReceiver.unavailableOn(port, (int) retryAfter.toSeconds(), SECRET);
            lives.add(current);
        }

        void recover() {
            current.available();
        }

        /** The event id of every delivery the receivers accepted, each acceptance once. */
        List<String> deliveredIds() {
            List<String> ids = new ArrayList<>();
            for (WebhookReceiver r : lives) {
                for (WebhookReceiver.Delivery d : r.accepted()) {
                    ids.add(CloudEventCodec.deserialize(d.body()).getId());
                }
            }
            return ids;
        }

        Set<String> distinctDeliveredIds() {
            return new LinkedHashSet<>(deliveredIds());
        }

        /**
         * Checks that no request followed a 503 sooner than {@code retryAfter} (the bridge's wait starts after it
         * read the answer, so the gap between the two arrivals is at least that) and returns the number of 503s.
         */
        int retryAfterWasHonoured(Duration retryAfter) {
            WebhookReceiver r = lives.get(lives.size() - 1);
            List<Long> answered503 = r.unavailableAnswers();
            List<Long> arrivals = r.requests().stream().map(FakeHttpServer.Request::receivedAtNanos).sorted().toList();
            for (long at : answered503) {
                arrivals.stream().filter(t -> t > at).findFirst().ifPresent(next ->
                        assertThat(Duration.ofNanos(next - at)).as("wait after a 503 with Retry-After %s", retryAfter)
                                .isGreaterThanOrEqualTo(retryAfter.minusMillis(100)));
            }
            assertThat(arrivals.size()).as("a request after the last 503").isGreaterThan(answered503.size());
            return answered503.size();
        }

        @Override
        public void close() {
            if (current != null) {
                current.close();
            }
        }
    }

    /**
     * Counts Camel's redeliveries on one route: every attempt at an event after its first, whether the circuit
     * breaker let it through to the target or refused it.
     */
    private static final class Redeliveries extends EventNotifierSupport {
        private final String routeId;
        private final AtomicLong count = new AtomicLong();

        private Redeliveries(String routeId) {
            this.routeId = routeId;
        }

        static Redeliveries on(RunningBridge bridge, String routeId) {
            Redeliveries r = new Redeliveries(routeId);
            r.start();
            bridge.context().getManagementStrategy().addEventNotifier(r);
            return r;
        }

        long count() {
            return count.get();
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.ExchangeRedeliveryEvent;
        }

        @Override
        public void notify(CamelEvent event) {
            if (routeId.equals(((CamelEvent.ExchangeRedeliveryEvent) event).getExchange().getFromRouteId())) {
                count.incrementAndGet();
            }
        }
    }

    /** Devices making records at a steady pace, each pushed by its device as it comes. */
    private static final class Pushing implements AutoCloseable {
        private final ScheduledExecutorService timer;

        private Pushing(ScheduledExecutorService timer) {
            this.timer = timer;
        }

        static Pushing start(List<V1DeviceSimulator> devices, Duration every) {
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            timer.scheduleAtFixedRate(() -> devices.forEach(V1DeviceSimulator::emit), 0, every.toMillis(),
                    TimeUnit.MILLISECONDS);
            return new Pushing(timer);
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Reads the bridge's own view of the target and its readiness. */
    private static final class Observer {
        private final RunningBridge bridge;
        private final List<V1DeviceSimulator> devices;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Observer(RunningBridge bridge, List<V1DeviceSimulator> devices) {
            this.bridge = bridge;
            this.devices = devices;
        }

        /** Samples every {@link #SAMPLE_EVERY} until {@code endNanos}. */
        List<Sample> sampleUntil(long endNanos) throws Exception {
            List<Sample> samples = new ArrayList<>();
            while (System.nanoTime() < endNanos) {
                long next = System.nanoTime() + SAMPLE_EVERY.toNanos();
                samples.add(sample());
                long pause = Math.min(next, endNanos) - System.nanoTime();
                if (pause > 0) {
                    TimeUnit.NANOSECONDS.sleep(pause);
                }
            }
            return samples;
        }

        Sample sample() throws Exception {
            long at = System.nanoTime();
            long acknowledged = devices.stream().mapToLong(d -> d.stats().acknowledged()).sum();
            JsonNode t = targetStatus();
            HttpResponse<String> ready = get("/observe/health/ready");
            return new Sample(at, acknowledged, nullable(t.get("backlog")), nullable(t.get("deadLetters")),
                    t.get("deadLettered").asLong(), t.get("failed").asLong(), t.get("circuit").asText(),
                    ready.statusCode(), ready.body());
        }

        JsonNode targetStatus() throws Exception {
            HttpResponse<String> r = get("/api/status");
            assertThat(r.statusCode()).as("/api/status").isEqualTo(200);
            for (JsonNode t : JSON.readTree(r.body()).get("targets")) {
                if (TARGET.equals(t.get("name").asText())) {
                    return t;
                }
            }
            throw new AssertionError("no target " + TARGET + " in /api/status");
        }

        private HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(bridge.baseUrl() + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        private static Long nullable(JsonNode n) {
            return n == null || n.isNull() ? null : n.asLong();
        }
    }
}
