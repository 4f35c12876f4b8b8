package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.simulator.v3.V3DeviceSimulator;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.RunningBridge;
import io.accessbridge.testing.SteppingClock;
import io.accessbridge.testing.V3Bridge;
import io.accessbridge.testing.V3Inventory;
import jakarta.jms.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several v3 devices in one bridge: a cap on devices polled at once, one request in flight per
 * device, a device that is behind polled again at once, and the first-contact policies.
 */
class V3FleetIT {

    private static final Instant START = Instant.parse("2024-05-01T08:00:00Z");
    private static final int EVENTS = 1000;
    private static final int CAP = 2;

    @TempDir
    Path data;

    @Test
    void devicesArePolledWithinTheCapOneRequestEachUntilCaughtUpFromTheirFirstContactPosition() throws Exception {
        List<V3DeviceSimulator> sims = new ArrayList<>();
        try {
            List<V3Inventory.Entry> entries = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                V3DeviceSimulator sim = V3DeviceSimulator.builder().deviceId("fleet-" + i).capacity(EVENTS)
                        .clock(new SteppingClock(START)).seed(i).start();
                sim.addEvents(EVENTS); // event k happened at START + (k - 1) s
                sim.pauseReplies();
                sims.add(sim);
                String firstContact = i == 5 ? "new" : i == 6 ? "since:2024-05-01T08:06:40Z" : "all";
                // a long interval: a device that is behind is polled again at once, not after the interval
                entries.add(new V3Inventory.Entry(sim, 50, i == 5 ? 200 : 600_000, firstContact));
            }
            Path inventory = V3Inventory.write(data.resolve("config"), entries);
            try (RunningBridge bridge = RunningBridge.start(data, Map.of("bridge.devices.file", inventory.toString(),
                    "bridge.v3.max-concurrent-polls", String.valueOf(CAP), "bridge.v3.max-pages-per-cycle", "2"))) {
                V3Bridge v3 = new V3Bridge(bridge);
                var fiveEndpoint = bridge.context().getRoute("device-fleet-5").getEndpoint();
                assertThat(fiveEndpoint).isInstanceOfSatisfying(io.accessbridge.v3.poll.V3PollEndpoint.class,
                        e -> assertThat(e.getIntervalMs()).as("interval from the inventory").isEqualTo(200));
                await().atMost(Duration.ofSeconds(20)).until(() -> inFlight(sims) == CAP);
                Thread.sleep(500);
                assertThat(inFlight(sims)).as("devices polled at once").isEqualTo(CAP);
                sims.forEach(V3DeviceSimulator::resumeReplies);

                await().atMost(Duration.ofSeconds(60)).until(() -> sims.stream().limit(4)
                        .allMatch(s -> v3.gauge(s.deviceId(), "v3.checkpoint") == EVENTS)
                        && v3.gauge("fleet-6", "v3.checkpoint") == EVENTS);
                assertThat(v3.gauge("fleet-5", "v3.checkpoint")).as("first contact NEW: after the newest event")
                        .isEqualTo(EVENTS);
                sims.get(4).addEvents(5);
                await().atMost(Duration.ofSeconds(20)).until(() -> v3.gauge("fleet-5", "v3.checkpoint") == EVENTS + 5);

                for (V3DeviceSimulator sim : sims) {
                    assertThat(sim.maxConcurrentRequests()).as("requests in flight at %s", sim.deviceId()).isEqualTo(1);
                }
                assertThat(sims.get(0).requestCount("event-info")).as("one poll per 100 events, back to back")
                        .isGreaterThanOrEqualTo(EVENTS / 100);

                try (EventCollector all = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
                    int expected = 4 * EVENTS + 5 + 600;
                    await().atMost(Duration.ofSeconds(30)).until(() -> all.total() >= expected);
                    Thread.sleep(300);
                    assertThat(all.total()).isEqualTo(expected);
                    assertThat(all.duplicates()).isEmpty();
                    assertThat(seqnums(all, "fleet-5")).containsExactlyInAnyOrder(1001L, 1002L, 1003L, 1004L, 1005L);
                    List<Long> since = seqnums(all, "fleet-6");
                    assertThat(since).hasSize(600);
                    assertThat(since.stream().mapToLong(Long::longValue).min().orElseThrow())
                            .as("first event at or after 08:06:40").isEqualTo(401);
                    assertThat(seqnums(all, "fleet-1")).hasSize(EVENTS);
                }
            }
        } finally {
            sims.forEach(V3DeviceSimulator::close);
        }
    }

    private static int inFlight(List<V3DeviceSimulator> sims) {
        return sims.stream().mapToInt(V3DeviceSimulator::currentRequests).sum();
    }

    private static List<Long> seqnums(EventCollector all, String device) {
        List<Long> out = new ArrayList<>();
        for (Message m : all.messages()) {
            String id = EventCollector.property(m, "cloudEvents_id");
            if (id.startsWith(device + ":")) {
                out.add(Long.parseLong(id.split(":")[1]));
            }
        }
        return out;
    }

}
