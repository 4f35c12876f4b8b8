package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.simulator.v3.V3DeviceSimulator;
import io.accessbridge.simulator.v3.V3DeviceSimulator.Failure;
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
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Device errors over real HTTP: every one is retried with backoff, shown in the status, and no event is skipped. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class V3ErrorsIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DEVICE = "flaky-1";

    @TempDir
    static Path data;
    private V3DeviceSimulator sim;
    private RunningBridge bridge;
    private V3Bridge v3;
    private EventCollector all;
    private EventCollector quarantine;

    @BeforeAll
    void start() throws Exception {
        sim = V3DeviceSimulator.builder().deviceId(DEVICE).capacity(5000)
                .clock(new SteppingClock(Instant.parse("2024-05-01T08:00:00Z"))).start();
        sim.addEvents(500);
        sim.failNext(2, Failure.RETCODE, "event-info");
        sim.failNext(2, Failure.MALFORMED_JSON, "event-fetch");
        sim.failNext(2, Failure.WRONG_REQID, "event-fetch");
        sim.failNext(2, Failure.HTTP_500, "event-fetch");
        Path inventory = V3Inventory.write(data.resolve("config"), List.of(sim), 50, 200, "all");
        bridge = RunningBridge.start(data, Map.of("bridge.devices.file", inventory.toString(),
                "bridge.v3.backoff.initial-ms", "100", "bridge.v3.backoff.max-ms", "400",
                "bridge.v3.request-timeout-ms", "500"));
        v3 = new V3Bridge(bridge);
        all = EventCollector.consume(bridge.brokerUrl(), "access.events.all");
        quarantine = EventCollector.consume(bridge.brokerUrl(), "access.quarantine");
    }

    @AfterAll
    void stop() throws Exception {
        all.close();
        quarantine.close();
        bridge.close();
        sim.close();
    }

    @Test
    @Order(1)
    void malformedRepliesRetcodesWrongReqidsAndHttpErrorsAreRetriedAndNothingIsSkipped() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> v3.gauge(DEVICE, "v3.checkpoint") == 500);
        // 2 retcode, 2 wrong reqid, 2 HTTP 500 fail a poll each; of the 2 malformed replies the first (a page)
        // makes the poller read that page one event at a time, the second (one event) fails a poll
        assertThat(v3.counter(DEVICE, "pollErrors")).as("each injected failure failed one poll, but a malformed page")
                .isEqualTo(7);
        assertThat(quarantine.total()).as("an event unreadable only once is retried, not quarantined").isZero();
        assertThat(v3.pollIs(DEVICE, DeviceState.CONNECTED)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> all.total() >= 500);
        Thread.sleep(200);
        assertThat(all.total()).isEqualTo(500);
        assertThat(all.duplicates()).isEmpty();
        assertThat(seqnums()).isEqualTo(range(1, 500));
        assertThat(sim.duplicateReqids()).as("every call has its own reqid").isZero();
        assertThat(sim.maxConcurrentRequests()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void timeoutsShowInTheStatusAndThePollerCatchesUpWhenTheDeviceAnswersAgain() throws Exception {
        sim.setReplyDelay(Duration.ofMillis(1500));
        sim.addEvents(100);
        await().atMost(Duration.ofSeconds(20)).until(() -> v3.pollIs(DEVICE, DeviceState.DISCONNECTED));
        assertThat(v3.poll(DEVICE).orElseThrow().reason()).isEqualTo("device did not answer within 500 ms");
        sim.setReplyDelay(Duration.ZERO);
        await().atMost(Duration.ofSeconds(20)).until(() -> v3.gauge(DEVICE, "v3.checkpoint") == 600);
        assertThat(v3.pollIs(DEVICE, DeviceState.CONNECTED)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> all.total() >= 600);
        Thread.sleep(200);
        assertThat(all.total()).isEqualTo(600);
        assertThat(seqnums()).isEqualTo(range(1, 600));
    }

    @Test
    @Order(3)
    void invalidEventsAreQuarantinedAndCountedAndDoNotStallTheDevice() throws Exception {
        ObjectNode unknownKind = MAPPER.createObjectNode().put("timestamp", 1714550400).put("event", "elevator")
                .put("device-id", DEVICE).put("uid", "TUID-4711");
        ObjectNode badTimestamp = MAPPER.createObjectNode().put("event", "face").put("device-id", DEVICE);
        badTimestamp.putObject("timestamp").put("sec", 1);
        sim.addEvents(3);                                   // 601..603
        long first = sim.addRawEvent(unknownKind);          // 604
        sim.addEvents(2);                                   // 605..606
        long second = sim.addRawEvent(badTimestamp);        // 607
        sim.addEvents(3);                                   // 608..610

        await().atMost(Duration.ofSeconds(20)).until(() -> v3.gauge(DEVICE, "v3.checkpoint") == 610);
        assertThat(v3.counter(DEVICE, "quarantined")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> quarantine.total() >= 2 && all.total() >= 608);
        Thread.sleep(200);
        assertThat(all.total()).isEqualTo(608);
        Set<Long> published = Set.copyOf(seqnums());
        assertThat(published).contains(603L, 605L, 606L, 608L, 610L).doesNotContain(first, second);

        assertThat(quarantine.total()).isEqualTo(2);
        Message kept = quarantine.messages().stream()
                .filter(m -> EventCollector.property(m, "quarantineReason").startsWith("seqnum " + first + ":")).findFirst().orElseThrow();
        assertThat(EventCollector.property(kept, "quarantineReason")).isEqualTo("seqnum " + first + ": field 'event' has an unknown value 'elevator'");
        assertThat(EventCollector.property(kept, "channel")).isEqualTo("v3-fetch");
        assertThat(EventCollector.property(kept, "deviceId")).isEqualTo(DEVICE);
        JsonNode raw = MAPPER.readTree(EventCollector.bytes(kept));
        assertThat(raw.get("seqnum").asLong()).isEqualTo(first);
        assertThat(raw.get("event").asText()).isEqualTo("elevator");
        assertThat(raw.get("uid").asText()).as("kept as the device sent it").isEqualTo("TUID-4711");
        assertThat(quarantine.messages().stream().map(m -> EventCollector.property(m, "quarantineReason")))
                .contains("seqnum " + second + ": field 'timestamp' must be an integer");
    }

    private List<Long> seqnums() {
        return all.messages().stream().map(m -> Long.parseLong(EventCollector.property(m, "cloudEvents_id").split(":")[1]))
                .sorted().collect(Collectors.toList());
    }

    private static List<Long> range(long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }


}
