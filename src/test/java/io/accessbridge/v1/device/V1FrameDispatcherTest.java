package io.accessbridge.v1.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.ingest.PublishOutcomeLog;
import io.accessbridge.status.DeviceStatusRegistry;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class V1FrameDispatcherTest {

    private final Vertx vertx = Vertx.vertx();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final DeviceStatusRegistry status = new DeviceStatusRegistry();

    @AfterEach
    void close() {
        executor.shutdownNow();
        vertx.close();
    }

    private static V1DeviceSettings settings(long publishRetryMs, int maxPending) {
        Duration s = Duration.ofSeconds(1);
        return new V1DeviceSettings(null, "/v1/events", s, s, s, s, s, s, s, s, s, s,
                Duration.ofMillis(publishRetryMs), maxPending, 2);
    }

    private long counter(String name) {
        return status.status("d").map(x -> x.counters().getOrDefault(name, 0L)).orElse(0L);
    }

    private static byte[] frame(int i) {
        return ("frame-" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void publishesInArrivalOrderAndRetriesAFailedPublishUntilItIsStored() {
        List<String> stored = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(3);
        V1FrameDispatcher d = new V1FrameDispatcher("d", settings(30_000, 100), executor, vertx, status,
                new PublishOutcomeLog(), f -> {
                    if (failuresLeft.getAndDecrement() > 0) {
                        throw new IllegalStateException("broker down");
                    }
                    stored.add(new String(f.data(), StandardCharsets.UTF_8));
                });
        for (int i = 0; i < 5; i++) {
            d.offer(frame(i), "127.0.0.1");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stored.size() == 5);
        assertThat(stored).containsExactly("frame-0", "frame-1", "frame-2", "frame-3", "frame-4");
        assertThat(counter("websocket.publishRetries")).isEqualTo(3);
        assertThat(counter("websocket.framesLost")).isZero();
        assertThat(d.pending()).isZero();
    }

    @Test
    void dropsAndCountsWhatCannotBeStoredWithinTheRetryWindow() {
        V1FrameDispatcher d = new V1FrameDispatcher("d", settings(300, 100), executor, vertx, status,
                new PublishOutcomeLog(), f -> {
                    throw new IllegalStateException("broker down");
                });
        d.offer(frame(1), "127.0.0.1");
        d.offer(frame(2), "127.0.0.1");
        await().atMost(Duration.ofSeconds(10)).until(() -> counter("websocket.framesLost") == 2);
        assertThat(d.pending()).isZero();
        assertThat(counter("websocket.publishRetries")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void keepsAtMostTheConfiguredNumberWaitingDroppingTheOldest() throws Exception {
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        List<String> stored = new CopyOnWriteArrayList<>();
        V1FrameDispatcher d = new V1FrameDispatcher("d", settings(30_000, 3), executor, vertx, status,
                new PublishOutcomeLog(), f -> {
                    gate.await();
                    stored.add(new String(f.data(), StandardCharsets.UTF_8));
                });
        d.offer(frame(0), "127.0.0.1");
        await().atMost(Duration.ofSeconds(5)).until(() -> d.pending() == 1);
        for (int i = 1; i <= 5; i++) {
            d.offer(frame(i), "127.0.0.1");
        }
        gate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> d.pending() == 0);
        assertThat(counter("websocket.framesDropped")).isEqualTo(3);
        assertThat(stored).as("the one being published is kept, then the newest")
                .containsExactly("frame-0", "frame-4", "frame-5");
        assertThat(counter("websocket.frames")).isEqualTo(6);
    }
}
