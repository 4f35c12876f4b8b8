package io.accessbridge.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.canonical.CloudEventCodec;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.Fixtures;
import io.accessbridge.testing.RunningBridge;
import io.cloudevents.CloudEvent;
import jakarta.jms.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** v1 HTTP push over real HTTP into the real embedded broker, read back by a JMS consumer. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class V1PushIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> SPEC_RECORDS = List.of("v1/000-recognition.json", "v1/001-recognition.json",
            "v1/002-recognition.json", "v1/002-alarm.json", "v1/003-recognition.json");

    @TempDir
    static Path data;
    private RunningBridge bridge;
    private EventCollector all;
    private EventCollector alarms;
    private EventCollector quarantine;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        bridge = RunningBridge.start(data, Map.of(
                "camel.server.max-body-size", "65536",
                "bridge.events.queues", "access.events.all,access.events.alarms",
                "bridge.events.queue.access.events.alarms.filter", "eventKind LIKE 'alarm.%'"));
        all = EventCollector.consume(bridge.brokerUrl(), "access.events.all");
        alarms = EventCollector.consume(bridge.brokerUrl(), "access.events.alarms");
        quarantine = EventCollector.consume(bridge.brokerUrl(), "access.quarantine");
    }

    @AfterAll
    void stop() throws Exception {
        all.close();
        alarms.close();
        quarantine.close();
        bridge.close();
    }

    private HttpResponse<String> post(String path, byte[] body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(bridge.baseUrl() + path))
                .header("Content-Type", contentType).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everySpecRecordIsStoredOnceAlthoughSentTwiceAndAnswered200WithThePassEcho() throws Exception {
        int before = all.total();
        for (int round = 0; round < 2; round++) {
            for (String fixture : SPEC_RECORDS) {
                HttpResponse<String> r = post("/v1/events/spec-device", Fixtures.bytes(fixture), "application/json");
                assertThat(r.statusCode()).as(fixture).isEqualTo(200);
                JsonNode reply = MAPPER.readTree(r.body());
                assertThat(reply.get("code").asInt()).isEqualTo(200);
                assertThat(reply.get("msg").asText()).isEqualTo("success");
                if (fixture.contains("recognition")) {
                    assertThat(reply.at("/data/pass").asBoolean()).isTrue();
                }
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> all.total() - before >= SPEC_RECORDS.size());
        Thread.sleep(500);
        assertThat(all.total() - before).as("the second copy of each record is dropped by the broker")
                .isEqualTo(SPEC_RECORDS.size());
        assertThat(all.duplicates()).isEmpty();
        assertThat(all.ids()).contains("4d3987c1-a3b3-470b-9fb7-e114772c069c", "SPX-1684381418208-004-3Adb4v:1");
        await().atMost(Duration.ofSeconds(10)).until(() -> alarms.ids().contains("SPX-1684381418208-004-3Adb4v:1"));
        assertThat(alarms.ids()).allMatch(id -> id.startsWith("SPX-"));
    }

    @Test
    void publishedMessageIsACloudEventWithSelectorProperties() throws Exception {
        String record = new String(Fixtures.bytes("v1/003-recognition.json"), StandardCharsets.UTF_8)
                .replace("f63cad1a-e12c-4ea6-8098-01e8240bfa5b", "0e7a1c55-2f7e-4d11-9c39-5d0f1a2b3c4d");
        assertThat(post("/v1/events", record.getBytes(StandardCharsets.UTF_8), "application/json").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> all.ids().contains("0e7a1c55-2f7e-4d11-9c39-5d0f1a2b3c4d"));
        Message m = all.messages().stream().filter(x -> EventCollector.property(x, "cloudEvents_id").equals("0e7a1c55-2f7e-4d11-9c39-5d0f1a2b3c4d"))
                .findFirst().orElseThrow();
        assertThat(m.getStringProperty("cloudEvents_type")).isEqualTo("io.accessbridge.access.granted");
        assertThat(m.getStringProperty("cloudEvents_source")).isEqualTo("urn:accessbridge:device:PS71HD01MC22B00003");
        assertThat(m.getStringProperty("deviceId")).isEqualTo("PS71HD01MC22B00003");
        assertThat(m.getStringProperty("eventKind")).isEqualTo("access.granted");
        assertThat(m.getStringProperty("channel")).isEqualTo("http-push");
        assertThat(m.getStringProperty("Content-Type")).as("no HTTP header of the device leaks").isNull();
        assertThat(m.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
        String body = EventCollector.text(m);
        CloudEvent ce = CloudEventCodec.deserialize(body.getBytes(StandardCharsets.UTF_8));
        assertThat(ce.getId()).isEqualTo("0e7a1c55-2f7e-4d11-9c39-5d0f1a2b3c4d");
        assertThat(body).doesNotContain("gO/i1UcxN3k=").doesNotContain("\"pin\"");
    }

    @Test
    void malformedJsonIsAnswered400AndKeptInQuarantineAsReceived() throws Exception {
        byte[] bad = "{\"type\":0,\"data\":{\"deviceSN\":\"Q-1\", oops}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = post("/v1/events", bad, "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode reply = MAPPER.readTree(r.body());
        assertThat(reply.get("code").asInt()).isEqualTo(400);
        assertThat(reply.get("msg").asText()).startsWith("invalid event: malformed JSON at line 1");
        await().atMost(Duration.ofSeconds(10)).until(() -> quarantine.messages().stream().anyMatch(m -> EventCollector.bytes(m).length == bad.length));
        Message kept = quarantine.messages().stream().filter(m -> EventCollector.bytes(m).length == bad.length).findFirst().orElseThrow();
        assertThat(EventCollector.bytes(kept)).isEqualTo(bad);
        assertThat(kept.getStringProperty("quarantineReason")).startsWith("malformed JSON");
        assertThat(kept.getStringProperty("channel")).isEqualTo("http-push");
    }

    @Test
    void aSerialNumberTooLongForTheBrokersHeadersIs400AndQuarantinedNot503() throws Exception {
        // 10 KB in the event id, the CloudEvent source and the properties: the broker would refuse the message on
        // every re-send (its header limit), and a 503 would keep the device re-sending it forever
        String record = new String(Fixtures.bytes("v1/003-recognition.json"), StandardCharsets.UTF_8)
                .replace("PS71HD01MC22B00003", "S".repeat(10_000));
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = post("/v1/events", bytes, "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(r.body()).get("msg").asText())
                .isEqualTo("invalid event: field 'deviceSN' is longer than 128 characters");
        await().atMost(Duration.ofSeconds(10)).until(() -> quarantine.messages().stream()
                .anyMatch(m -> EventCollector.bytes(m).length == bytes.length));
        Message kept = quarantine.messages().stream().filter(m -> EventCollector.bytes(m).length == bytes.length)
                .findFirst().orElseThrow();
        assertThat(EventCollector.bytes(kept)).isEqualTo(bytes);
    }

    @Test
    void unknownEventTypeAndWrongFieldTypeAre400() throws Exception {
        HttpResponse<String> unknown = post("/v1/events", "{\"type\":9,\"data\":{}}".getBytes(), "application/json");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("unknown event type 9");
        HttpResponse<String> wrongType = post("/v1/events",
                "{\"type\":0,\"data\":{\"deviceSN\":\"A\",\"timestamp\":1660625866,\"pass\":\"maybe\"}}".getBytes(),
                "application/json");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(wrongType.body()).contains("'pass' must be a boolean");
    }

    @Test
    void nonJsonContentTypeIs415AndOversizedBodyIs413() throws Exception {
        HttpResponse<String> xml = post("/v1/events", "<event/>".getBytes(), "application/xml");
        assertThat(xml.statusCode()).isEqualTo(415);
        assertThat(MAPPER.readTree(xml.body()).get("code").asInt()).isEqualTo(415);
        byte[] huge = new byte[100_000];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertThat(post("/v1/events", huge, "application/json").statusCode()).isEqualTo(413);
    }

    @Test
    void getIsNotAPush() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(bridge.pushUrl())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
    }


}
