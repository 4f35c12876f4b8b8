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
        return new V1WebSocketClient("dev", uri, new V1DeviceTls(false, null, true), settings(), vertx,
                ((VertxInternal) vertx).createEventLoopContext(), status, new V1WebSocketClient.Listener() {
                    @Override
                    public void onOpen(String remoteAddress) {
                    }

                    @Override
                    public void onMessage(byte[] data, String remoteAddress) {
                        messages.add(new String(data, StandardCharsets.UTF_8));
                    }
                });
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
