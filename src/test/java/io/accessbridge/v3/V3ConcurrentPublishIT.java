package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.broker.EventPublisher;
import io.accessbridge.ingest.CanonicalMessage;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.SourceContext;
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
 * A v3 event fetched by the poller (a page through the {@link EventPublisher}) and reported by the device
 * ({@code event-report}, through {@code direct:publish}) at the same moment is stored once: the two publishers
 * must not send one id at the same time, since the broker's duplicate check is not atomic across concurrent sends
 * (found by {@code DeviceClockSkewIT}: a reporting device's event stored twice).
 */
@Timeout(120)
class V3ConcurrentPublishIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGES = 60;
    private static final int PAGE = 10;

    @TempDir
    Path dir;

    @Test
    void anEventFetchedAndReportedAtTheSameMomentIsStoredOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (RunningBridge bridge = RunningBridge.start(dir, Map.of());
             EventCollector consumer = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
            EventPublisher batches = bridge.context().getRegistry().lookupByNameAndType("eventPublisher",
                    EventPublisher.class);
            CanonicalMessage canonical = bridge.context().getRegistry().lookupByNameAndType("canonicalMessage",
                    CanonicalMessage.class);
            ProducerTemplate template = bridge.context().createProducerTemplate();
            SourceContext fetch = SourceContext.of("v3-fetch", "127.0.0.1").withDevice("race-1", null, null, null);
            SourceContext report = SourceContext.of("v3-report", "127.0.0.1").withDevice("race-1", null, null, null);
            long seqnum = 0;
            for (int p = 0; p < PAGES; p++) {
                List<NormalizedEvent> page = new ArrayList<>();
                List<NormalizedEvent> reported = new ArrayList<>();
                for (int i = 0; i < PAGE; i++) {
                    ObjectNode e = event(++seqnum);
                    page.add(V3EventNormalizer.normalize(e, fetch));
                    reported.add(V3EventNormalizer.normalize(e, report));
                }
                CyclicBarrier start = new CyclicBarrier(2);
                Future<?> polled = pool.submit(() -> {
                    start.await();
                    batches.publish(page);
                    return null;
                });
                Future<?> reports = pool.submit(() -> {
                    start.await();
                    for (NormalizedEvent r : reported) {
                        CanonicalMessage.Parts parts = canonical.parts(r);
                        template.sendBodyAndHeaders("direct:publish", parts.body(), parts.headers());
                    }
                    return null;
                });
                polled.get();
                reports.get();
            }
            int events = PAGES * PAGE;
            await().atMost(Duration.ofSeconds(30)).until(() -> consumer.distinct() == events);
            Thread.sleep(1000);
            assertThat(consumer.duplicates()).as("ids stored twice").isEmpty();
            assertThat(consumer.total()).isEqualTo(events);
        } finally {
            pool.shutdownNow();
        }
    }

    private static ObjectNode event(long seqnum) {
        return JSON.createObjectNode().put("seqnum", seqnum).put("timestamp", 1_700_000_000L + seqnum)
                .put("event", "face").put("uid", "TUID-1").put("state", 4);
    }
}
