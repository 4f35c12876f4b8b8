package io.accessbridge.v1;

import static io.accessbridge.v1.V1DeviceBridge.counter;
import static io.accessbridge.v1.V1DeviceBridge.device;
import static io.accessbridge.v1.V1DeviceBridge.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.accessbridge.canonical.EventHeaders;
import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1Record;
import io.accessbridge.simulator.v1.V1RecordGenerator;
import io.accessbridge.simulator.v1.V1SimRuntime;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.Fixtures;
import io.accessbridge.testing.FreePorts;
import io.accessbridge.testing.RunningBridge;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.jms.Message;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a v1 device is told after its push is stored: remote verification (spec 001) against a
 * decision endpoint that answers, is slow, is down or is broken, with both fail-safes; the
 * default echo; and attribution of an alarm pushed without a device path by its sender's address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class V1PushRepliesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TIPS = "Willkommen im Gebäude 😀 heute";
    private static final int RECORDS = 6;

    @TempDir
    static Path dir;

    private HttpServer decisions;
    private ExecutorService decisionThreads;
    private V1SimRuntime runtime;
    private final Map<String, V1DeviceSimulator> sims = new HashMap<>();
    private RunningBridge bridge;
    private EventCollector events;

    @BeforeAll
    void start() throws Exception {
        decisions = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        decisionThreads = Executors.newCachedThreadPool();
        decisions.setExecutor(decisionThreads);
        decisions.createContext("/ok", ex -> answer(ex, 200, "{\"pass\":false,\"tips\":\"" + TIPS + "\"}"));
        decisions.createContext("/slow", ex -> {
            try {
                Thread.sleep(4_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(ex, 200, "{\"pass\":true,\"tips\":\"late\"}");
        });
        decisions.createContext("/broken", ex -> answer(ex, 500, "oops"));
        decisions.start();
        String base = "http://127.0.0.1:" + decisions.getAddress().getPort();
        String down = "http://127.0.0.1:" + FreePorts.next() + "/decide";

        runtime = V1SimRuntime.create();
        List<String> entries = new ArrayList<>();
        entries.add(entry("RV-OK", "{endpoint: '" + base + "/ok', timeoutMs: 2000, failSafe: deny}"));
        entries.add(entry("RV-SLOW-ECHO", "{endpoint: '" + base + "/slow', timeoutMs: 300, failSafe: echo}"));
        entries.add(entry("RV-SLOW-DENY", "{endpoint: '" + base + "/slow', timeoutMs: 300, failSafe: deny}"));
        entries.add(entry("RV-DOWN-DENY", "{endpoint: '" + down + "', timeoutMs: 300, failSafe: deny}"));
        entries.add(entry("RV-BROKEN-ECHO", "{endpoint: '" + base + "/broken', timeoutMs: 300}"));
        entries.add(entry("RV-NONE", null));
        entries.add(device("ALARM-DEV", "http://127.0.0.2:9", false, false, ""));
        bridge = V1DeviceBridge.start(dir.resolve("data"), V1DeviceBridge.inventory(dir, entries), true, Map.of());
        events = EventCollector.consume(bridge.brokerUrl(), "access.events.all");
        await().atMost(WAIT).until(() -> sims.values().stream().allMatch(d -> d.subscription().isPresent()));
    }

    private String entry(String id, String remoteVerification) {
        V1DeviceSimulator d = new V1DeviceSimulator(id, V1DeviceSimulator.Options.defaults()
                // a device that waited for a slow decision endpoint would give up after 2 s and retry
                .withPushTimeout(Duration.ofSeconds(2))
                .withRetryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .withGenerator(V1RecordGenerator.Options.defaults().withSeed((long) id.hashCode())
                        .withMix(V1RecordGenerator.Mix.only(V1RecordGenerator.Variant.FW002))), runtime).start();
        sims.put(id, d);
        return device(id, d.baseUri().toString(), true, false,
                remoteVerification == null ? "" : "remoteVerification: " + remoteVerification);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws java.io.IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @AfterAll
    void stop() throws Exception {
        if (events != null) {
            events.close();
        }
        V1DeviceBridge.close(bridge);
        sims.values().forEach(V1DeviceSimulator::stop);
        runtime.close();
        decisions.stop(0);
        decisionThreads.shutdownNow();
    }

    /** Emits recognitions and returns each record's own pass by key, once the device got all replies. */
    private Map<String, Boolean> emitAndAwaitReplies(V1DeviceSimulator d) {
        Map<String, Boolean> own = new HashMap<>();
        for (int i = 0; i < RECORDS; i++) {
            V1Record r = d.emit().orElseThrow();
            own.put(r.key(), r.data().get("pass").asBoolean());
        }
        await().atMost(WAIT).until(() -> d.remoteDecisions().size() >= RECORDS && d.cacheSize() == 0);
        assertThat(own).as("records the device itself let pass").containsValue(true);
        return own;
    }

    @Test
    void decisionEndpointAnswerIsTheReplyWithTipsCutToTenCharacters() {
        V1DeviceSimulator d = sims.get("RV-OK");
        Map<String, Boolean> own = emitAndAwaitReplies(d);
        for (V1DeviceSimulator.RemoteDecision decision : d.remoteDecisions()) {
            assertThat(own).containsKey(decision.recordKey());
            assertThat(decision.pass()).isFalse();
            assertThat(decision.customtips()).isEqualTo("Willkommen").hasSize(10);
        }
        assertThat(counter(bridge, "RV-OK", "remoteVerification.decisions")).isEqualTo(RECORDS);
        assertThat(state(bridge, "RV-OK", "remote-verification")).isEqualTo("CONNECTED");

        V1Record alarm = d.emit(V1RecordGenerator.Variant.ALARM).orElseThrow();
        await().atMost(WAIT).until(() -> d.remoteDecisions().stream().anyMatch(x -> x.recordKey().equals(alarm.key())));
        assertThat(d.remoteDecisions().stream().filter(x -> x.recordKey().equals(alarm.key())).findFirst().orElseThrow()
                .pass()).as("alarms are not verified").isNull();
    }

    @Test
    void slowEndpointGetsTheFailSafeWithinTheTimeout() {
        for (String id : List.of("RV-SLOW-ECHO", "RV-SLOW-DENY")) {
            V1DeviceSimulator d = sims.get(id);
            Map<String, Boolean> own = emitAndAwaitReplies(d);
            for (V1DeviceSimulator.RemoteDecision decision : d.remoteDecisions()) {
                boolean expected = id.endsWith("DENY") ? false : own.get(decision.recordKey());
                assertThat(decision.pass()).as(id).isEqualTo(expected);
                assertThat(decision.customtips()).as(id).isNull();
            }
            assertThat(d.stats().retries()).as(id + ": every reply came before the device's own 2 s timeout").isZero();
            assertThat(counter(bridge, id, "remoteVerification.failSafe")).isEqualTo(RECORDS);
            assertThat(state(bridge, id, "remote-verification")).isEqualTo("DISCONNECTED");
            assertThat(V1DeviceBridge.reason(bridge, id, "remote-verification")).contains("300 ms");
        }
    }

    @Test
    void downOrBrokenEndpointGetsTheFailSafe() {
        V1DeviceSimulator down = sims.get("RV-DOWN-DENY");
        emitAndAwaitReplies(down);
        assertThat(down.remoteDecisions()).allSatisfy(x -> assertThat(x.pass()).isFalse());
        assertThat(state(bridge, "RV-DOWN-DENY", "remote-verification")).isEqualTo("DISCONNECTED");

        V1DeviceSimulator broken = sims.get("RV-BROKEN-ECHO");
        Map<String, Boolean> own = emitAndAwaitReplies(broken);
        assertThat(broken.remoteDecisions()).allSatisfy(x -> assertThat(x.pass()).isEqualTo(own.get(x.recordKey())));
        assertThat(state(bridge, "RV-BROKEN-ECHO", "remote-verification")).isEqualTo("FAILING");
        assertThat(counter(bridge, "RV-BROKEN-ECHO", "remoteVerification.failSafe")).isEqualTo(RECORDS);
    }

    @Test
    void withoutRemoteVerificationTheDevicesOwnDecisionIsEchoed() {
        V1DeviceSimulator d = sims.get("RV-NONE");
        Map<String, Boolean> own = emitAndAwaitReplies(d);
        assertThat(own).containsValue(false);
        assertThat(d.remoteDecisions()).allSatisfy(x -> {
            assertThat(x.pass()).isEqualTo(own.get(x.recordKey()));
            assertThat(x.customtips()).isNull();
        });
        assertThat(V1DeviceBridge.status(bridge).get("RV-NONE").path("channels").has("remote-verification")).isFalse();
    }

    @Test
    void alarmPushedWithoutDevicePathIsAttributedBySenderAddress() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            var client = vertx.createHttpClient(new HttpClientOptions().setLocalAddress("127.0.0.2"));
            URIParts u = new URIParts(bridge.baseUrl());
            var response = client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(u.host)
                            .setPort(u.port).setURI("/v1/events").putHeader("Content-Type", "application/json"))
                    .compose(req -> req.send(Buffer.buffer(Fixtures.bytes("v1/002-alarm.json"))))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        String alarmId = "SPX-1684381418208-004-3Adb4v:1";
        await().atMost(WAIT).until(() -> events.ids().stream().anyMatch(alarmId::equals));
        Message m = events.messages().stream().filter(x -> alarmId.equals(EventCollector.property(x, EventHeaders.CE_ID))).findFirst()
                .orElseThrow();
        assertThat(EventCollector.property(m, EventHeaders.DEVICE_ID)).isEqualTo("ALARM-DEV");
        assertThat(EventCollector.property(m, EventHeaders.CE_SUBJECT)).isEqualTo("Door ALARM-DEV");
        assertThat(V1DeviceBridge.status(bridge).get("ALARM-DEV").get("eventsStored").asLong()).isEqualTo(1);
    }


    private record URIParts(String host, int port) {
        URIParts(String url) {
            this(java.net.URI.create(url).getHost(), java.net.URI.create(url).getPort());
        }
    }
}
