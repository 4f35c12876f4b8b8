package io.accessbridge.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.canonical.EventKind;
import io.accessbridge.target.fakes.RecordingServer;
import io.accessbridge.testing.RunningBridge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The generic HTTP JSON target (template) and the CSV attendance file. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpAndCsvTargetIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private RecordingServer receiver;
    private RunningBridge bridge;
    private TargetEvents events;
    private Path csvDir;

    @BeforeAll
    void start() throws Exception {
        receiver = new RecordingServer();
        csvDir = dir.resolve("attendance");
        Map<String, String> s = TargetTesting.settings(dir);
        s.put("bridge.target.http.enabled", "true");
        s.put("bridge.target.http.url", receiver.url() + "/hooks/access");
        s.put("bridge.target.http.token", "t0k3n");
        s.put("bridge.target.csv.enabled", "true");
        s.put("bridge.target.csv.dir", csvDir.toString());
        bridge = RunningBridge.start(dir.resolve("data"), s);
        events = TargetEvents.publisher(bridge.brokerUrl());
    }

    @AfterAll
    void stop() throws Exception {
        events.close();
        bridge.close();
        receiver.close();
    }

    @Test
    void accessEventsArePostedAsTheTemplatesJsonWithValuesEscaped() throws Exception {
        events.publish(TargetEvents.granted("http-1", "lobby-in", "A\"1\\x", Instant.parse("2024-06-10T08:00:00Z")));
        events.publish(TargetEvents.access("http-2", EventKind.ACCESS_DENIED, "hall", "4711", "stranger",
                Instant.parse("2024-06-10T08:00:01Z"), null));
        events.publish(TargetEvents.alarm("http-alarm", "hall", Instant.parse("2024-06-10T08:00:02Z")));

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/hooks/access").stream()
                .filter(r -> r.text().contains("http-2")).count() == 1);
        List<JsonNode> bodies = receiver.requests("/hooks/access").stream().filter(r -> r.text().contains("http-")).map(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + r.text(), e);
            }
        }).toList();
        assertThat(bodies).extracting(b -> b.get("eventId").asText()).containsExactly("http-1", "http-2");
        JsonNode first = bodies.get(0);
        assertThat(first.get("employee").asText()).isEqualTo("A\"1\\x");
        assertThat(first.get("granted").asBoolean()).isTrue();
        assertThat(first.get("direction").asText()).isEmpty();
        assertThat(first.get("door").asText()).isEqualTo("Door of lobby-in");
        assertThat(bodies.get(1).get("granted").asBoolean()).isFalse();
        assertThat(bodies.get(1).get("kind").asText()).isEqualTo("access.denied");
        assertThat(receiver.requests("/hooks/access")).allSatisfy(r -> {
            assertThat(r.header("Authorization")).isEqualTo("Bearer t0k3n");
            assertThat(r.header("Content-Type")).startsWith("application/json");
            assertThat(r.header("cloudEvents_id")).as("no broker property leaks as an HTTP header").isNull();
        });
    }

    @Test
    void punchesAreAppendedToTodaysCsvFileWithAHeaderAndNothingPersonalBeyondTheEmployeeCode() throws Exception {
        events.publish(TargetEvents.granted("csv-1", "lobby-in", "5001", Instant.parse("2024-06-10T10:00:00Z")));
        events.publish(TargetEvents.access("csv-visitor", EventKind.ACCESS_GRANTED, "lobby-in", "5002", "visitor",
                Instant.parse("2024-06-10T10:05:00Z"), null));
        events.publish(TargetEvents.granted("csv-2", "lobby-out", "5001", Instant.parse("2024-06-10T18:00:00Z")));

        Path file = csvDir.resolve("attendance-" + LocalDate.now(ZoneOffset.UTC) + ".csv");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file)
                && Files.readString(file).contains("csv-2"));
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).containsExactly(
                "date,time,timestamp_utc,employee,direction,device,site,door,event_id",
                "2024-06-10,12:00:00,2024-06-10T10:00:00Z,5001,IN,lobby-in,hq,Door of lobby-in,csv-1",
                "2024-06-11,02:00:00,2024-06-10T18:00:00Z,5001,OUT,lobby-out,hq,Door of lobby-out,csv-2");
        String text = Files.readString(file);
        assertThat(text).doesNotContain("Person 5001").doesNotContain("C5001").doesNotContain("u5001")
                .doesNotContain("5002");
    }
}
