package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.simulator.v3.V3DeviceSimulator;
import io.accessbridge.status.DeviceState;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.RunningBridge;
import io.accessbridge.testing.SteppingClock;
import io.accessbridge.testing.V3Bridge;
import io.accessbridge.testing.V3Inventory;
import jakarta.jms.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Events lost on the device (ring buffer overwritten) and device resets, over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class V3DeviceLossIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path data;
    private V3DeviceSimulator ring;
    private V3DeviceSimulator reset;
    private RunningBridge bridge;
    private V3Bridge v3;
    private EventCollector all;

    @BeforeAll
    void start() throws Exception {
        ring = V3DeviceSimulator.builder().deviceId("ring-1").capacity(20)
                .clock(new SteppingClock(Instant.parse("2024-05-01T08:00:00Z"))).start();
        reset = V3DeviceSimulator.builder().deviceId("reset-1")
                .clock(new SteppingClock(Instant.parse("2024-05-01T08:00:00Z"))).start();
        ring.addEvents(10);
        reset.addEvents(30);
        Path inventory = V3Inventory.write(data.resolve("config"), List.of(ring, reset), 100, 200, "all");
        bridge = RunningBridge.start(data, Map.of("bridge.devices.file", inventory.toString(),
                "bridge.v3.backoff.initial-ms", "100", "bridge.v3.backoff.max-ms", "400"));
        v3 = new V3Bridge(bridge);
        all = EventCollector.consume(bridge.brokerUrl(), "access.events.all");
        await().atMost(Duration.ofSeconds(30)).until(() -> v3.gauge("ring-1", "v3.checkpoint") == 10
                && v3.gauge("reset-1", "v3.checkpoint") == 30);
    }

    @AfterAll
    void stop() throws Exception {
        all.close();
        bridge.close();
        ring.close();
        reset.close();
    }

    @Test
    void overwrittenEventsArePublishedAsOneGapWithTheLostRangeAndReadingGoesOnFromMin() throws Exception {
        ring.goOffline(); // the bridge must not read while the device overwrites its log
        await().atMost(Duration.ofSeconds(10)).until(() -> v3.pollIs("ring-1", DeviceState.FAILING));
        assertThat(v3.poll("ring-1").orElseThrow().reason()).isEqualTo("event-info: HTTP status 503");
        ring.addEvents(30); // holds 21..40: 11..20 were overwritten
        ring.goOnline();

        await().atMost(Duration.ofSeconds(20)).until(() -> v3.gauge("ring-1", "v3.checkpoint") == 40);
        assertThat(v3.pollIs("ring-1", DeviceState.CONNECTED)).isTrue();
        assertThat(v3.counter("ring-1", "gaps")).isEqualTo(1);
        assertThat(v3.counter("ring-1", "lostEvents")).isEqualTo(10);
        await().atMost(Duration.ofSeconds(10)).until(() -> deviceMessages("ring-1").size() == 31);
        List<Message> gaps = deviceMessages("ring-1").stream()
                .filter(m -> "device.gap".equals(EventCollector.property(m, "eventKind"))).toList();
        assertThat(gaps).hasSize(1);
        Message gap = gaps.get(0);
        assertThat(EventCollector.property(gap, "cloudEvents_type")).isEqualTo("io.accessbridge.device.gap");
        JsonNode range = MAPPER.readTree(EventCollector.text(gap)).at("/data/gap");
        assertThat(range.get("from").asLong()).isEqualTo(11);
        assertThat(range.get("to").asLong()).isEqualTo(20);
        assertThat(range.get("count").asLong()).isEqualTo(10);
        assertThat(seqnums("ring-1")).containsExactlyInAnyOrderElementsOf(concat(range(1, 10), range(21, 40)));
        assertThat(all.duplicates()).isEmpty();
    }

    @Test
    void resetIsDetectedAndTheNewLogIsReadWithoutIdCollisions() throws Exception {
        reset.goOffline();
        await().atMost(Duration.ofSeconds(10)).until(() -> v3.pollIs("reset-1", DeviceState.FAILING));
        reset.reset();
        reset.addEvents(5); // seqnums 1..5 again, later timestamps
        reset.goOnline();

        await().atMost(Duration.ofSeconds(20)).until(() -> v3.counter("reset-1", "resets") == 1
                && v3.gauge("reset-1", "v3.checkpoint") == 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> deviceMessages("reset-1").size() == 35);
        List<String> ids = deviceMessages("reset-1").stream().map(m -> EventCollector.property(m, "cloudEvents_id")).toList();
        assertThat(ids).doesNotHaveDuplicates().hasSize(35);
        assertThat(seqnums("reset-1")).containsExactlyInAnyOrderElementsOf(concat(range(1, 30), range(1, 5)));
        assertThat(v3.counter("reset-1", "gaps")).as("everything before the reset had been read").isZero();
        assertThat(all.duplicates()).isEmpty();
    }

    private List<Message> deviceMessages(String device) {
        return all.messages().stream().filter(m -> device.equals(EventCollector.property(m, "deviceId"))).toList();
    }

    private List<Long> seqnums(String device) {
        return deviceMessages(device).stream().filter(m -> !"device.gap".equals(EventCollector.property(m, "eventKind")))
                .map(m -> Long.parseLong(EventCollector.property(m, "cloudEvents_id").split(":")[1])).toList();
    }


    private static List<Long> range(long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
