package io.accessbridge.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.simulator.v1.V1Fleet;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.ExpectedIds;
import io.accessbridge.testing.RunningBridge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Simulated devices -> bridge over real HTTP -> embedded broker -> a JMS consumer, exactly once. */
class V1ExactlyOnceIT {

    @TempDir
    Path data;

    @Test
    void everyRecordArrivesExactlyOnceAlthoughDevicesSendDuplicates() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(data);
             V1Fleet fleet = V1FleetFixture.start(8, 250, 0, 0.3, bridge.pushUrl());
             EventCollector consumer = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
            await().atMost(Duration.ofMinutes(2)).until(() -> fleet.generationDone() && fleet.drained());
            V1Fleet.FleetStats stats = fleet.stats();
            assertThat(stats.generated()).isEqualTo(8 * 250);
            assertThat(stats.acknowledged()).isEqualTo(stats.generated());
            assertThat(stats.duplicatesSent()).as("the fleet really sent duplicates").isGreaterThan(100);
            Set<String> expected = ExpectedIds.ofAcknowledged(fleet.devices());
            assertThat(expected).hasSize(8 * 250);

            await().atMost(Duration.ofMinutes(1)).until(() -> consumer.distinct() >= expected.size());
            Thread.sleep(1000);
            assertThat(consumer.ids()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(consumer.duplicates()).isEmpty();
            assertThat(consumer.total()).isEqualTo(expected.size());
        }
    }
}
