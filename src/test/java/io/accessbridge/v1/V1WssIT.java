package io.accessbridge.v1;

import static io.accessbridge.v1.V1DeviceBridge.device;
import static io.accessbridge.v1.V1DeviceBridge.reason;
import static io.accessbridge.v1.V1DeviceBridge.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.simulator.SelfSignedKeyStore;
import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1Record;
import io.accessbridge.simulator.v1.V1RecordGenerator;
import io.accessbridge.simulator.v1.V1SimRuntime;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.ExpectedIds;
import io.accessbridge.testing.RunningBridge;
import io.accessbridge.tls.DeviceTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * wss and https to devices with self-signed certificates: accepted only through the inventory's
 * truststore or pinned fingerprint, with host names checked unless turned off; a certificate the
 * bridge was not told to trust is refused before any WebSocket upgrade or API call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class V1WssIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private V1SimRuntime runtime;
    private final List<V1DeviceSimulator> sims = new ArrayList<>();
    private V1DeviceSimulator store;
    private V1DeviceSimulator pinned;
    private V1DeviceSimulator wrongPin;
    private V1DeviceSimulator otherStore;
    private V1DeviceSimulator wrongHost;
    private V1DeviceSimulator noHostCheck;
    private RunningBridge bridge;
    private EventCollector events;

    @BeforeAll
    void start() throws Exception {
        runtime = V1SimRuntime.create();
        Path pw = Files.writeString(dir.resolve("truststore.pw"), "changeit\n");
        SelfSignedKeyStore.Generated storeCert = SelfSignedKeyStore.generate(dir.resolve("store.p12"), "k1");
        SelfSignedKeyStore.Generated pinCert = SelfSignedKeyStore.generate(dir.resolve("pin.p12"), "k2");
        SelfSignedKeyStore.Generated stranger = SelfSignedKeyStore.generate(dir.resolve("stranger.p12"), "k3");
        SelfSignedKeyStore.Generated elsewhere = SelfSignedKeyStore.generate(dir.resolve("elsewhere.p12"), "k4",
                "device.example", List.of("device.example"), List.of(), Duration.ofDays(30));
        SelfSignedKeyStore.Generated elsewhere2 = SelfSignedKeyStore.generate(dir.resolve("elsewhere2.p12"), "k5",
                "device.example", List.of("device.example"), List.of(), Duration.ofDays(30));

        store = sim("WSS-STORE", storeCert);
        pinned = sim("WSS-PIN", pinCert);
        wrongPin = sim("WSS-WRONGPIN", pinCert);
        otherStore = sim("WSS-NOTRUST", storeCert);
        wrongHost = sim("WSS-WRONGHOST", elsewhere);
        noHostCheck = sim("WSS-NOHOSTCHECK", elsewhere2);

        String pwRef = "truststorePassword: {file: '" + pw + "'}";
        Path inventory = V1DeviceBridge.inventory(dir, List.of(
                device("WSS-STORE", store.baseUri().toString(), true, true,
                        "tls: {truststore: '" + storeCert.writeTrustStore(dir.resolve("store-trust.p12"), "changeit")
                                + "', " + pwRef + "}"),
                device("WSS-PIN", pinned.baseUri().toString(), false, true,
                        "tls: {pinnedSha256: '" + colons(DeviceTls.sha256(pinCert.certificate())) + "'}"),
                device("WSS-WRONGPIN", wrongPin.baseUri().toString(), false, true,
                        "tls: {pinnedSha256: '" + DeviceTls.sha256(stranger.certificate()) + "'}"),
                device("WSS-NOTRUST", otherStore.baseUri().toString(), true, true,
                        "tls: {truststore: '" + stranger.writeTrustStore(dir.resolve("stranger-trust.p12"), "changeit")
                                + "', " + pwRef + "}"),
                device("WSS-WRONGHOST", wrongHost.baseUri().toString(), false, true,
                        "tls: {truststore: '" + elsewhere.writeTrustStore(dir.resolve("elsewhere-trust.p12"), "changeit")
                                + "', " + pwRef + "}"),
                device("WSS-NOHOSTCHECK", noHostCheck.baseUri().toString(), false, true,
                        "tls: {pinnedSha256: '" + DeviceTls.sha256(elsewhere2.certificate())
                                + "', verifyHostname: false}")));
        bridge = V1DeviceBridge.start(dir.resolve("data"), inventory, true, Map.of());
        events = EventCollector.consume(bridge.brokerUrl(), "access.events.all");
    }

    @AfterAll
    void stop() throws Exception {
        if (events != null) {
            events.close();
        }
        V1DeviceBridge.close(bridge);
        sims.forEach(V1DeviceSimulator::stop);
        runtime.close();
    }

    private V1DeviceSimulator sim(String serial, SelfSignedKeyStore.Generated keyStore) {
        V1DeviceSimulator d = new V1DeviceSimulator(serial, V1DeviceSimulator.Options.defaults()
                .withTls(keyStore.path(), keyStore.password())
                .withGenerator(V1RecordGenerator.Options.defaults().withSeed((long) serial.hashCode())
                        .withMix(V1RecordGenerator.Mix.only(V1RecordGenerator.Variant.FW002))), runtime).start();
        sims.add(d);
        return d;
    }

    private static String colons(String hex) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            sb.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    private Set<String> emitAndAwait(V1DeviceSimulator sim) {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < 3; i++) {
            V1Record r = sim.emit().orElseThrow();
            ids.add(ExpectedIds.idOf(r.deviceSN(), r.key()));
        }
        await().atMost(WAIT).until(() -> events.ids().containsAll(ids));
        return ids;
    }

    @Test
    void certificateTrustedThroughTheTruststoreIsAcceptedForWssAndHttps() {
        await().atMost(WAIT).until(() -> state(bridge, "WSS-STORE", "websocket").equals("CONNECTED")
                && state(bridge, "WSS-STORE", "subscription").equals("CONNECTED"));
        assertThat(store.wsUri().getScheme()).isEqualTo("wss");
        assertThat(store.currentWsClients()).isEqualTo(1);
        assertThat(store.subscription()).hasValueSatisfying(s ->
                assertThat(s.eventDest()).isEqualTo(bridge.baseUrl() + "/v1/events/WSS-STORE"));
        emitAndAwait(store);
    }

    @Test
    void reconnectedWebSocketTriggersASubscriptionCheckThatCorrectsIt() {
        await().atMost(WAIT).until(() -> state(bridge, "WSS-STORE", "websocket").equals("CONNECTED")
                && state(bridge, "WSS-STORE", "subscription").equals("CONNECTED"));
        long checks = V1DeviceBridge.counter(bridge, "WSS-STORE", "subscription.checks");
        long connects = V1DeviceBridge.counter(bridge, "WSS-STORE", "websocket.connects");
        store.subscribe("https://203.0.113.9/elsewhere", true);

        // the scheduled check is a minute away: only the reconnect can correct it now
        store.dropConnections();
        await().atMost(WAIT).until(() -> store.subscription().map(s -> s.eventDest()
                .equals(bridge.baseUrl() + "/v1/events/WSS-STORE")).orElse(false));
        assertThat(V1DeviceBridge.counter(bridge, "WSS-STORE", "websocket.connects")).isEqualTo(connects + 1);
        assertThat(V1DeviceBridge.counter(bridge, "WSS-STORE", "subscription.checks")).isEqualTo(checks + 1);
    }

    @Test
    void pinnedCertificateIsAcceptedWithHostNameCheck() {
        await().atMost(WAIT).until(() -> state(bridge, "WSS-PIN", "websocket").equals("CONNECTED"));
        assertThat(pinned.currentWsClients()).isEqualTo(1);
        emitAndAwait(pinned);
    }

    @Test
    void certificatesTheBridgeWasNotToldToTrustAreRefusedBeforeAnyUpgrade() {
        await().atMost(WAIT).until(() -> state(bridge, "WSS-WRONGPIN", "websocket").equals("FAILING")
                && state(bridge, "WSS-NOTRUST", "websocket").equals("FAILING")
                && state(bridge, "WSS-NOTRUST", "subscription").equals("DISCONNECTED"));
        assertThat(reason(bridge, "WSS-WRONGPIN", "websocket")).contains("TLS").contains("pinned");
        assertThat(reason(bridge, "WSS-NOTRUST", "websocket")).contains("TLS");
        assertThat(reason(bridge, "WSS-NOTRUST", "subscription")).contains("TLS");
        for (V1DeviceSimulator d : List.of(wrongPin, otherStore)) {
            assertThat(d.wsUpgradeAttempts()).as(d.serialNumber()).isZero();
            assertThat(d.maxConcurrentWsClients()).as(d.serialNumber()).isZero();
        }
        assertThat(otherStore.stats().subscribeReads()).isZero();
        assertThat(otherStore.subscription()).isEmpty();
    }

    @Test
    void hostNameIsCheckedUnlessTurnedOff() {
        await().atMost(WAIT).until(() -> state(bridge, "WSS-WRONGHOST", "websocket").equals("FAILING")
                && state(bridge, "WSS-NOHOSTCHECK", "websocket").equals("CONNECTED"));
        assertThat(reason(bridge, "WSS-WRONGHOST", "websocket")).contains("TLS");
        assertThat(wrongHost.wsUpgradeAttempts()).isZero();
        assertThat(noHostCheck.currentWsClients()).isEqualTo(1);
        emitAndAwait(noHostCheck);
    }
}
