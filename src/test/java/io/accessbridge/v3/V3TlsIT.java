package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.canonical.EventIds;
import io.accessbridge.simulator.SelfSignedKeyStore;
import io.accessbridge.simulator.v3.V3DeviceSimulator;
import io.accessbridge.status.DeviceState;
import io.accessbridge.status.DeviceStatus;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.LogCapture;
import io.accessbridge.testing.RunningBridge;
import io.accessbridge.testing.V3Bridge;
import io.accessbridge.testing.V3Inventory;
import io.accessbridge.tls.DeviceTls;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Legacy v3 devices over https, each with the self-signed certificate of a simulator on loopback,
 * polled by a real bridge with its embedded broker: a device is polled only when its certificate is
 * the one the inventory pins or holds in a truststore, host names are checked unless
 * {@code verifyHostname: false}, a refused device shows why in its status and log line (named by its
 * id, never its token), and an {@code event-report}'s gap is backfilled over the device's https client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class V3TlsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int EVENTS = 25;
    private static final String PINNED = "tls-pin";
    private static final String WRONG_PIN = "tls-wrongpin";
    private static final String STORE = "tls-store";
    private static final String WRONG_HOST = "tls-wronghost";
    private static final String NO_HOST_CHECK = "tls-nohostcheck";
    private static final String PLAIN = "plain-http";

    @TempDir
    static Path dir;

    private final List<V3DeviceSimulator> sims = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private LogCapture logs;
    private V3DeviceSimulator pinned;
    private V3DeviceSimulator wrongPin;
    private V3DeviceSimulator store;
    private V3DeviceSimulator wrongHost;
    private V3DeviceSimulator noHostCheck;
    private V3DeviceSimulator plain;
    private RunningBridge bridge;
    private V3Bridge v3;
    private EventCollector all;

    @BeforeAll
    void start() throws Exception {
        logs = LogCapture.start();
        SelfSignedKeyStore.Generated pinCert = SelfSignedKeyStore.generate(dir.resolve("pin.p12"), "k1");
        SelfSignedKeyStore.Generated storeCert = SelfSignedKeyStore.generate(dir.resolve("store.p12"), "k2");
        SelfSignedKeyStore.Generated stranger = SelfSignedKeyStore.generate(dir.resolve("stranger.p12"), "k3");
        SelfSignedKeyStore.Generated elsewhere = SelfSignedKeyStore.generate(dir.resolve("elsewhere.p12"), "k4",
                "device.example", List.of("device.example"), List.of(), Duration.ofDays(30));
        SelfSignedKeyStore.Generated elsewhere2 = SelfSignedKeyStore.generate(dir.resolve("elsewhere2.p12"), "k5",
                "device.example", List.of("device.example"), List.of(), Duration.ofDays(30));

        pinned = sim(PINNED, pinCert);
        wrongPin = sim(WRONG_PIN, pinCert);
        store = sim(STORE, storeCert);
        wrongHost = sim(WRONG_HOST, elsewhere);
        noHostCheck = sim(NO_HOST_CHECK, elsewhere2);
        plain = sim(PLAIN, null);

        Path pw = Files.writeString(dir.resolve("truststore.pw"), "changeit\n");
        String pwRef = "truststorePassword: {file: '" + pw + "'}";
        // a long interval: after the first poll, a device is polled again only after a failure or an event-report
        long interval = 600_000;
        Path inventory = V3Inventory.write(dir.resolve("config"), List.of(
                new V3Inventory.Entry(pinned, 10, interval, "all")
                        .withTls("{pinnedSha256: '" + DeviceTls.sha256(pinCert.certificate()) + "'}"),
                new V3Inventory.Entry(wrongPin, 10, interval, "all")
                        .withTls("{pinnedSha256: '" + DeviceTls.sha256(stranger.certificate()) + "'}"),
                new V3Inventory.Entry(store, 10, interval, "all")
                        .withTls("{truststore: '" + storeCert.writeTrustStore(dir.resolve("store-trust.p12"), "changeit")
                                + "', " + pwRef + "}"),
                new V3Inventory.Entry(wrongHost, 10, interval, "all")
                        .withTls("{truststore: '" + elsewhere.writeTrustStore(dir.resolve("elsewhere-trust.p12"),
                                "changeit") + "', " + pwRef + "}"),
                new V3Inventory.Entry(noHostCheck, 10, interval, "all")
                        .withTls("{pinnedSha256: '" + DeviceTls.sha256(elsewhere2.certificate())
                                + "', verifyHostname: false}"),
                new V3Inventory.Entry(plain, 10, interval, "all")));
        bridge = RunningBridge.start(dir.resolve("data"), Map.of("bridge.devices.file", inventory.toString(),
                "bridge.v3.backoff.initial-ms", "100", "bridge.v3.backoff.max-ms", "500"));
        v3 = new V3Bridge(bridge);
        all = EventCollector.consume(bridge.brokerUrl(), "access.events.all");
    }

    @AfterAll
    void stop() throws Exception {
        if (all != null) {
            all.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        sims.forEach(V3DeviceSimulator::close);
        if (logs != null) {
            logs.close();
        }
    }

    private V3DeviceSimulator sim(String id, SelfSignedKeyStore.Generated keyStore) throws Exception {
        String token = "token-" + id + "-" + Long.toHexString(System.nanoTime());
        V3DeviceSimulator.Builder b = V3DeviceSimulator.builder().deviceId(id).token(token).seed(id.hashCode());
        if (keyStore != null) {
            b.tls(keyStore.path(), keyStore.password());
        }
        V3DeviceSimulator sim = b.start();
        sims.add(sim);
        tokens.add(token);
        sim.addEvents(EVENTS);
        return sim;
    }

    private static List<String> expectedIds(V3DeviceSimulator sim) {
        return sim.events().stream().map(e -> EventIds.ofV3Event(sim.deviceId(), e.get("seqnum").asLong(),
                e.get("timestamp").asLong())).toList();
    }

    private List<String> storedIds(String deviceId) {
        return all.receivedIds(m -> deviceId.equals(EventCollector.property(m, "deviceId")));
    }

    /** Waits until every event of the device is stored, then checks each is stored exactly once. */
    private void assertStoredOnce(V3DeviceSimulator sim) throws InterruptedException {
        List<String> expected = expectedIds(sim);
        await().atMost(WAIT).until(() -> v3.gauge(sim.deviceId(), "v3.checkpoint") == sim.max()
                && storedIds(sim.deviceId()).containsAll(expected));
        Thread.sleep(300);
        assertThat(storedIds(sim.deviceId())).as("events of %s", sim.deviceId())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private DeviceStatus.ChannelStatus poll(String deviceId) {
        return v3.poll(deviceId).orElseThrow();
    }

    @Test
    @Order(1)
    void pinnedDeviceIsPolledOverHttpsAndEachEventIsStoredOnce() throws Exception {
        assertThat(pinned.baseUri().getScheme()).isEqualTo("https");
        assertStoredOnce(pinned);
        assertThat(storedIds(PINNED)).hasSize(EVENTS);
        assertThat(poll(PINNED).state()).isEqualTo(DeviceState.CONNECTED);
        assertThat(pinned.requestCount("event-fetch")).isPositive();
        assertThat(v3.counter(PINNED, "pollErrors")).isZero();
    }

    @Test
    @Order(1)
    void deviceTrustedThroughATruststoreIsPolledOverHttps() throws Exception {
        assertThat(store.baseUri().getScheme()).isEqualTo("https");
        assertStoredOnce(store);
        assertThat(poll(STORE).state()).isEqualTo(DeviceState.CONNECTED);
        assertThat(v3.counter(STORE, "pollErrors")).isZero();
    }

    @Test
    @Order(1)
    void plainHttpDeviceIsPolledBesideTheHttpsOnes() throws Exception {
        assertThat(plain.baseUri().getScheme()).isEqualTo("http");
        assertStoredOnce(plain);
    }

    @Test
    @Order(2)
    void deviceWhoseCertificateDoesNotMatchThePinIsNotPolled() throws Exception {
        await().atMost(WAIT).until(() -> v3.counter(WRONG_PIN, "pollErrors") >= 3
                && v3.pollIs(WRONG_PIN, DeviceState.FAILING));
        assertThat(poll(WRONG_PIN).reason()).startsWith("TLS handshake failed")
                .contains("does not match the pinned SHA-256 fingerprint");
        assertThat(wrongPin.totalRequests()).as("no API call reached the device").isZero();
        assertThat(storedIds(WRONG_PIN)).isEmpty();
        assertThat(V3Bridge.checkpoint(dir.resolve("data"), WRONG_PIN)).isEmpty();

        List<String> lines = logs.lines();
        assertThat(lines).anyMatch(l -> l.contains("Device " + WRONG_PIN + " poll: FAILING (TLS handshake failed")
                && l.contains("pinned"));
        for (String token : tokens) {
            assertThat(lines).as("log lines").noneMatch(l -> l.contains(token));
        }
        assertThat(v3.status(WRONG_PIN).toString()).doesNotContain(tokens.get(sims.indexOf(wrongPin)));
    }

    @Test
    @Order(2)
    void hostNameIsCheckedUnlessVerifyHostnameIsFalse() throws Exception {
        await().atMost(WAIT).until(() -> v3.counter(WRONG_HOST, "pollErrors") >= 2
                && v3.pollIs(WRONG_HOST, DeviceState.FAILING));
        assertThat(poll(WRONG_HOST).reason()).startsWith("TLS handshake failed").contains("127.0.0.1");
        assertThat(wrongHost.totalRequests()).as("no API call reached the device").isZero();
        assertThat(storedIds(WRONG_HOST)).isEmpty();

        assertStoredOnce(noHostCheck);
        assertThat(poll(NO_HOST_CHECK).state()).isEqualTo(DeviceState.CONNECTED);
        assertThat(v3.counter(NO_HOST_CHECK, "pollErrors")).isZero();
    }

    @Test
    @Order(3)
    void gapShownByAnEventReportIsBackfilledOverTheDevicesHttpsClient() throws Exception {
        assertStoredOnce(pinned);
        pinned.setReportTarget(URI.create(bridge.baseUrl() + "/v3/events"));
        pinned.goOffline(V3DeviceSimulator.OfflineMode.REFUSE_CONNECTIONS);
        pinned.addEvents(10); // never reported: the device is offline
        pinned.goOnline();
        long infos = pinned.requestCount("event-info");
        pinned.addEvents(1); // reported: the 10 before it are missing

        await().atMost(WAIT).until(() -> pinned.reportedSeqnums().contains((long) EVENTS + 11));
        assertThat(pinned.reportedSeqnums()).containsExactly((long) EVENTS + 11);
        assertStoredOnce(pinned);
        assertThat(storedIds(PINNED)).hasSize(EVENTS + 11);
        assertThat(pinned.requestCount("event-info")).as("a poll was triggered by the report").isGreaterThan(infos);
        assertThat(channelOf(PINNED, EVENTS + 5)).contains("v3-fetch");
        assertThat(channelOf(PINNED, EVENTS + 11)).contains("v3-report");
        assertThat(v3.counter(PINNED, "pollErrors")).isZero();
    }

    private Optional<String> channelOf(String deviceId, long seqnum) {
        String prefix = deviceId + ":" + seqnum + ":";
        return all.messages().stream().filter(m -> EventCollector.idOf(m).startsWith(prefix))
                .map(m -> EventCollector.property(m, "channel")).findFirst();
    }
}
