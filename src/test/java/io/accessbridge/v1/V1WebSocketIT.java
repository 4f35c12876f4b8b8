package io.accessbridge.v1;

import static io.accessbridge.v1.V1DeviceBridge.counter;
import static io.accessbridge.v1.V1DeviceBridge.device;
import static io.accessbridge.v1.V1DeviceBridge.reason;
import static io.accessbridge.v1.V1DeviceBridge.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1Record;
import io.accessbridge.simulator.v1.V1RecordGenerator;
import io.accessbridge.simulator.v1.V1SimRuntime;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.ExpectedIds;
import io.accessbridge.testing.FaultTally;
import io.accessbridge.testing.FreePorts;
import io.accessbridge.testing.RunningBridge;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge's WebSocket client and subscription keeper against simulated v1 devices over
 * loopback: one bridge, one simulated device per scenario, each test looking at its own device.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class V1WebSocketIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private V1SimRuntime runtime;
    private final List<V1DeviceSimulator> sims = new ArrayList<>();
    private final List<WebSocket> foreignClients = new ArrayList<>();
    private final HttpClient wsHttp = HttpClient.newHttpClient();
    private V1DeviceSimulator reboot;
    private V1DeviceSimulator stall;
    private V1DeviceSimulator storm;
    private V1DeviceSimulator busy;
    private V1DeviceSimulator drift;
    private RunningBridge bridge;
    private EventCollector events;

    @BeforeAll
    void start() throws Exception {
        runtime = V1SimRuntime.create();
        reboot = sim("DEV-REBOOT", V1DeviceSimulator.Options.defaults().withRebootDelay(Duration.ofMillis(500)));
        stall = sim("DEV-STALL", V1DeviceSimulator.Options.defaults());
        storm = sim("DEV-STORM", V1DeviceSimulator.Options.defaults());
        busy = sim("DEV-BUSY", V1DeviceSimulator.Options.defaults());
        drift = sim("DEV-DRIFT", V1DeviceSimulator.Options.defaults());
        // the busy device has its 3 clients before the bridge comes
        for (int i = 0; i < 3; i++) {
            foreignClients.add(foreignClient(busy));
        }
        Path inventory = V1DeviceBridge.inventory(dir, List.of(
                device("DEV-REBOOT", reboot.baseUri().toString(), true, true, ""),
                device("DEV-STALL", stall.baseUri().toString(), false, true, ""),
                device("DEV-STORM", storm.baseUri().toString(), false, true, ""),
                device("DEV-BUSY", busy.baseUri().toString(), false, true, ""),
                device("DEV-DRIFT", drift.baseUri().toString(), true, false, ""),
                device("DEV-DEAD", "http://127.0.0.1:" + FreePorts.next(), true, true, ""),
                device("DEV-FAR", "http://192.0.2.10:8090", true, false, "")));
        bridge = V1DeviceBridge.start(dir.resolve("data"), inventory, true,
                Map.of("bridge.v1.subscription.check-interval-ms", "1000"));
        events = EventCollector.consume(bridge.brokerUrl(), "access.events.all");
    }

    @AfterAll
    void stop() throws Exception {
        for (WebSocket ws : foreignClients) {
            ws.abort();
        }
        if (events != null) {
            events.close();
        }
        V1DeviceBridge.close(bridge);
        sims.forEach(V1DeviceSimulator::stop);
        runtime.close();
    }

    private V1DeviceSimulator sim(String serial, V1DeviceSimulator.Options options) {
        V1DeviceSimulator d = new V1DeviceSimulator(serial, options.withGenerator(V1RecordGenerator.Options.defaults()
                .withSeed((long) serial.hashCode()).withMix(V1RecordGenerator.Mix.only(V1RecordGenerator.Variant.FW002))),
                runtime).start();
        sims.add(d);
        return d;
    }

    private WebSocket foreignClient(V1DeviceSimulator d) throws Exception {
        return wsHttp.newWebSocketBuilder().buildAsync(d.wsUri(), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
    }

    private static Set<String> emit(V1DeviceSimulator sim, int n) {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            V1Record r = sim.emit().orElseThrow();
            ids.add(ExpectedIds.idOf(r.deviceSN(), r.key()));
        }
        return ids;
    }

    private static java.util.function.Predicate<jakarta.jms.Message> of(String deviceId) {
        return m -> deviceId.equals(EventCollector.property(m, "deviceId"));
    }

    private boolean subscribedToBridge(V1DeviceSimulator sim, String id) {
        String wanted = bridge.baseUrl() + "/v1/events/" + id;
        return sim.subscription().map(s -> s.eventDest().equals(wanted) && s.enabled()).orElse(false);
    }

    @Test
    void rebootedDeviceIsReconnectedResubscribedAndResumes() throws Exception {
        await().atMost(WAIT).until(() -> reboot.currentWsClients() == 1 && subscribedToBridge(reboot, "DEV-REBOOT"));
        assertThat(state(bridge, "DEV-REBOOT", "websocket")).isEqualTo("CONNECTED");
        await().atMost(WAIT).until(() -> state(bridge, "DEV-REBOOT", "subscription").equals("CONNECTED"));
        Set<String> before = emit(reboot, 5);
        await().atMost(WAIT).until(() -> events.ids().containsAll(before));
        long corrections = counter(bridge, "DEV-REBOOT", "subscription.corrections");

        reboot.reboot();
        assertThat(reboot.subscription()).as("a reboot loses the subscription").isEmpty();
        await().atMost(WAIT).until(() -> state(bridge, "DEV-REBOOT", "websocket").equals("DISCONNECTED"));

        await().atMost(WAIT).until(() -> reboot.isUp() && reboot.currentWsClients() == 1
                && subscribedToBridge(reboot, "DEV-REBOOT"));
        assertThat(state(bridge, "DEV-REBOOT", "websocket")).isEqualTo("CONNECTED");
        assertThat(counter(bridge, "DEV-REBOOT", "websocket.connects")).isEqualTo(2);
        assertThat(counter(bridge, "DEV-REBOOT", "subscription.corrections")).isEqualTo(corrections + 1);
        Set<String> after = emit(reboot, 5);
        await().atMost(WAIT).until(() -> events.ids().containsAll(after));
        assertThat(reboot.maxConcurrentWsClients()).isEqualTo(1);
        assertThat(V1DeviceBridge.status(bridge).get("DEV-REBOOT").get("eventsStored").asLong())
                .as("WebSocket and HTTP push copies of the 10 records").isGreaterThanOrEqualTo(10);

        // every record also came over HTTP push (the offline cache survives the reboot): all acknowledged, once each
        await().atMost(WAIT).until(() -> reboot.stats().acknowledged() >= 10 && reboot.cacheSize() == 0);
        Thread.sleep(300);
        Set<String> sent = new LinkedHashSet<>(before);
        sent.addAll(after);
        Set<String> acknowledged = new LinkedHashSet<>();
        reboot.acknowledgedKeys().forEach(k -> acknowledged.add(ExpectedIds.idOf("DEV-REBOOT", k)));
        assertThat(acknowledged).isEqualTo(sent);
        FaultTally.inBroker("device-reboot", sent.size(), acknowledged, events.receivedIds(of("DEV-REBOOT")))
                .assertNoneLostNoneDuplicated();
    }

    @Test
    void stalledDeviceIsDetectedAsHalfOpenAndReconnected() throws Exception {
        await().atMost(WAIT).until(() -> stall.currentWsClients() == 1
                && state(bridge, "DEV-STALL", "websocket").equals("CONNECTED"));

        stall.stall(true);
        await().atMost(WAIT).until(() -> state(bridge, "DEV-STALL", "websocket").equals("DISCONNECTED"));
        assertThat(reason(bridge, "DEV-STALL", "websocket")).contains("half-open");
        assertThat(counter(bridge, "DEV-STALL", "websocket.halfOpen")).isEqualTo(1);
        assertThat(stall.currentWsClients()).as("the stalled device still counts the dead link").isEqualTo(1);

        stall.stall(false);
        await().atMost(WAIT).until(() -> state(bridge, "DEV-STALL", "websocket").equals("CONNECTED")
                && stall.currentWsClients() == 1);
        assertThat(counter(bridge, "DEV-STALL", "websocket.connects")).isEqualTo(2);
        Set<String> after = emit(stall, 5);
        await().atMost(WAIT).until(() -> events.ids().containsAll(after));
        Thread.sleep(300);
        // WebSocket only: no acknowledgement; the bridge owes every record sent while connected
        FaultTally.inBroker("device-stall", after.size(), after, events.receivedIds(of("DEV-STALL")))
                .assertNoneLostNoneDuplicated();
    }

    @Test
    void reconnectStormsAndASlowHandshakeNeverOpenASecondConnection() throws Exception {
        await().atMost(WAIT).until(() -> storm.currentWsClients() == 1
                && state(bridge, "DEV-STORM", "websocket").equals("CONNECTED"));
        for (int i = 0; i < 10; i++) {
            storm.dropConnections();
            Thread.sleep(60);
        }
        await().atMost(WAIT).until(() -> storm.currentWsClients() == 1
                && state(bridge, "DEV-STORM", "websocket").equals("CONNECTED"));

        // slow handshake: the device takes the TCP connection but answers the upgrade only later;
        // meanwhile several reconnect delays (at most 400 ms) pass
        long upgradesBefore = storm.wsUpgradeAttempts();
        long attemptsBefore = counter(bridge, "DEV-STORM", "websocket.attempts");
        storm.dropConnections();
        storm.stall(true);
        await().atMost(WAIT).until(() -> state(bridge, "DEV-STORM", "websocket").equals("DISCONNECTED"));
        Thread.sleep(2_000);
        assertThat(storm.currentWsClients()).isZero();
        assertThat(counter(bridge, "DEV-STORM", "websocket.attempts") - attemptsBefore)
                .as("one attempt, waiting for its handshake").isEqualTo(1);
        storm.stall(false);
        await().atMost(WAIT).until(() -> storm.currentWsClients() == 1
                && state(bridge, "DEV-STORM", "websocket").equals("CONNECTED"));
        Thread.sleep(500);

        assertThat(storm.wsUpgradeAttempts() - upgradesBefore).as("one upgrade for the slow handshake").isEqualTo(1);
        assertThat(storm.maxConcurrentWsClients()).as("never two connections of the bridge").isEqualTo(1);
        assertThat(storm.currentWsClients()).isEqualTo(1);
        Set<String> after = emit(storm, 3);
        await().atMost(WAIT).until(() -> events.ids().containsAll(after));
        Thread.sleep(300);
        FaultTally.inBroker("device-reconnect-storm", after.size(), after,
                events.receivedIds(m -> after.contains(EventCollector.idOf(m)))).assertNoneLostNoneDuplicated();
    }

    @Test
    void restartedDeviceRouteClosesItsConnectionBeforeOpeningTheNext() throws Exception {
        await().atMost(WAIT).until(() -> storm.currentWsClients() == 1
                && state(bridge, "DEV-STORM", "websocket").equals("CONNECTED"));
        long connects = counter(bridge, "DEV-STORM", "websocket.connects");
        for (int i = 0; i < 3; i++) {
            bridge.context().getRouteController().stopRoute("device-DEV-STORM");
            assertThat(state(bridge, "DEV-STORM", "websocket")).isEqualTo("DISCONNECTED");
            assertThat(reason(bridge, "DEV-STORM", "websocket")).isEqualTo("stopped");
            bridge.context().getRouteController().startRoute("device-DEV-STORM");
            await().atMost(WAIT).until(() -> state(bridge, "DEV-STORM", "websocket").equals("CONNECTED"));
        }
        await().atMost(WAIT).until(() -> storm.currentWsClients() == 1);
        assertThat(counter(bridge, "DEV-STORM", "websocket.connects")).isEqualTo(connects + 3);
        assertThat(storm.maxConcurrentWsClients()).isEqualTo(1);
    }

    @Test
    void messageThatIsNotAV1EventGoesToQuarantineAndTheStreamGoesOn() throws Exception {
        await().atMost(WAIT).until(() -> storm.currentWsClients() == 1
                && state(bridge, "DEV-STORM", "websocket").equals("CONNECTED"));
        long quarantinedBefore = counter(bridge, "DEV-STORM", "websocket.quarantined");
        try (EventCollector quarantine = EventCollector.consume(bridge.brokerUrl(), "access.quarantine")) {
            storm.emit(new V1Record(V1RecordGenerator.Variant.FW002, 0, "bad", "{\"type\":7,\"data\":{}}",
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
            await().atMost(WAIT).until(() -> quarantine.total() >= 1);
            jakarta.jms.Message m = quarantine.messages().get(0);
            assertThat(m.getStringProperty("channel")).isEqualTo("websocket");
            assertThat(m.getStringProperty("quarantineReason")).contains("unknown event type 7");
            assertThat(m.getStringProperty("deviceId")).as("the connection's device").isEqualTo("DEV-STORM");
        }
        assertThat(counter(bridge, "DEV-STORM", "websocket.quarantined")).isEqualTo(quarantinedBefore + 1);
        Set<String> after = emit(storm, 2);
        await().atMost(WAIT).until(() -> events.ids().containsAll(after));
        assertThat(state(bridge, "DEV-STORM", "websocket")).isEqualTo("CONNECTED");
    }

    @Test
    void deviceAtItsClientLimitIsBackedOffThenJoinedAndAFourthClientIsRefused() throws Exception {
        await().atMost(WAIT).until(() -> state(bridge, "DEV-BUSY", "websocket").equals("FAILING"));
        assertThat(reason(bridge, "DEV-BUSY", "websocket")).contains("client limit").contains("503");
        assertThat(busy.stats().wsUpgradesRefused()).isGreaterThanOrEqualTo(1);

        foreignClients.remove(0).abort();
        await().atMost(WAIT).until(() -> state(bridge, "DEV-BUSY", "websocket").equals("CONNECTED")
                && busy.currentWsClients() == 3);

        Throwable fourth = catchThrowable(() -> foreignClient(busy));
        assertThat(fourth).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) fourth.getCause()).getResponse().statusCode()).isEqualTo(503);
        assertThat(counter(bridge, "DEV-BUSY", "websocket.connects")).as("the bridge holds one").isEqualTo(1);
        assertThat(busy.maxConcurrentWsClients()).isEqualTo(3);
        Set<String> ids = emit(busy, 3);
        await().atMost(WAIT).until(() -> events.ids().containsAll(ids));
    }

    @Test
    void subscriptionChangedBehindTheBridgesBackIsCorrected() {
        await().atMost(WAIT).until(() -> subscribedToBridge(drift, "DEV-DRIFT")
                && state(bridge, "DEV-DRIFT", "subscription").equals("CONNECTED"));
        long corrections = counter(bridge, "DEV-DRIFT", "subscription.corrections");

        drift.subscribe("http://203.0.113.7:9000/elsewhere", true);
        await().atMost(WAIT).until(() -> subscribedToBridge(drift, "DEV-DRIFT"));
        drift.subscribe(bridge.baseUrl() + "/v1/events/DEV-DRIFT", false);
        await().atMost(WAIT).until(() -> subscribedToBridge(drift, "DEV-DRIFT"));

        assertThat(counter(bridge, "DEV-DRIFT", "subscription.corrections")).isEqualTo(corrections + 2);
        assertThat(state(bridge, "DEV-DRIFT", "subscription")).isEqualTo("CONNECTED");
        // the corrected subscription delivers: a record pushed over HTTP reaches the broker
        Set<String> ids = emit(drift, 3);
        await().atMost(WAIT).until(() -> events.ids().containsAll(ids));
    }

    @Test
    void unreachableAndUnreachingDevicesAreShownAsSuch() {
        await().atMost(WAIT).until(() -> state(bridge, "DEV-DEAD", "websocket").equals("DISCONNECTED")
                && state(bridge, "DEV-DEAD", "subscription").equals("DISCONNECTED"));
        assertThat(reason(bridge, "DEV-DEAD", "websocket")).contains("refused");
        assertThat(reason(bridge, "DEV-DEAD", "subscription")).contains("unreachable");
        assertThat(counter(bridge, "DEV-DEAD", "websocket.attempts")).isGreaterThanOrEqualTo(2);

        await().atMost(WAIT).until(() -> state(bridge, "DEV-FAR", "subscription").equals("FAILING"));
        assertThat(reason(bridge, "DEV-FAR", "subscription")).contains("loopback");
        assertThat(counter(bridge, "DEV-FAR", "subscription.checks")).isZero();
    }
}
