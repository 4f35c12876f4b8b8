package io.accessbridge.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.canonical.EventHeaders;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.RunningBridge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same event published at the same moment by several ingest paths (a record arriving by
 * WebSocket and by HTTP push at once) is stored once. The broker's duplicate check is not atomic
 * across concurrent sends, so the bridge must not send the same id twice at the same time.
 */
@Timeout(120)
class V1ConcurrentPublishIT {

    private static final int IDS = 150;
    private static final int COPIES = 4;

    @TempDir
    Path dir;

    @Test
    void copiesOfOneEventPublishedConcurrentlyAreStoredOnce() throws Exception {
        RunningBridge bridge = RunningBridge.start(dir, Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(COPIES);
        try (EventCollector consumer = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
            ProducerTemplate template = bridge.context().createProducerTemplate();
            for (int i = 0; i < IDS; i++) {
                String id = "concurrent-" + i;
                CyclicBarrier start = new CyclicBarrier(COPIES);
                List<Future<?>> sends = new ArrayList<>();
                for (int c = 0; c < COPIES; c++) {
                    sends.add(pool.submit(() -> {
                        start.await();
                        template.sendBodyAndHeaders("direct:publish", "{\"id\":\"" + id + "\"}",
                                Map.of(EventHeaders.DUPLICATE_ID, id, EventHeaders.CE_ID, id));
                        return null;
                    }));
                }
                for (Future<?> f : sends) {
                    f.get();
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> consumer.distinct() == IDS);
            Thread.sleep(1000);
            assertThat(consumer.duplicates()).isEmpty();
            assertThat(consumer.total()).isEqualTo(IDS);
        } finally {
            pool.shutdownNow();
            V1DeviceBridge.close(bridge);
        }
    }
}
