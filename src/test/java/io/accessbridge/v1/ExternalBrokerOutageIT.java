package io.accessbridge.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.broker.BrokerSettings;
import io.accessbridge.broker.EmbeddedBroker;
import io.accessbridge.simulator.v1.V1Fleet;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.ExpectedIds;
import io.accessbridge.testing.FaultTally;
import io.accessbridge.testing.FreePorts;
import io.accessbridge.testing.RunningBridge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge on an external Artemis (started by the test on its own port), stopped in the middle
 * of a run: devices get errors and keep their records; once the broker is back, every record is
 * in it exactly once.
 */
@Timeout(420)
class ExternalBrokerOutageIT {

    @TempDir
    Path data;

    @Test
    void brokerStoppedMidRunLosesNothingAndStoresNothingTwice() throws Exception {
        int port = FreePorts.next();
        String url = "tcp://127.0.0.1:" + port;
        BrokerSettings external = new BrokerSettings(true, "127.0.0.1", port, data.resolve("external-broker"), url,
                null, null, 5000, 500_000, 4, "access.events",
                List.of(new BrokerSettings.QueueSpec("access.events.all", null)), "access.events.DLA", "access.quarantine", "ASYNCIO",
                100_000, 0);
        EmbeddedBroker broker = new EmbeddedBroker(external);
        broker.start();
        try (RunningBridge bridge = RunningBridge.start(data.resolve("bridge"), Map.of(
                "bridge.broker.url", url,
                "bridge.broker.send-timeout-ms", "2000"));
             V1Fleet fleet = V1FleetFixture.start(5, 800, 40, 0.1, bridge.pushUrl())) {
            await().atMost(Duration.ofMinutes(1)).until(() -> fleet.stats().acknowledged() >= 300);
            long retriesAtStop = fleet.stats().retries();
            broker.stop();
            V1FleetFixture.assertTurnedAwayAndKept(fleet, retriesAtStop, "the broker is down");
            java.net.http.HttpResponse<String> whileDown = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(bridge.pushUrl()))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"type\":0,\"data\":{\"deviceSN\":\"PROBE\",\"timestamp\":1700000000,\"pass\":true}}"))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(whileDown.statusCode()).as("the device is told to retry").isEqualTo(503);
            assertThat(whileDown.body()).contains("\"code\":503");

            broker = new EmbeddedBroker(external);
            broker.start();
            await().atMost(Duration.ofMinutes(2)).until(() -> fleet.generationDone() && fleet.drained());
            assertThat(fleet.stats().acknowledged()).isEqualTo(5 * 800);
            assertThat(fleet.stats().droppedFromCache()).isZero();

            Set<String> expected = ExpectedIds.ofAcknowledged(fleet.devices());
            try (EventCollector consumer = EventCollector.consume(url, "access.events.all")) {
                await().atMost(Duration.ofMinutes(1)).until(() -> consumer.distinct() >= expected.size());
                Thread.sleep(1000);
                FaultTally tally = FaultTally.inBroker("broker-restart", fleet.stats().generated(), expected,
                        consumer.receivedIds());
                tally.assertNoneLostNoneDuplicated();
                assertThat(consumer.ids()).containsExactlyInAnyOrderElementsOf(expected);
            }
        } finally {
            broker.stop();
        }
    }
}
