package io.accessbridge.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.simulator.v1.V1Fleet;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.ExpectedIds;
import io.accessbridge.testing.RunningBridge;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog larger than the embedded broker's memory ({@code bridge.broker.global-max-size-mb}) goes to disk
 * pages instead of the heap, and every event in it is still kept exactly once, across a restart of the bridge.
 */
class V1BacklogPagingIT {

    private static final Map<String, String> ONE_MIB = Map.of("bridge.broker.global-max-size-mb", "1");

    @TempDir
    Path data;

    @Test
    void backlogBeyondTheBrokersMemoryIsPagedToDiskAndConsumedExactlyOnceAfterARestart() throws Exception {
        Set<String> expected;
        try (RunningBridge bridge = RunningBridge.start(data, ONE_MIB);
             V1Fleet fleet = V1FleetFixture.start(6, 500, 0, 0.3, bridge.pushUrl())) {
            await().atMost(Duration.ofMinutes(2)).until(() -> fleet.generationDone() && fleet.drained());
            V1Fleet.FleetStats stats = fleet.stats();
            assertThat(stats.acknowledged()).isEqualTo(6 * 500);
            assertThat(stats.duplicatesSent()).as("the fleet really sent duplicates").isGreaterThan(50);
            expected = ExpectedIds.ofAcknowledged(fleet.devices());
            assertThat(expected).hasSize(6 * 500);
            assertThat(pageFiles(data.resolve("broker/paging")))
                    .as("3,000 events without a consumer exceed 1 MiB, so the broker pages them to disk")
                    .isPositive();
            assertThat(metrics(bridge)).as("operators see the paging in the metrics")
                    .contains("bridge_broker_paging{address=\"access.events\"} 1.0")
                    .contains("bridge_broker_memory_limit_bytes 1048576.0");
        }
        try (RunningBridge bridge = RunningBridge.start(data, ONE_MIB);
             EventCollector consumer = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
            await().atMost(Duration.ofMinutes(1)).until(() -> consumer.distinct() >= expected.size());
            Thread.sleep(1000);
            assertThat(consumer.ids()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(consumer.duplicates()).isEmpty();
            assertThat(consumer.total()).isEqualTo(expected.size());
        }
    }

    private static String metrics(RunningBridge bridge) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(bridge.baseUrl() + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The page files under a broker's paging directory. */
    static long pageFiles(Path paging) throws IOException {
        if (!Files.isDirectory(paging)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(paging)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".page")).count();
        }
    }
}
