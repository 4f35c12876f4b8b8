package io.accessbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.broker.EmbeddedBroker;
import io.accessbridge.cli.BridgeCli;
import io.accessbridge.simulator.v1.V1Record;
import io.accessbridge.simulator.v1.V1RecordGenerator;
import io.accessbridge.testing.ExpectedIds;
import io.accessbridge.testing.RunningBridge;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Health, metrics, status API and {@code devices} against a running bridge: pushes, a re-sent record and a bad one
 * show up in {@code /observe/metrics} and {@code /api/status}; recent events are masked; readiness goes DOWN (503)
 * when the broker stops while liveness stays UP.
 */
class OpsApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void metricsStatusAndReadinessFollowWhatHappens() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(dir)) {
            V1RecordGenerator generator = V1RecordGenerator.seeded(3L);
            V1Record first = generator.next("SN-OPS", V1RecordGenerator.Variant.FW002);
            for (int i = 0; i < 4; i++) {
                assertThat(post(bridge.pushUrl() + "/ops-1", generator.next("SN-OPS", V1RecordGenerator.Variant.FW002).json()))
                        .isEqualTo(200);
            }
            assertThat(post(bridge.pushUrl() + "/ops-1", first.json())).isEqualTo(200);
            assertThat(post(bridge.pushUrl() + "/ops-1", first.json())).as("re-sent record").isEqualTo(200);
            assertThat(post(bridge.pushUrl() + "/ops-2", generator.next("SN-OPS2", V1RecordGenerator.Variant.FW000).json()))
                    .isEqualTo(200);
            assertThat(post(bridge.pushUrl() + "/ops-2", "{\"type\":0,\"data\":{\"timestamp\":\"soon\"}}")).isEqualTo(400);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    get(bridge.baseUrl() + "/observe/metrics").body())
                    .contains("bridge_events_received_total{channel=\"http-push\",device=\"ops-1\"} 6.0")
                    .contains("bridge_events_received_total{channel=\"http-push\",device=\"ops-2\"} 1.0")
                    .contains("bridge_duplicates_dropped_total{address=\"access.events\"} 1.0")
                    .contains("bridge_quarantined_total{channel=\"http-push\"} 1.0")
                    .contains("bridge_publish_latency_seconds_count{outcome=\"stored\"} 7")
                    .contains("bridge_broker_up 1.0")
                    .contains("bridge_broker_paging{address=\"access.events\"} 0.0")
                    .contains("bridge_websocket_connected_devices 0.0")
                    .contains("bridge_target_delivered_total{target=\"erpnext\"} 0.0"));
            await().atMost(Duration.ofSeconds(10)).until(() -> get(bridge.baseUrl() + "/observe/metrics").body()
                    .contains("bridge_events_queue_depth{queue=\"access.events.all\"} 6.0"));

            JsonNode status = JSON.readTree(get(bridge.baseUrl() + "/api/status").body());
            assertThat(status.at("/broker/state").asText()).isEqualTo("UP");
            assertThat(status.at("/events/received").asLong()).isEqualTo(7);
            assertThat(status.at("/events/duplicatesDropped").asLong()).isEqualTo(1);
            assertThat(status.at("/events/quarantined").asLong()).isEqualTo(1);
            assertThat(status.at("/events/perMinute").size()).isEqualTo(60);
            JsonNode ops1 = null;
            for (JsonNode d : status.get("devices")) {
                if (d.get("id").asText().equals("ops-1")) {
                    ops1 = d;
                }
            }
            assertThat(ops1).isNotNull();
            assertThat(ops1.get("state").asText()).isEqualTo("ACTIVE");
            assertThat(ops1.get("events").asLong()).isEqualTo(6);
            assertThat(status.get("targets")).hasSize(6);
            assertThat(status.get("targets").get(0).get("state").asText()).isEqualTo("DISABLED");

            String recent = get(bridge.baseUrl() + "/api/events/recent?limit=3").body();
            JsonNode events = JSON.readTree(recent);
            assertThat(events).hasSize(3);
            assertThat(events.get(0).get("device").asText()).isEqualTo("ops-2");
            assertThat(events.get(1).get("ref").asText()).isEqualTo(RecentEvents.ref(ExpectedIds.idOf("ops-1", first.key())));
            assertThat(recent).doesNotContain(first.key()).doesNotContain("\"person\"").doesNotContain("name");
            assertThat(first.data().path("user").path("name").asText()).isNotBlank();
            assertThat(recent).doesNotContain(first.data().path("user").path("name").asText());

            assertThat(post(bridge.baseUrl() + "/api/targets/nosuch/replay", "")).isEqualTo(404);
            assertThat(get(bridge.baseUrl() + "/").statusCode()).isEqualTo(302);

            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new BridgeCli());
            cli.setOut(new PrintWriter(out, true));
            assertThat(cli.execute("devices", "--url", bridge.baseUrl(), "--targets")).isZero();
            assertThat(out.toString()).contains("broker UP").containsPattern("(?m)^ops-1\\s+unknown\\s+ACTIVE\\s+")
                    .containsPattern("(?m)^ops-2\\s+").containsPattern("(?m)^erpnext\\s+DISABLED").contains("2 device(s)");

            assertThat(get(bridge.baseUrl() + "/observe/health/ready").statusCode()).isEqualTo(200);
            bridge.context().hasService(EmbeddedBroker.class).stop();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                HttpResponse<String> ready = get(bridge.baseUrl() + "/observe/health/ready?exposureLevel=full");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("\"name\":\"broker\",\"status\":\"DOWN\"");
            });
            assertThat(get(bridge.baseUrl() + "/observe/health/live").statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(get(bridge.baseUrl() + "/api/status").body()).at("/broker/state").asText())
                    .isEqualTo("DOWN");
            assertThat(get(bridge.baseUrl() + "/observe/metrics").body()).contains("bridge_broker_up 0.0");
        }
    }

    private int post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
