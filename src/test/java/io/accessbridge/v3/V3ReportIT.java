package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.broker.EmbeddedBroker;
import io.accessbridge.ingest.RawInput;
import io.accessbridge.simulator.v3.V3DeviceSimulator;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.RunningBridge;
import io.accessbridge.testing.SteppingClock;
import io.accessbridge.testing.V3Bridge;
import io.accessbridge.testing.V3Inventory;
import io.accessbridge.testing.fuzz.FormBodies;
import jakarta.jms.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * v3 event-report over real HTTP: answers, checkpoint moves, backfill of an offline gap, errors (form and
 * multipart bodies among them: answered 415 and kept as sent).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class V3ReportIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DEVICE = "gate-3";

    @TempDir
    static Path data;
    private static final String SILENT = "gate-4";
    private V3DeviceSimulator sim;
    private V3DeviceSimulator silent;
    private RunningBridge bridge;
    private V3Bridge v3;
    private EventCollector all;
    private EventCollector quarantine;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        sim = V3DeviceSimulator.builder().deviceId(DEVICE).clock(new SteppingClock(Instant.parse("2024-05-01T08:00:00Z")))
                .start();
        sim.addEvents(10);
        // a long interval: anything fetched after the first poll was fetched because of an event-report
        silent = V3DeviceSimulator.builder().deviceId(SILENT).start();
        Path inventory = V3Inventory.write(data.resolve("config"), List.of(
                new V3Inventory.Entry(sim, 100, 600_000, "all"),
                new V3Inventory.Entry(silent, 100, 600_000, "all", false)));
        bridge = RunningBridge.start(data, Map.of("bridge.devices.file", inventory.toString(),
                "bridge.v3.backoff.initial-ms", "100", "bridge.v3.backoff.max-ms", "500",
                "bridge.broker.send-timeout-ms", "1000"));
        v3 = new V3Bridge(bridge);
        all = EventCollector.consume(bridge.brokerUrl(), "access.events.all");
        quarantine = EventCollector.consume(bridge.brokerUrl(), "access.quarantine");
        await().atMost(Duration.ofSeconds(30)).until(() -> v3.gauge(DEVICE, "v3.checkpoint") == 10);
        sim.setReportTarget(URI.create(reportUrl()));
    }

    @AfterAll
    void stop() throws Exception {
        all.close();
        quarantine.close();
        bridge.close();
        sim.close();
        silent.close();
    }

    private String reportUrl() {
        return bridge.baseUrl() + "/v3/events";
    }

    private HttpResponse<String> post(String body, String contentType) throws Exception {
        return post(body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    private HttpResponse<String> post(byte[] body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(reportUrl())).header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(0)
    void reportOfADeviceWhoseReportChannelIsOffIsRefusedWith403AndNotStored() throws Exception {
        long quarantined = quarantine.total();
        String report = "{\"action\":\"event-report\",\"header\":{\"reqid\":\"r-9\"},\"body\":{\"device-id\":\""
                + SILENT + "\",\"seqnum\":1,\"timestamp\":1714550400,\"type\":\"face\",\"result\":0}}";

        HttpResponse<String> r = post(report, "application/json");

        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode reply = MAPPER.readTree(r.body());
        assertThat(reply.get("retcode").asInt()).isEqualTo(403);
        assertThat(reply.at("/header/reqid").asText()).isEqualTo("r-9");
        assertThat(reply.get("msg").asText()).contains("event-report is off");
        Thread.sleep(500);
        assertThat(all.messages()).noneMatch(m -> SILENT.equals(EventCollector.property(m, "deviceId"))
                && "v3-report".equals(EventCollector.property(m, "channel")));
        assertThat(quarantine.total()).as("not bad input: nothing quarantined").isEqualTo(quarantined);
    }

    @Test
    @Order(1)
    void reportsInSequenceAreStoredAnsweredAndMoveTheCheckpointWithoutAFetch() throws Exception {
        long fetches = sim.requestCount("event-fetch");
        sim.addEvents(5);
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.reportedSeqnums().size() == 5);
        assertThat(sim.reportedSeqnums()).containsExactly(11L, 12L, 13L, 14L, 15L);
        assertThat(v3.gauge(DEVICE, "v3.checkpoint")).isEqualTo(15);
        assertThat(sim.requestCount("event-fetch")).as("reported events are not fetched again").isEqualTo(fetches);
        await().atMost(Duration.ofSeconds(10)).until(() -> all.total() >= 15);
        assertThat(channelOf(15)).contains("v3-report");
        assertThat(channelOf(10)).contains("v3-fetch");
    }

    @Test
    @Order(2)
    void gapOfAnOfflineDeviceIsBackfilledAfterTheNextEventReport() throws Exception {
        sim.goOffline(V3DeviceSimulator.OfflineMode.REFUSE_CONNECTIONS);
        sim.addEvents(20); // 16..35, never reported
        sim.goOnline();
        long infos = sim.requestCount("event-info");
        sim.addEvents(1); // 36, reported: 16..35 are missing

        await().atMost(Duration.ofSeconds(30)).until(() -> v3.gauge(DEVICE, "v3.checkpoint") == 36
                && sim.reportedSeqnums().contains(36L));
        assertThat(sim.reportedSeqnums()).doesNotContain(16L, 35L);
        assertThat(sim.requestCount("event-info")).as("a poll was triggered by the report").isGreaterThan(infos);
        await().atMost(Duration.ofSeconds(10)).until(() -> all.total() >= 36);
        Thread.sleep(300);
        assertThat(all.total()).isEqualTo(36);
        assertThat(all.duplicates()).isEmpty();
        for (long s = 1; s <= 36; s++) {
            assertThat(channelOf(s)).as("seqnum %d", s).isPresent();
        }
        assertThat(channelOf(20)).contains("v3-fetch");
        assertThat(channelOf(36)).contains("v3-report");
        assertThat(v3.counter(DEVICE, "gaps")).as("nothing was lost on the device").isZero();
    }

    @Test
    @Order(3)
    void answerEchoesTheReqidAsSent() throws Exception {
        HttpResponse<String> text = post(report("\"129393\"", "{\"device-id\":\"" + DEVICE
                + "\",\"seqnum\":900001,\"timestamp\":1587985190,\"event\":\"door\",\"state\":1}"), "application/json");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(text.body())).isEqualTo(MAPPER.readTree("{\"retcode\":0,\"header\":{\"reqid\":\"129393\"}}"));
        HttpResponse<String> number = post(report("42", "{\"device-id\":\"" + DEVICE
                + "\",\"seqnum\":900002,\"timestamp\":1587985191,\"event\":\"door\",\"state\":0}"), "application/json");
        assertThat(MAPPER.readTree(number.body())).isEqualTo(MAPPER.readTree("{\"retcode\":0,\"header\":{\"reqid\":42}}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> all.ids().contains(DEVICE + ":900002:1587985191"));
        Message m = find(DEVICE + ":900001:1587985190").orElseThrow();
        assertThat(m.getStringProperty("deviceId")).isEqualTo(DEVICE);
        assertThat(m.getStringProperty("cloudEvents_subject")).isEqualTo("Gate " + DEVICE);
        assertThat(m.getStringProperty("eventKind")).isEqualTo("door.state");
    }

    @Test
    @Order(4)
    void invalidReportsAre400WithARetcodeAndTheReasonAndAreQuarantined() throws Exception {
        HttpResponse<String> malformed = post("{\"action\":\"event-report\",\"header\":{\"reqid\":\"7\"},\"body\":{", "application/json");
        assertThat(malformed.statusCode()).isEqualTo(400);
        JsonNode reply = MAPPER.readTree(malformed.body());
        assertThat(reply.get("retcode").asInt()).isNotZero();
        assertThat(reply.get("msg").asText()).startsWith("invalid event-report: malformed JSON");

        String noSeqnum = report("\"8\"", "{\"device-id\":\"" + DEVICE + "\",\"timestamp\":1587985190,\"event\":\"face\","
                + "\"uid\":\"TUID-1\",\"state\":4}");
        HttpResponse<String> missing = post(noSeqnum, "application/json");
        assertThat(missing.statusCode()).isEqualTo(400);
        reply = MAPPER.readTree(missing.body());
        assertThat(reply.get("retcode").asInt()).isEqualTo(400);
        assertThat(reply.at("/header/reqid").asText()).isEqualTo("8");
        assertThat(reply.get("msg").asText()).isEqualTo("invalid event-report: field 'seqnum' is required");
        assertThat(reply.toString()).doesNotContain("TUID-1");

        HttpResponse<String> wrongAction = post("{\"action\":\"event-info\",\"header\":{\"reqid\":\"9\"}}", "application/json");
        assertThat(wrongAction.statusCode()).isEqualTo(400);
        assertThat(wrongAction.body()).contains("field 'action' must be 'event-report'");
        assertThat(post(noSeqnum, "application/xml").statusCode()).isEqualTo(415);

        byte[] raw = noSeqnum.getBytes(StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(10)).until(() -> quarantine.messages().stream().anyMatch(q -> EventCollector.bytes(q).length == raw.length));
        Message kept = quarantine.messages().stream().filter(q -> EventCollector.bytes(q).length == raw.length).findFirst().orElseThrow();
        assertThat(EventCollector.bytes(kept)).isEqualTo(raw);
        assertThat(kept.getStringProperty("quarantineReason")).isEqualTo("field 'seqnum' is required");
        assertThat(kept.getStringProperty("channel")).isEqualTo("v3-report");
        assertThat(kept.getStringProperty("deviceId")).isEqualTo(DEVICE);
    }

    @Test
    @Order(5)
    void formAndMultipartReportsAreAnswered415AndKeptAsSentOnce() throws Exception {
        byte[] report = report("\"11\"", "{\"device-id\":\"" + DEVICE
                + "\",\"seqnum\":900004,\"timestamp\":1587985193,\"event\":\"door\",\"state\":1}")
                .getBytes(StandardCharsets.UTF_8);
        int before = quarantine.messages().size();
        // the answer to a body that is not JSON, as the route gives it for any other content type
        HttpResponse<String> xml = post(report, "application/xml");
        assertThat(xml.statusCode()).isEqualTo(415);
        JsonNode notJson = MAPPER.readTree(xml.body());
        assertThat(notJson).isEqualTo(MAPPER.readTree("{\"retcode\":415,\"header\":{},"
                + "\"msg\":\"invalid event-report: content type must be application/json\"}"));

        List<FormBodies.Form> forms = FormBodies.cases(report);
        for (FormBodies.Form form : forms) {
            for (int round = 0; round < 2; round++) {
                HttpResponse<String> r = post(form.body(), form.contentType());
                assertThat(r.statusCode()).as("status for %s (body %s)", form, r.body()).isEqualTo(415);
                assertThat(MAPPER.readTree(r.body())).as("answer to %s", form).isEqualTo(notJson);
            }
        }
        FormBodies.Form oversized = FormBodies.oversizedMultipart(2 * 1024 * 1024);
        assertThat(post(oversized.body(), oversized.contentType()).statusCode()).as("status for %s", oversized)
                .isEqualTo(413);
        FormBodies.Form oversizedForm = FormBodies.oversizedForm(2 * 1024 * 1024);
        assertThat(post(oversizedForm.body(), oversizedForm.contentType()).statusCode()).as("status for %s", oversizedForm)
                .isEqualTo(413);

        Set<String> sent = new HashSet<>();
        sent.add(RawInput.sha256(report));
        forms.forEach(f -> sent.add(RawInput.sha256(f.body())));
        await().atMost(Duration.ofSeconds(10)).until(() -> keptSince(before).keySet().containsAll(sent));
        Thread.sleep(300); // late copies, if any, would arrive now
        Map<String, List<Message>> kept = keptSince(before);
        assertThat(kept).as("oversized bodies are not read, so not kept")
                .doesNotContainKeys(RawInput.sha256(oversized.body()), RawInput.sha256(oversizedForm.body()));
        for (FormBodies.Form form : forms) {
            List<Message> copies = kept.get(RawInput.sha256(form.body()));
            assertThat(copies).as("copies of %s", form).hasSize(1);
            assertThat(EventCollector.bytes(copies.get(0))).as("copy of %s", form).isEqualTo(form.body());
            assertThat(copies.get(0).getStringProperty("quarantineReason")).as("reason for %s", form)
                    .isEqualTo("content type must be application/json");
            assertThat(copies.get(0).getStringProperty("channel")).isEqualTo("v3-report");
        }
        assertThat(all.ids()).doesNotContain(DEVICE + ":900004:1587985193");
    }

    /** The quarantine messages received after the first {@code from}, by the SHA-256 of their bytes. */
    private Map<String, List<Message>> keptSince(int from) {
        List<Message> messages = quarantine.messages();
        return messages.subList(from, messages.size()).stream()
                .collect(Collectors.groupingBy(m -> RawInput.sha256(EventCollector.bytes(m))));
    }

    @Test
    @Order(6)
    void reportIsAnswered503WhenTheBrokerIsDown() throws Exception {
        var broker = bridge.context().hasService(EmbeddedBroker.class).server().getActiveMQServer();
        broker.getConfiguration().setGracefulShutdownEnabled(false); // do not wait 10 s for clients to leave
        broker.stop();
        HttpResponse<String> r = post(report("\"10\"", "{\"device-id\":\"" + DEVICE
                + "\",\"seqnum\":900003,\"timestamp\":1587985192,\"event\":\"push\",\"state\":1}"), "application/json");
        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode reply = MAPPER.readTree(r.body());
        assertThat(reply.get("retcode").asInt()).isEqualTo(503);
        assertThat(reply.at("/header/reqid").asText()).isEqualTo("10");
        assertThat(reply.get("msg").asText()).contains("not stored");
    }

    private static String report(String reqid, String body) {
        return "{\"action\":\"event-report\",\"header\":{\"reqid\":" + reqid + "},\"body\":" + body + "}";
    }

    private Optional<Message> find(String id) {
        return all.messages().stream().filter(m -> id.equals(EventCollector.property(m, "cloudEvents_id"))).findFirst();
    }

    private Optional<String> channelOf(long seqnum) {
        return all.messages().stream()
                .filter(m -> EventCollector.property(m, "cloudEvents_id").startsWith(DEVICE + ":" + seqnum + ":"))
                .map(m -> EventCollector.property(m, "channel")).findFirst();
    }


}
