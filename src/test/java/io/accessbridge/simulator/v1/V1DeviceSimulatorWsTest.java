package io.accessbridge.simulator.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.accessbridge.simulator.SelfSignedKeyStore;
import io.accessbridge.simulator.v1.V1TestReceiver.Reply;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class V1DeviceSimulatorWsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<V1DeviceSimulator> devices = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (Client c : clients) {
            c.ws.abort();
        }
        devices.forEach(V1DeviceSimulator::stop);
    }

    private V1DeviceSimulator device(V1DeviceSimulator.Options options) {
        V1DeviceSimulator d = new V1DeviceSimulator("PS71HD01MC22B00003",
                options.withGenerator(V1RecordGenerator.Options.defaults().withSeed(7L))).start();
        devices.add(d);
        return d;
    }

    /** A WebSocket client that records what it gets. */
    static final class Client implements WebSocket.Listener {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final AtomicInteger pongs = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            pongs.incrementAndGet();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.set(true);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.set(true);
        }
    }

    /**
     * Connects and waits until the device has registered the client: the JDK client's handshake
     * completes when the 101 arrives, which can be before the device's upgrade handler has run.
     */
    private Client connect(V1DeviceSimulator d, HttpClient http) throws Exception {
        int before = d.currentWsClients();
        Client c = new Client();
        c.ws = http.newWebSocketBuilder().buildAsync(d.wsUri(), c).get(10, TimeUnit.SECONDS);
        clients.add(c);
        await().atMost(WAIT).until(() -> d.currentWsClients() > before);
        return c;
    }

    private static HttpClient plainClient() {
        return HttpClient.newHttpClient();
    }

    @Test
    void acceptsThreeClientsAndRefusesTheFourthWith503() throws Exception {
        V1DeviceSimulator d = device(V1DeviceSimulator.Options.defaults());
        HttpClient http = plainClient();
        Client first = connect(d, http);
        connect(d, http);
        connect(d, http);

        Throwable refused = catchThrowable(() -> http.newWebSocketBuilder().buildAsync(d.wsUri(), new Client())
                .get(10, TimeUnit.SECONDS));

        assertThat(refused).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(503);
        assertThat(d.currentWsClients()).isEqualTo(3);
        assertThat(d.maxConcurrentWsClients()).isEqualTo(3);
        assertThat(d.wsUpgradeAttempts()).isEqualTo(4);
        assertThat(d.stats().wsUpgradesRefused()).isEqualTo(1);

        first.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> d.currentWsClients() == 2);
        connect(d, http);
        assertThat(d.currentWsClients()).isEqualTo(3);
        assertThat(d.maxConcurrentWsClients()).isEqualTo(3);
    }

    @Test
    void everyConnectedClientGetsEveryNewRecordAsOneTextFrame() throws Exception {
        V1DeviceSimulator d = device(V1DeviceSimulator.Options.defaults());
        HttpClient http = plainClient();
        Client a = connect(d, http);
        Client b = connect(d, http);
        await().atMost(WAIT).until(() -> d.currentWsClients() == 2);

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(d.emit(V1RecordGenerator.Variant.FW002).orElseThrow().json());
        }
        sent.add(d.emit(V1RecordGenerator.Variant.ALARM).orElseThrow().json());

        await().atMost(WAIT).until(() -> a.frames.size() == 6 && b.frames.size() == 6);
        assertThat(a.frames).containsExactlyElementsOf(sent);
        assertThat(b.frames).containsExactlyElementsOf(sent);
        JsonNode first = V1TestReceiver.MAPPER.readTree(a.frames.get(0));
        assertThat(first.get("type").asInt()).isZero();
        assertThat(first.at("/data/deviceSN").asText()).isEqualTo("PS71HD01MC22B00003");
        assertThat(V1TestReceiver.MAPPER.readTree(a.frames.get(5)).get("type").asInt()).isEqualTo(1);
        assertThat(d.stats().wsFramesSent()).isEqualTo(12);
    }

    @Test
    void dropConnectionsClosesEveryWebSocket() throws Exception {
        V1DeviceSimulator d = device(V1DeviceSimulator.Options.defaults());
        HttpClient http = plainClient();
        Client a = connect(d, http);
        Client b = connect(d, http);

        d.dropConnections();

        await().atMost(WAIT).until(() -> a.closed.get() && b.closed.get() && d.currentWsClients() == 0);
        Client c = connect(d, http);
        String json = d.emit().orElseThrow().json();
        await().atMost(WAIT).until(() -> c.frames.size() == 1);
        assertThat(c.frames).containsExactly(json);
        assertThat(a.frames).isEmpty();
    }

    @Test
    void rebootDropsClientsForgetsTheSubscriptionAndKeepsTheCache() throws Exception {
        try (V1TestReceiver receiver = new V1TestReceiver()) {
            AtomicBoolean up = new AtomicBoolean(false);
            receiver.respond(n -> up.get() ? Reply.ok() : Reply.of(500, ""));
            V1DeviceSimulator d = device(V1DeviceSimulator.Options.defaults()
                    .withRebootDelay(Duration.ofSeconds(1))
                    .withRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(20)));
            d.subscribe(receiver.url("/push"), true);
            HttpClient http = plainClient();
            Client c = connect(d, http);
            List<String> cached = List.of(d.emit().orElseThrow().key(), d.emit().orElseThrow().key());
            int port = d.port();

            d.reboot();

            assertThat(d.state()).isEqualTo(V1DeviceSimulator.State.REBOOTING);
            assertThat(d.subscription()).isEmpty();
            assertThat(d.emit()).isEmpty();
            await().atMost(WAIT).until(c.closed::get);
            await().atMost(WAIT).until(d::isUp);
            assertThat(d.port()).isEqualTo(port);
            assertThat(d.cacheSize()).isEqualTo(2);

            HttpResponse<String> r = http.send(HttpRequest.newBuilder(d.baseUri().resolve("/v1/event/subscribe")).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(V1TestReceiver.MAPPER.readTree(r.body()).get("data").isNull()).isTrue();

            Client again = connect(d, http);
            await().atMost(WAIT).until(() -> d.currentWsClients() == 1);
            String fresh = d.emit().orElseThrow().json();
            await().atMost(WAIT).until(() -> again.frames.size() == 1);
            assertThat(again.frames).containsExactly(fresh);

            up.set(true);
            d.subscribe(receiver.url("/push"), true);
            await().atMost(WAIT).until(() -> d.stats().acknowledged() == 2);
            assertThat(d.acknowledgedKeys()).containsExactlyElementsOf(cached);
        }
    }

    @Test
    void stallKeepsTheConnectionOpenButAnswersAndSendsNothing() throws Exception {
        V1DeviceSimulator d = device(V1DeviceSimulator.Options.defaults());
        HttpClient http = plainClient();
        Client c = connect(d, http);
        c.ws.sendPing(ByteBuffer.wrap(new byte[] {1})).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> c.pongs.get() == 1);

        d.stall(true);
        c.ws.sendPing(ByteBuffer.wrap(new byte[] {2})).get(10, TimeUnit.SECONDS);
        String lost = d.emit().orElseThrow().json();

        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() ->
                c.pongs.get() == 1 && c.frames.isEmpty() && !c.closed.get() && d.currentWsClients() == 1);
        assertThat(d.isStalled()).isTrue();

        d.stall(false);
        await().atMost(WAIT).until(() -> c.pongs.get() == 2);
        String delivered = d.emit().orElseThrow().json();
        await().atMost(WAIT).until(() -> c.frames.size() == 1);
        assertThat(c.frames).containsExactly(delivered).doesNotContain(lost);
        assertThat(c.closed).isFalse();
    }

    @Test
    void requestsDuringAStallWaitUntilItEnds() throws Exception {
        V1DeviceSimulator d = device(V1DeviceSimulator.Options.defaults());
        HttpClient http = plainClient();
        d.stall(true);
        var pending = http.sendAsync(HttpRequest.newBuilder(d.baseUri().resolve("/v1/event/subscribe"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"event_dest\":\"http://127.0.0.1:9/x\",\"enabled\":true}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !pending.isDone() && d.subscription().isEmpty());

        d.stall(false);
        HttpResponse<String> r = pending.get(10, TimeUnit.SECONDS);
        assertThat(V1TestReceiver.MAPPER.readTree(r.body()).get("code").asInt()).isEqualTo(200);
        assertThat(d.subscription()).contains(new V1DeviceSimulator.Subscription("http://127.0.0.1:9/x", true));
    }

    @Test
    void servesWssAndHttpsFromAGeneratedSelfSignedKeyStore(@TempDir Path dir) throws Exception {
        SelfSignedKeyStore.Generated ks = SelfSignedKeyStore.generate(dir.resolve("device.p12"), "secret");
        V1DeviceSimulator d = device(V1DeviceSimulator.Options.defaults().withTls(ks.path(), ks.password()));
        assertThat(d.wsUri().getScheme()).isEqualTo("wss");
        SSLContext trusting = ks.clientSslContext();
        HttpClient http = HttpClient.newBuilder().sslContext(trusting).build();

        Client c = connect(d, http);
        String json = d.emit().orElseThrow().json();
        await().atMost(WAIT).until(() -> c.frames.size() == 1);
        assertThat(c.frames).containsExactly(json);

        HttpResponse<String> r = http.send(HttpRequest.newBuilder(d.baseUri().resolve("/v1/event/subscribe")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(V1TestReceiver.MAPPER.readTree(r.body()).get("code").asInt()).isEqualTo(200);

        HttpClient untrusting = HttpClient.newHttpClient();
        Throwable t = catchThrowable(() -> untrusting.send(HttpRequest.newBuilder(d.baseUri()
                .resolve("/v1/event/subscribe")).GET().build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(t).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
}
