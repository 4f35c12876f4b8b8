package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.simulator.v3.V3DeviceSimulator;
import io.accessbridge.status.DeviceStatus;
import io.accessbridge.status.DeviceStatusRegistry;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.RunningBridge;
import io.accessbridge.testing.V3Inventory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backlog of 50,000 events on one v3 device, drained over real HTTP into the real broker. */
class V3BacklogIT {

    private static final int EVENTS = 50_000;

    @TempDir
    Path data;

    @Test
    void backlogOf50000IsDrainedWithEveryEventInTheBrokerOnce() throws Exception {
        try (V3DeviceSimulator sim = V3DeviceSimulator.builder().deviceId("backlog-1").capacity(EVENTS)
                .maxFetchLimit(100).start()) {
            List<ObjectNode> events = sim.addEvents(EVENTS);
            Set<String> expected = events.stream()
                    .map(e -> "backlog-1:" + e.get("seqnum").asLong() + ":" + e.get("timestamp").asLong())
                    .collect(Collectors.toSet());
            assertThat(expected).hasSize(EVENTS);
            Path inventory = V3Inventory.write(data.resolve("config"), List.of(sim), 100, 1000, "all");

            try (RunningBridge bridge = RunningBridge.start(data, Map.of("bridge.devices.file", inventory.toString()))) {
                DeviceStatusRegistry status = bridge.context().getRegistry()
                        .lookupByNameAndType("deviceStatus", DeviceStatusRegistry.class);
                long t0 = System.nanoTime();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> gauge(status, "backlog-1", "v3.checkpoint") == EVENTS);
                System.out.printf("drained %d events in %d ms%n", EVENTS, (System.nanoTime() - t0) / 1_000_000);
                assertThat(gauge(status, "backlog-1", "v3.lag")).isZero();
                assertThat(sim.maxConcurrentRequests()).as("one request in flight per device").isEqualTo(1);

                try (EventCollector all = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
                    await().atMost(Duration.ofSeconds(120)).until(() -> all.total() >= EVENTS);
                    Thread.sleep(500);
                    assertThat(all.total()).isEqualTo(EVENTS);
                    assertThat(all.duplicates()).isEmpty();
                    assertThat(all.ids()).isEqualTo(expected);
                }
                DeviceStatus s = status.status("backlog-1").orElseThrow();
                assertThat(s.eventsStored()).isEqualTo(EVENTS);
                assertThat(s.counters()).doesNotContainKeys("gaps", "pollErrors", "quarantined");
            }
        }
    }

    static long gauge(DeviceStatusRegistry status, String device, String gauge) {
        return status.status(device).map(s -> s.gauges().getOrDefault(gauge, -1L)).orElse(-1L);
    }
}
