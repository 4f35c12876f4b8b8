package io.accessbridge.simulator.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.accessbridge.simulator.v1.V1TestReceiver.Reply;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class V1DeviceSimulatorPushTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private V1TestReceiver receiver;
    private V1DeviceSimulator device;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void setUp() throws Exception {
        receiver = new V1TestReceiver();
    }

    @AfterEach
    void tearDown() {
        if (device != null) {
            device.stop();
        }
        receiver.close();
    }

    private static V1DeviceSimulator.Options fastOptions() {
        return V1DeviceSimulator.Options.defaults()
                .withRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(40))
                .withPushTimeout(Duration.ofSeconds(5))
                .withGenerator(V1RecordGenerator.Options.defaults().withSeed(42L));
    }

    private List<String> emit(int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(device.emit().orElseThrow().key());
        }
        return keys;
    }

    @Test
    void retriesUntil200AndDeliversEveryRecordInOrder() {
        receiver.respond(n -> n < 5 ? Reply.of(503, "{\"code\":503,\"msg\":\"busy\",\"data\":null}") : Reply.ok());
        device = new V1DeviceSimulator("PSC700C0MC22F00001", fastOptions()).start();
        device.subscribe(receiver.url("/v1/push/PSC700C0MC22F00001"), true);

        List<String> emitted = emit(20);

        await().atMost(WAIT).until(() -> device.stats().acknowledged() == 20);
        assertThat(device.acknowledgedKeys()).containsExactlyElementsOf(emitted);
        assertThat(receiver.distinctKeys()).containsExactlyElementsOf(emitted);
        assertThat(receiver.keys().subList(0, 6)).containsOnly(emitted.get(0));
        assertThat(receiver.requestCount()).isEqualTo(25);
        V1DeviceSimulator.Stats s = device.stats();
        assertThat(s.retries()).isEqualTo(5);
        assertThat(s.cacheSize()).isZero();
        assertThat(s.droppedFromCache()).isZero();
        assertThat(device.ackLatencies().count()).isEqualTo(20);
        assertThat(receiver.received()).allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/push/PSC700C0MC22F00001"));
    }

    @Test
    void wrongCodeUnparseableBodyAndConnectionRefusedKeepTheRecord() throws Exception {
        receiver.respond(n -> switch (n) {
            case 0 -> Reply.of(200, "{\"code\":500,\"msg\":\"db down\",\"data\":null}");
            case 1 -> Reply.of(200, "not json");
            case 2 -> Reply.of(200, "{\"code\":\"200\",\"msg\":\"string code\",\"data\":null}");
            default -> Reply.ok();
        });
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        device = new V1DeviceSimulator("PSC700C0MC22F00002", fastOptions()).start();
        device.subscribe("http://127.0.0.1:" + closedPort + "/push", true);

        List<String> emitted = emit(3);
        await().atMost(WAIT).until(() -> device.stats().retries() >= 3);
        assertThat(device.stats().acknowledged()).isZero();
        assertThat(device.cacheSize()).isEqualTo(3);

        device.subscribe(receiver.url("/push"), true);
        await().atMost(WAIT).until(() -> device.stats().acknowledged() == 3);
        assertThat(device.acknowledgedKeys()).containsExactlyElementsOf(emitted);
        assertThat(receiver.keys().subList(0, 4)).containsOnly(emitted.get(0));
    }

    @Test
    void replyTimeoutMeansResendSoTheReceiverMaySeeTheRecordTwice() {
        device = new V1DeviceSimulator("PSC700C0MC22F00003", fastOptions().withPushTimeout(Duration.ofMillis(200)))
                .start();
        receiver.respond(n -> n == 0 ? new Reply(200, V1TestReceiver.OK_BODY, 2_000) : Reply.ok());
        device.subscribe(receiver.url("/push"), true);

        String key = device.emit().orElseThrow().key();

        await().atMost(WAIT).until(() -> device.stats().acknowledged() == 1);
        assertThat(receiver.keys()).containsExactly(key, key);
        assertThat(device.stats().retries()).isEqualTo(1);
        assertThat(device.acknowledgedKeys()).containsExactly(key);
    }

    @Test
    void offlineCacheIsBoundedAndDropsTheOldest() {
        AtomicBoolean up = new AtomicBoolean(false);
        receiver.respond(n -> up.get() ? Reply.ok() : Reply.of(503, ""));
        device = new V1DeviceSimulator("PSC700C0MC22F00004", fastOptions().withOfflineCacheCapacity(10)).start();
        device.subscribe(receiver.url("/push"), true);

        List<String> emitted = emit(25);

        assertThat(device.stats().cacheSize()).isEqualTo(10);
        assertThat(device.stats().droppedFromCache()).isEqualTo(15);
        // once the oldest survivor is being retried, no dropped record can still be in flight
        await().atMost(WAIT).until(() -> receiver.keys().contains(emitted.get(15)));
        up.set(true);
        await().atMost(WAIT).until(() -> device.stats().acknowledged() == 10);
        assertThat(device.acknowledgedKeys()).containsExactlyElementsOf(emitted.subList(15, 25));
        assertThat(device.stats().droppedFromCache()).isEqualTo(15);
        assertThat(device.cacheSize()).isZero();
    }

    @Test
    void sendsDuplicatesOnPurposeWhenConfigured() {
        device = new V1DeviceSimulator("PSC700C0MC22F00005", fastOptions().withDuplicateProbability(1.0)).start();
        device.subscribe(receiver.url("/push"), true);

        List<String> emitted = emit(5);

        await().atMost(WAIT).until(() -> receiver.requestCount() == 10 && device.stats().duplicatesSent() == 5);
        List<String> expected = new ArrayList<>();
        for (String k : emitted) {
            expected.add(k);
            expected.add(k);
        }
        assertThat(receiver.keys()).containsExactlyElementsOf(expected);
        assertThat(device.stats().acknowledged()).isEqualTo(5);
        assertThat(device.acknowledgedKeys()).containsExactlyElementsOf(emitted);
    }

    @Test
    void capturesRemoteVerificationFromNewerFirmwareReplies() {
        receiver.respond(n -> Reply.of(200,
                "{\"code\":200,\"msg\":\"success\",\"data\":{\"pass\":false,\"customtips\":\"请联系前台\"}}"));
        device = new V1DeviceSimulator("PS71HD01MC22C00014", fastOptions()).start();
        device.subscribe(receiver.url("/push"), true);

        String key = device.emit(V1RecordGenerator.Variant.FW001).orElseThrow().key();

        await().atMost(WAIT).until(() -> device.stats().acknowledged() == 1);
        JsonNode data = device.lastReplyData();
        assertThat(data.get("pass").asBoolean()).isFalse();
        assertThat(device.remoteDecisions())
                .containsExactly(new V1DeviceSimulator.RemoteDecision(key, false, "请联系前台"));
    }

    @Test
    void recordsMadeWhilePushIsDisabledAreNotQueued() {
        device = new V1DeviceSimulator("PSC700C0MC22F00006", fastOptions()).start();
        device.subscribe(receiver.url("/push"), false);
        emit(3);
        assertThat(device.cacheSize()).isZero();

        device.subscribe(receiver.url("/push"), true);
        String fourth = device.emit().orElseThrow().key();

        await().atMost(WAIT).until(() -> device.stats().acknowledged() == 1);
        assertThat(receiver.keys()).containsExactly(fourth);
        assertThat(device.stats().generated()).isEqualTo(4);
    }

    @Test
    void subscribeApiRoundTripAndValidation() throws Exception {
        device = new V1DeviceSimulator("PSC700C0MC22F00007", fastOptions()).start();
        URI api = device.baseUri().resolve("/v1/event/subscribe");

        JsonNode before = get(api);
        assertThat(before.get("code").asInt()).isEqualTo(200);
        assertThat(before.get("msg").asText()).isEqualTo("OK");
        assertThat(before.get("data").isNull()).isTrue();

        String dest = receiver.url("/Record");
        JsonNode set = post(api, "{\"event_dest\":\"" + dest + "\",\"enabled\":true}");
        assertThat(set.get("code").asInt()).isEqualTo(200);
        assertThat(set.get("data").isNull()).isTrue();

        JsonNode after = get(api);
        assertThat(after.at("/data/event_dest").asText()).isEqualTo(dest);
        assertThat(after.at("/data/enabled").asBoolean()).isTrue();
        assertThat(device.subscribeCalls()).isEqualTo(1);

        String prefix = "http://127.0.0.1:1/";
        String exactly1024 = prefix + "a".repeat(1024 - prefix.length());
        String tooLong = exactly1024 + "a";
        assertThat(post(api, "{\"event_dest\":\"" + tooLong + "\",\"enabled\":true}").get("code").asInt()).isNotEqualTo(200);
        assertThat(post(api, "{\"event_dest\":\"ftp://127.0.0.1/x\",\"enabled\":true}").get("code").asInt()).isNotEqualTo(200);
        assertThat(post(api, "{\"enabled\":true}").get("code").asInt()).isNotEqualTo(200);
        assertThat(post(api, "{not json").get("code").asInt()).isNotEqualTo(200);
        assertThat(device.subscription()).contains(new V1DeviceSimulator.Subscription(dest, true));

        assertThat(post(api, "{\"event_dest\":\"" + exactly1024 + "\",\"enabled\":false}").get("code").asInt()).isEqualTo(200);
        assertThat(device.subscription()).contains(new V1DeviceSimulator.Subscription(exactly1024, false));
        assertThat(device.subscribeCalls()).isEqualTo(6);
        assertThatThrownBy(() -> device.subscribe(tooLong, true)).isInstanceOf(IllegalArgumentException.class);

        post(api, "{\"event_dest\":\"" + dest + "\"}");
        String key = device.emit().orElseThrow().key();
        await().atMost(WAIT).until(() -> device.stats().acknowledged() == 1);
        assertThat(receiver.received()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/Record");
            assertThat(r.key()).isEqualTo(key);
        });
    }

    private JsonNode get(URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return V1TestReceiver.MAPPER.readTree(r.body());
    }

    private JsonNode post(URI uri, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return V1TestReceiver.MAPPER.readTree(r.body());
    }
}
