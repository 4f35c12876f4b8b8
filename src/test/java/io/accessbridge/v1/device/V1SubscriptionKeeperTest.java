package io.accessbridge.v1.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.status.DeviceState;
import io.accessbridge.status.DeviceStatus;
import io.accessbridge.status.DeviceStatusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.impl.VertxInternal;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The keeper against a stub device API answering like vendor firmware: errors as HTTP 200 with another code. */
class V1SubscriptionKeeperTest {

    private static final String WANTED = "http://10.0.4.2:8080/v1/events/lobby";

    private final Vertx vertx = Vertx.vertx();
    private final DeviceStatusRegistry status = new DeviceStatusRegistry();
    private final AtomicReference<String> postAnswer = new AtomicReference<>("{\"code\":400,\"msg\":\"busy\",\"data\":null}");
    private final AtomicInteger posts = new AtomicInteger();
    private HttpServer server;

    @AfterEach
    void close() {
        vertx.close();
    }

    private V1SubscriptionKeeper keeper() throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> {
            if (req.method() == HttpMethod.GET) {
                req.response().end("{\"code\":200,\"msg\":\"OK\",\"data\":null}");
            } else {
                req.body().onSuccess(b -> {
                    posts.incrementAndGet();
                    req.response().setStatusCode(200).end(postAnswer.get());
                });
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Duration s = Duration.ofSeconds(2);
        V1DeviceSettings settings = new V1DeviceSettings(null, "/v1/events", Duration.ofMinutes(10), s, s, s, s, s, s, s,
                s, s, s, 10, 1);
        return new V1SubscriptionKeeper("lobby", URI.create("http://127.0.0.1:" + server.actualPort()), WANTED, null,
                new V1DeviceTls(false, null, true), settings, vertx, ((VertxInternal) vertx).createEventLoopContext(),
                status);
    }

    private DeviceStatus.ChannelStatus channel() {
        return status.status("lobby").map(x -> x.channels().get("subscription")).orElse(null);
    }

    @Test
    void refusalInTheBodyIsFailingAndAcceptedLaterIsConnected() throws Exception {
        V1SubscriptionKeeper keeper = keeper();
        keeper.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> channel() != null);
        assertThat(channel().state()).isEqualTo(DeviceState.FAILING);
        assertThat(channel().reason()).isEqualTo("device refused POST /v1/event/subscribe (code 400: busy)");

        postAnswer.set("{\"code\":200,\"msg\":\"OK\",\"data\":null}");
        keeper.check();
        await().atMost(Duration.ofSeconds(10)).until(() -> channel().state() == DeviceState.CONNECTED);
        assertThat(posts.get()).isEqualTo(2);
        keeper.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> channel().state() == DeviceState.UNKNOWN);
    }

    @Test
    void unreachableDeviceIsDisconnected() throws Exception {
        V1SubscriptionKeeper keeper = keeper();
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        keeper.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> channel() != null);
        assertThat(channel().state()).isEqualTo(DeviceState.DISCONNECTED);
        assertThat(channel().reason()).contains("unreachable");
    }
}
