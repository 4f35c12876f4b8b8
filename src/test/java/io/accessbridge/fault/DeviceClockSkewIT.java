package io.accessbridge.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1Record;
import io.accessbridge.simulator.v1.V1RecordGenerator;
import io.accessbridge.simulator.v3.V3DeviceSimulator;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.ExpectedIds;
import io.accessbridge.testing.FaultTally;
import io.accessbridge.testing.RunningBridge;
import io.accessbridge.testing.V3Bridge;
import io.accessbridge.testing.V3Inventory;
import jakarta.jms.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices whose clocks are years off: a v1 device reset to 1970 and one 30 years ahead pushing every record
 * shape (and re-sending), a v3 device reset to 1970 (seconds), one 30 years ahead (milliseconds, polled and
 * reporting), and one 10 years behind whose inventory entry says {@code firstContact: since:<yesterday>}.
 * Every event is stored once under an id that does not change when it is re-sent, its {@code occurredAt} and
 * CloudEvent {@code time} are the device's time exactly as the device wrote it, and the broker message's
 * {@code JMSTimestamp} is the bridge's own time of storing. The events the since-device's log held are skipped by
 * that configuration, but counted ({@code firstContactSkipped}); what it logs afterwards is read.
 */
@Timeout(240)
class DeviceClockSkewIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AHEAD = Duration.ofDays(365L * 30);
    private static final Duration FIVE_YEARS = Duration.ofDays(365L * 5);
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path data;

    @Test
    void devicesWithClocksYearsOffAreStoredOnceWithTheirOwnTimeBesideTheBridgesOwn() throws Exception {
        long startedAt = System.currentTimeMillis();
        Instant now = Instant.now();
        Duration toEpochReset = Duration.between(now, Instant.parse("1970-01-02T00:00:00Z"));
        Duration toDeviceReset = Duration.between(now, Instant.parse("1970-01-01T00:00:05Z"));
        Instant since = now.minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);

        try (V3DeviceSimulator v3Behind = V3DeviceSimulator.builder().deviceId("v3-behind")
                     .clock(Clock.offset(Clock.systemUTC(), toDeviceReset)).start();
             V3DeviceSimulator v3Ahead = V3DeviceSimulator.builder().deviceId("v3-ahead")
                     .clock(Clock.offset(Clock.systemUTC(), AHEAD))
                     .timestampUnit(V3DeviceSimulator.TimestampUnit.MILLISECONDS).start();
             V3DeviceSimulator v3Since = V3DeviceSimulator.builder().deviceId("v3-since")
                     .clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(-365L * 10))).start()) {
            List<JsonNode> behindEvents = new ArrayList<>(v3Behind.addEvents(120));
            List<JsonNode> aheadEvents = new ArrayList<>(v3Ahead.addEvents(120));
            List<JsonNode> skippedBySince = new ArrayList<>(v3Since.addEvents(40));
            Path inventory = V3Inventory.write(data.resolve("config"), List.of(
                    new V3Inventory.Entry(v3Behind, 50, 200, "all"),
                    new V3Inventory.Entry(v3Ahead, 50, 200, "all"),
                    new V3Inventory.Entry(v3Since, 50, 200, "since:" + since)));
            Map<String, String> settings = RunningBridge.defaults(data);
            settings.put("bridge.devices.file", inventory.toString());

            try (RunningBridge bridge = RunningBridge.start(data, settings);
                 V1DeviceSimulator v1Behind = v1Device("V1-BEHIND", toEpochReset);
                 V1DeviceSimulator v1Ahead = v1Device("V1-AHEAD", AHEAD)) {
                V3Bridge v3 = new V3Bridge(bridge);
                // the device ahead also reports each new event: every one arrives twice (report + fetch)
                v3Ahead.setReportTarget(URI.create(bridge.baseUrl() + "/v3/events"));
                await().atMost(WAIT).until(() -> v3.gauge("v3-since", "v3.checkpoint") >= 40);
                behindEvents.addAll(v3Behind.addEvents(30));
                aheadEvents.addAll(v3Ahead.addEvents(30));
                List<JsonNode> sinceEvents = new ArrayList<>(v3Since.addEvents(20));

                Map<String, List<V1Record>> v1Records = new HashMap<>();
                for (V1DeviceSimulator d : List.of(v1Behind, v1Ahead)) {
                    d.subscribe(bridge.pushUrl() + "/" + d.serialNumber(), true);
                    List<V1Record> records = new ArrayList<>();
                    for (int i = 0; i < 80; i++) {
                        records.add(d.emit().orElseThrow());
                    }
                    v1Records.put(d.serialNumber(), records);
                }
                await().atMost(WAIT).until(() -> v1Behind.stats().acknowledged() == 80 && v1Behind.cacheSize() == 0
                        && v1Ahead.stats().acknowledged() == 80 && v1Ahead.cacheSize() == 0);
                assertThat(v1Behind.stats().duplicatesSent() + v1Ahead.stats().duplicatesSent())
                        .as("the devices re-sent acknowledged records").isPositive();
                await().atMost(WAIT).until(() -> v3.gauge("v3-behind", "v3.checkpoint") == v3Behind.max()
                        && v3.gauge("v3-ahead", "v3.checkpoint") == v3Ahead.max()
                        && v3.gauge("v3-since", "v3.checkpoint") == v3Since.max()
                        && v3Ahead.reportedSeqnums().size() + v3Ahead.reportsFailed() >= 30);

                // re-sent as the device sent them: answered as stored, stored no second time
                HttpClient http = HttpClient.newHttpClient();
                for (Map.Entry<String, List<V1Record>> e : v1Records.entrySet()) {
                    for (V1Record r : e.getValue().subList(0, 10)) {
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                                        URI.create(bridge.pushUrl() + "/" + e.getKey()))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(r.json())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(answer.statusCode()).isEqualTo(200);
                        assertThat(answer.body()).contains("\"code\":200");
                    }
                }

                Map<String, Instant> deviceTime = new HashMap<>();
                Map<String, Set<String>> owed = new HashMap<>();
                for (Map.Entry<String, List<V1Record>> e : v1Records.entrySet()) {
                    Set<String> ids = new LinkedHashSet<>();
                    for (V1Record r : e.getValue()) {
                        String id = ExpectedIds.idOf(e.getKey(), r.key());
                        ids.add(id);
                        deviceTime.put(id, r.type() == V1Record.TYPE_ALARM
                                ? Instant.ofEpochMilli(r.data().get("event_time").asLong())
                                : Instant.ofEpochSecond(r.data().get("timestamp").asLong()));
                    }
                    assertThat(ids).as("one id per record of %s, whatever its clock", e.getKey()).hasSize(80);
                    assertThat(e.getValue()).as("alarms (event_time in ms) among them")
                            .anyMatch(r -> r.type() == V1Record.TYPE_ALARM);
                    owed.put(e.getKey(), ids);
                }
                owed.put("v3-behind", v3Ids("v3-behind", behindEvents, false, deviceTime));
                owed.put("v3-ahead", v3Ids("v3-ahead", aheadEvents, true, deviceTime));
                owed.put("v3-since", v3Ids("v3-since", sinceEvents, false, deviceTime));
                Set<String> notOwed = v3Ids("v3-since", skippedBySince, false, new HashMap<>());
                int total = owed.values().stream().mapToInt(Set::size).sum();

                try (EventCollector all = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
                    await().atMost(WAIT).until(() -> all.distinct() >= total);
                    Thread.sleep(1000);
                    long storedBy = System.currentTimeMillis();

                    tally("clock-skew-v1-behind", v1Behind.stats().generated(), v1Behind, all);
                    tally("clock-skew-v1-ahead", v1Ahead.stats().generated(), v1Ahead, all);
                    FaultTally.inBroker("clock-skew-v3-behind", behindEvents.size(), owed.get("v3-behind"),
                            all.receivedIds(of("v3-behind"))).assertNoneLostNoneDuplicated();
                    FaultTally.inBroker("clock-skew-v3-ahead", aheadEvents.size(), owed.get("v3-ahead"),
                            all.receivedIds(of("v3-ahead"))).assertNoneLostNoneDuplicated();
                    FaultTally since10y = FaultTally.inBroker("clock-skew-v3-since-behind",
                            skippedBySince.size() + sinceEvents.size(), owed.get("v3-since"),
                            all.receivedIds(of("v3-since")));
                    since10y.assertNoneLostNoneDuplicated();
                    assertThat(since10y.unexpected()).as("the log before the first contact is skipped, by config")
                            .isEmpty();
                    assertThat(all.ids()).doesNotContainAnyElementsOf(notOwed);
                    assertThat(v3.counter("v3-since", "firstContactSkipped")).as("and counted")
                            .isEqualTo(skippedBySince.size());
                    assertThat(v3.counter("v3-behind", "firstContactSkipped")).isZero();
                    assertThat(v3Ahead.reportedSeqnums()).as("reported, then fetched as well").hasSize(30);

                    assertThat(all.total()).isEqualTo(total);
                    for (Message m : all.messages()) {
                        String id = EventCollector.idOf(m);
                        JsonNode event = JSON.readTree(EventCollector.text(m));
                        Instant said = deviceTime.get(id);
                        assertThat(said).as("event %s is one the devices made", id).isNotNull();
                        assertThat(Instant.parse(event.get("data").get("occurredAt").asText()))
                                .as("occurredAt of %s is the device's own time", id).isEqualTo(said);
                        assertThat(Instant.parse(event.get("time").asText())).isEqualTo(said);
                        assertThat(Instant.parse(EventCollector.property(m, "cloudEvents_time"))).isEqualTo(said);
                        long stored = m.getJMSTimestamp();
                        assertThat(stored).as("JMSTimestamp of %s: when the bridge stored it", id)
                                .isBetween(startedAt, storedBy);
                        assertThat(Duration.between(said, Instant.ofEpochMilli(stored)).abs())
                                .as("the bridge did not move %s to its own time", id).isGreaterThan(FIVE_YEARS);
                    }
                }
            }
        }
    }

    private static V1DeviceSimulator v1Device(String serial, Duration clockOffset) {
        V1DeviceSimulator.Options options = V1DeviceSimulator.Options.defaults()
                .withServeApi(false)
                .withRetryBackoff(Duration.ofMillis(20), Duration.ofMillis(400))
                .withDuplicateProbability(0.3)
                .withGenerator(V1RecordGenerator.Options.defaults().withSeed((long) serial.hashCode())
                        .withPopulation(200, 60))
                .withClockOffset(clockOffset);
        return new V1DeviceSimulator(serial, options).start();
    }

    private static void tally(String name, long sent, V1DeviceSimulator device, EventCollector all) {
        FaultTally.inBroker(name, sent, ExpectedIds.ofAcknowledged(List.of(device)),
                all.receivedIds(of(device.serialNumber()))).assertNoneLostNoneDuplicated();
    }

    private static Set<String> v3Ids(String device, List<JsonNode> events, boolean millis, Map<String, Instant> times) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode e : events) {
            long ts = e.get("timestamp").asLong();
            String id = device + ":" + e.get("seqnum").asLong() + ":" + ts;
            ids.add(id);
            times.put(id, millis ? Instant.ofEpochMilli(ts) : Instant.ofEpochSecond(ts));
        }
        return ids;
    }

    private static Predicate<Message> of(String deviceId) {
        return m -> deviceId.equals(EventCollector.property(m, "deviceId"));
    }
}
