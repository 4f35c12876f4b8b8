package io.accessbridge.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.accessbridge.target.fakes.RecordingServer;
import io.accessbridge.testing.RunningBridge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Route files are the wiring: an edit changes where events go, a mistake stops start-up with file and line. */
class RouteFilesIT {

    @TempDir
    Path dir;

    private Path copyRoutes() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        return routes;
    }

    @Test
    void editingARouteFileWhileTheBridgeRunsChangesWhereEventsGo() throws Exception {
        Path routes = copyRoutes();
        try (RecordingServer first = new RecordingServer(); RecordingServer second = new RecordingServer()) {
            Map<String, String> s = TargetTesting.settings(dir);
            s.put("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
            s.put("camel.main.routes-reload-enabled", "true");
            s.put("camel.main.routes-reload-directory", routes.toString());
            s.put("bridge.target.http.enabled", "true");
            s.put("bridge.target.http.url", first.url() + "/in");
            try (RunningBridge bridge = RunningBridge.start(dir.resolve("data"), s);
                 TargetEvents events = TargetEvents.publisher(bridge.brokerUrl())) {
                events.publish(TargetEvents.granted("edit-1", "lobby-in", "1", Instant.parse("2024-06-11T08:00:00Z")));
                await().atMost(Duration.ofSeconds(20)).until(() -> first.requests("/in").size() == 1);
                assertThat(first.requests("/in").get(0).header("Authorization")).as("no token set, none sent").isNull();

                Route before = bridge.context().getRoute("forward-http");
                Path file = routes.resolve("forward-http.camel.yaml");
                String yaml = Files.readString(file);
                assertThat(yaml).contains("uri: \"{{bridge.target.http.url}}\"");
                Files.writeString(file, yaml.replace("uri: \"{{bridge.target.http.url}}\"",
                        "uri: \"" + second.url() + "/edited\""));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    Route now = bridge.context().getRoute("forward-http");
                    return now != null && now != before && bridge.context().getRouteController()
                            .getRouteStatus("forward-http").isStarted();
                });

                events.publish(TargetEvents.granted("edit-2", "lobby-in", "2", Instant.parse("2024-06-11T08:01:00Z")));
                await().atMost(Duration.ofSeconds(20)).until(() -> second.requests("/edited").size() == 1);
                assertThat(second.requests("/edited").get(0).text()).contains("edit-2");
                assertThat(first.requests("/in")).hasSize(1);
                assertThat(bridge.context().getRoute("ingest-v1-http")).as("other routes keep running").isNotNull();
            }
        }
    }

    @Test
    void aRouteFileWithMistakesIsRejectedAtStartWithFileLineAndReason() throws Exception {
        Path routes = copyRoutes();
        Path broken = routes.resolve("forward-broken.camel.yaml");
        Files.writeString(broken, """
                - route:
                    id: forward-broken
                    from:
                      uri: "jms:queue:{{bridge.target.broken.queue}}"
                      steps:
                        - bean:
                            ref: erpnextCheckin
                        - bean:
                            ref: erpnextCheckins
                            method: toRequst
                        - to: "htp://example.invalid/"
                """);
        Map<String, String> s = TargetTesting.settings(dir);
        s.put("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");

        assertThatThrownBy(() -> RunningBridge.start(dir.resolve("data"), s))
                .rootCause()
                .hasMessageContaining(broken + ":4:12: unknown setting 'bridge.target.broken.queue'")
                .hasMessageContaining(broken + ":7:18: no bean named 'erpnextCheckin'")
                .hasMessageContaining(broken + ":10:21: bean 'erpnextCheckins' has no method 'toRequst'")
                .hasMessageContaining(broken + ":11:15: no component 'htp'");
    }
}
