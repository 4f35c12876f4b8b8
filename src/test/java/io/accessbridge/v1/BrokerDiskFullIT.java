package io.accessbridge.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.broker.EmbeddedBroker;
import io.accessbridge.canonical.EventIds;
import io.accessbridge.simulator.v1.V1Fleet;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.ExpectedIds;
import io.accessbridge.testing.FaultTally;
import io.accessbridge.testing.RunningBridge;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.activemq.artemis.core.server.files.FileStoreMonitor;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker's disk full in the middle of a run. The test cannot fill this machine's disk,
 * so it lowers the broker's own limit ({@code max-disk-usage}) below what the disk holds: Artemis
 * then takes its disk for full exactly as it would on a full one, and blocks every producer. Devices
 * must get a {@code 503} within the send timeout and keep their records; once the limit is back, every
 * record is in the broker exactly once. Sessions that still hold producer credits granted before the disk
 * filled may store a few more pushes (the broker takes what it granted); those are answered 200 and counted.
 */
@Timeout(420)
class BrokerDiskFullIT {

    private static final long SEND_TIMEOUT_MS = 2000;

    @TempDir
    Path data;

    @Test
    void fullDiskTurnsPushesAwayWith503AndStoresEveryRecordOnceWhenSpaceIsBack() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(data, Map.of(
                "bridge.broker.send-timeout-ms", String.valueOf(SEND_TIMEOUT_MS)));
             V1Fleet fleet = V1FleetFixture.start(5, 800, 40, 0.1, bridge.pushUrl())) {
            FileStoreMonitor disk = diskMonitor(bridge);
            double limit = disk.getMaxUsage();
            assertThat(limit).as("the broker watches its disk").isBetween(0.5, 1.0);
            await().atMost(Duration.ofMinutes(1)).until(() -> fleet.stats().acknowledged() >= 300);

            long retriesAtFull = fleet.stats().retries();
            disk.setMaxUsage(0.0);
            disk.tick();
            V1FleetFixture.assertTurnedAwayAndKept(fleet, retriesAtFull, "the disk is full");

            Set<String> probesStored = new HashSet<>();
            HttpResponse<String> refused = null;
            for (int i = 0; i < 200 && refused == null; i++) {
                String uuid = UUID.randomUUID().toString();
                HttpResponse<String> r = probe(bridge, "{\"type\":0,\"data\":{\"deviceSN\":\"PROBE\",\"uuid\":\"" + uuid
                        + "\",\"timestamp\":1700000000,\"pass\":true}}");
                assertThat(r.statusCode()).as("answered: stored, or told to retry").isIn(200, 503);
                if (r.statusCode() == 200) {
                    probesStored.add(EventIds.ofV1Record(uuid));
                } else {
                    refused = r;
                }
            }
            assertThat(refused).as("once the credits the broker granted before the disk filled are spent, a push"
                    + " is told to retry").isNotNull();
            assertThat(refused.body()).contains("\"code\":503");
            HttpResponse<String> malformed = probe(bridge, "{\"type\":0,\"data\":");
            assertThat(malformed.statusCode()).as("bad input that cannot be quarantined is not answered 400:"
                    + " the device would drop it").isEqualTo(503);

            disk.setMaxUsage(limit);
            disk.tick();
            await().atMost(Duration.ofMinutes(2)).until(() -> fleet.generationDone() && fleet.drained());
            assertThat(fleet.stats().acknowledged()).isEqualTo(5 * 800);
            assertThat(fleet.stats().droppedFromCache()).isZero();

            Set<String> expected = new HashSet<>(ExpectedIds.ofAcknowledged(fleet.devices()));
            expected.addAll(probesStored);
            try (EventCollector consumer = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
                await().atMost(Duration.ofMinutes(1)).until(() -> consumer.distinct() >= expected.size());
                Thread.sleep(1000);
                FaultTally tally = FaultTally.inBroker("broker-disk-full", fleet.stats().generated() + probesStored.size(), expected,
                        consumer.receivedIds());
                tally.assertNoneLostNoneDuplicated();
                assertThat(consumer.ids()).containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }

    /** One push from a device the fleet does not have, answered within a bound the test sets well above the send timeout. */
    private static HttpResponse<String> probe(RunningBridge bridge, String body) throws Exception {
        HttpRequest push = HttpRequest.newBuilder(URI.create(bridge.pushUrl()))
                .timeout(Duration.ofMillis(SEND_TIMEOUT_MS * 5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(push, HttpResponse.BodyHandlers.ofString());
    }

    private static FileStoreMonitor diskMonitor(RunningBridge bridge) {
        EmbeddedBroker broker = bridge.context().hasService(EmbeddedBroker.class);
        assertThat(broker).as("the bridge runs its embedded broker").isNotNull();
        FileStoreMonitor monitor = ((ActiveMQServerImpl) broker.server().getActiveMQServer()).getMonitor();
        assertThat(monitor).as("the broker watches its disk (max-disk-usage)").isNotNull();
        return monitor;
    }
}
