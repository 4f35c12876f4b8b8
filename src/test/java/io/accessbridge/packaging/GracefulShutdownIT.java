package io.accessbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.bench.PrometheusText;
import io.accessbridge.simulator.v1.V1Record;
import io.accessbridge.simulator.v1.V1RecordGenerator;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.ExpectedIds;
import io.accessbridge.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive, run through its launcher, stopped with SIGTERM while device pushes are in flight: every
 * push in flight at the signal is answered 200 and is in the broker after a restart; no push answered 200 is lost.
 * To hold pushes in flight, this test's copy of {@code routes/publish.camel.yaml} waits 2 s before each store.
 */
class GracefulShutdownIT {

    private static final String DEVICE = "shutdown-test";

    @TempDir
    Path dir;

    @Test
    void pushesInFlightAtSigtermAreAnsweredAndStored() throws Exception {
        Distribution dist = Distribution.unpack(dir);
        Path log = dir.resolve("bridge.log");
        int http = FreePorts.next();
        int broker = FreePorts.next();
        Map<String, String> env = Map.of("BRIDGE_HTTP_PORT", String.valueOf(http), "BRIDGE_HTTP_HOST", "127.0.0.1",
                "BRIDGE_BROKER_PORT", String.valueOf(broker));
        String base = "http://127.0.0.1:" + http;

        assertThat(dist.run(env, log, "check-config")).as("the shipped configuration checks out").isZero();

        Path publish = dist.home().resolve("routes/publish.camel.yaml");
        String slow = Files.readString(publish).replace("""
                      uri: direct:publish
                      steps:
                """, """
                      uri: direct:publish
                      steps:
                        - delay:
                            constant: 2000
                """);
        assertThat(slow).contains("constant: 2000");
        Files.writeString(publish, slow);

        Process bridge = dist.launch(env, log);
        Distribution.awaitReady(bridge, base, Duration.ofSeconds(90));

        V1RecordGenerator generator = V1RecordGenerator.seeded(11L);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            V1Record r = generator.next("SN-SHUTDOWN", V1RecordGenerator.Variant.FW002);
            expected.add(ExpectedIds.idOf(DEVICE, r.key()));
            inFlight.add(push(client, base, r));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> inFlightOfIngest(client, base) == 6);

        bridge.destroy();
        V1Record late = generator.next("SN-SHUTDOWN", V1RecordGenerator.Variant.FW002);
        CompletableFuture<HttpResponse<String>> lateAnswer = push(client, base, late);

        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as("a push in flight at SIGTERM is answered 200").isEqualTo(200);
            assertThat(r.body()).contains("\"code\":200");
        }
        assertThat(bridge.waitFor(60, TimeUnit.SECONDS)).as("the bridge stopped").isTrue();
        boolean lateStored = false;
        try {
            lateStored = lateAnswer.get(10, TimeUnit.SECONDS).statusCode() == 200;
        } catch (java.util.concurrent.ExecutionException e) {
            // refused: the device keeps the record and sends it again
        }
        if (lateStored) {
            expected.add(ExpectedIds.idOf(DEVICE, late.key()));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(output).contains("is shutdown").doesNotContain("Timeout occurred during graceful shutdown");

        Files.writeString(publish, slow.replace("""
                        - delay:
                            constant: 2000
                """, ""));
        Process again = dist.launch(env, log);
        Distribution.awaitReady(again, base, Duration.ofSeconds(90));
        try (EventCollector stored = EventCollector.consume("tcp://127.0.0.1:" + broker, "access.events.all")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> stored.distinct() >= expected.size());
            Thread.sleep(500);
            assertThat(stored.ids()).as("every push answered 200 is in the broker").isEqualTo(expected);
        } finally {
            again.destroy();
            again.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static CompletableFuture<HttpResponse<String>> push(HttpClient client, String base, V1Record r) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/events/" + DEVICE))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(r.json())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** In-flight exchanges of the v1 push route, from /observe/metrics. */
    private static long inFlightOfIngest(HttpClient client, String base) throws Exception {
        String metrics = client.send(HttpRequest.newBuilder(URI.create(base + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return (long) PrometheusText.parse(metrics).sum("bridge_ingest_inflight", Map.of("route", "ingest-v1-http"));
    }
}
