package io.accessbridge.v1.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.status.DeviceStatusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.impl.VertxInternal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class V1WebSocketClientTest {

    private final Vertx vertx = Vertx.vertx();
    private final DeviceStatusRegistry status = new DeviceStatusRegistry();

    @AfterEach
    void close() {
        vertx.close();
    }

    private static V1DeviceSettings settings() {
        Duration s = Duration.ofSeconds(2);
        return new V1DeviceSettings(null, "/v1/events", Duration.ofMinutes(5), s, s, s, Duration.ofSeconds(10), s,
                Duration.ofMillis(100), Duration.ofMillis(1600), s, s, s, 10, 1);
    }

    private V1WebSocketClient client(URI uri, List<String> messages) {
        return rawClient(uri, data -> messages.add(new String(data, StandardCharsets.UTF_8)));
    }

    @Test
    void aMessageFragmentedIntoSeveralFramesArrivesWhole() throws Exception {
        HttpServer server = vertx.createHttpServer().webSocketHandler(ws -> {
            ws.writeFrame(WebSocketFrame.textFrame("{\"type\":0,", false));
            ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("\"data\":{\"n\":\"äö\"}"), false));
            ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("}"), true));
            ws.writeTextMessage("{\"type\":1,\"data\":{}}");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<String> messages = new CopyOnWriteArrayList<>();
        V1WebSocketClient client = client(URI.create("ws://127.0.0.1:" + server.actualPort() + "/v1/event"), messages);
        client.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> messages.size() == 2);
        assertThat(messages).containsExactly("{\"type\":0,\"data\":{\"n\":\"äö\"}}", "{\"type\":1,\"data\":{}}");
        client.stop().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aTextMessageThatIsNotUtf8ArrivesAsTheBytesSent() throws Exception {
        byte[] notUtf8 = {'{', '"', (byte) 0xC3, '"', (byte) 0xFF, '}'};
        HttpServer server = vertx.createHttpServer().webSocketHandler(ws -> {
            ws.writeFrame(new io.vertx.core.http.impl.ws.WebSocketFrameImpl(io.vertx.core.http.WebSocketFrameType.TEXT,
                    notUtf8, true));
            ws.writeFrame(new io.vertx.core.http.impl.ws.WebSocketFrameImpl(io.vertx.core.http.WebSocketFrameType.TEXT,
                    new byte[] {(byte) 0xE2, (byte) 0x82}, false));
            ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {(byte) 0xAC}), true));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<byte[]> messages = new CopyOnWriteArrayList<>();
        V1WebSocketClient client = rawClient(URI.create("ws://127.0.0.1:" + server.actualPort() + "/v1/event"), messages);
        client.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> messages.size() == 2);
        assertThat(messages.get(0)).isEqualTo(notUtf8);
        assertThat(messages.get(1)).as("a character split over two frames").isEqualTo("€".getBytes(StandardCharsets.UTF_8));
        client.stop().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aMessageOverTheLimitInManyFramesIsDroppedWholeCountedAndTheConnectionStays() throws Exception {
        int max = V1WebSocketClient.MAX_MESSAGE_BYTES;
        int frame = max / 2 + 1;
        HttpServer server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions()
                .setMaxWebSocketFrameSize(max)).webSocketHandler(ws -> {
            // 5 frames, about 2.5 times the limit: no part of it (nor its tail) may arrive as a message
            ws.writeFrame(WebSocketFrame.textFrame("x".repeat(frame), false));
            for (int i = 0; i < 3; i++) {
                ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("y".repeat(frame)), false));
            }
            ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("z".repeat(10)), true));
            ws.writeTextMessage("{\"type\":0,\"data\":{}}");
            // exactly at the limit, in two frames: arrives
            ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer("a".repeat(max - 1)), false));
            ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("b"), true));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<String> messages = new CopyOnWriteArrayList<>();
        V1WebSocketClient client = client(URI.create("ws://127.0.0.1:" + server.actualPort() + "/v1/event"), messages);
        client.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> messages.size() == 2);
        Thread.sleep(200);
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).isEqualTo("{\"type\":0,\"data\":{}}");
        assertThat(messages.get(1)).hasSize(max).startsWith("aaa").endsWith("ab");
        assertThat(status.status("dev").orElseThrow().counters()).containsEntry("websocket.oversized", 1L)
                .containsEntry("websocket.connects", 1L);
        client.stop().get(10, TimeUnit.SECONDS);
    }

    private V1WebSocketClient rawClient(URI uri, List<byte[]> messages) {
        return rawClient(uri, messages::add);
    }

    private V1WebSocketClient rawClient(URI uri, Consumer<byte[]> messages) {
        return new V1WebSocketClient("dev", uri, new V1DeviceTls(false, null, true), settings(), vertx,
                ((VertxInternal) vertx).createEventLoopContext(), status, new V1WebSocketClient.Listener() {
                    @Override
                    public void onOpen(String remoteAddress) {
                    }

                    @Override
                    public void onMessage(byte[] data, String remoteAddress) {
                        messages.accept(data);
                    }
                });
    }

    @Test
    void backoffDoublesUpToTheMaximumWithHalfOfItRandom() {
        V1WebSocketClient client = client(URI.create("ws://127.0.0.1:9/v1/event"), new CopyOnWriteArrayList<>());
        for (int i = 0; i < 200; i++) {
            assertThat(client.backoffMillis(0)).isBetween(50L, 100L);
            assertThat(client.backoffMillis(2)).isBetween(200L, 400L);
            assertThat(client.backoffMillis(10)).isBetween(800L, 1600L);
            assertThat(client.backoffMillis(60)).isBetween(800L, 1600L);
        }
    }
}
