package io.accessbridge.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.simulator.v1.V1Fleet;
import io.accessbridge.bench.BridgeProcess;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.ExpectedIds;
import io.accessbridge.testing.FaultTally;
import io.accessbridge.testing.RunningBridge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge process killed with SIGKILL in the middle of a run and started again on the same
 * journal: every record the devices hold arrives exactly once, and nothing acknowledged is lost.
 */
@Timeout(420)
class BridgeCrashIT {

    @TempDir
    Path data;

    @Test
    void killedBridgeLosesNothingAcknowledgedAndStoresNothingTwice() throws Exception {
        killUnderLoadAndRestart(RunningBridge.defaults(data), "bridge-kill", 600);
    }

    @Test
    void killedBridgeWhileItsBrokerPagesLosesNothingAcknowledgedAndStoresNothingTwice() throws Exception {
        Map<String, String> settings = RunningBridge.defaults(data);
        settings.put("bridge.broker.global-max-size-mb", "1");
        killUnderLoadAndRestart(settings, "bridge-kill-paging", 1500);
    }

    /**
     * Kills the bridge with SIGKILL once {@code ackedBeforeKill} records are acknowledged, starts it again on the same
     * journal, and checks that every acknowledged record is in the broker once; with a broker bound of 1 MiB the
     * backlog is in page files when the kill comes.
     */
    private void killUnderLoadAndRestart(Map<String, String> settings, String fault, long ackedBeforeKill)
            throws Exception {
        boolean paging = settings.containsKey("bridge.broker.global-max-size-mb");
        Path log = data.resolve("bridge.log");
        String pushUrl = "http://127.0.0.1:" + settings.get("bridge.http.port") + "/v1/events";
        BridgeProcess bridge = BridgeProcess.start(settings, log);
        try (V1Fleet fleet = V1FleetFixture.start(6, 400, 150, 0.1, pushUrl)) {
            await().atMost(Duration.ofMinutes(1)).until(() -> fleet.stats().acknowledged() >= ackedBeforeKill);
            if (paging) {
                assertThat(V1BacklogPagingIT.pageFiles(data.resolve("broker/paging")))
                        .as("the backlog is paged when the bridge is killed").isPositive();
            }
            bridge.kill();
            long ackedAtKill = fleet.stats().acknowledged();
            long retriesAtKill = fleet.stats().retries();
            await().atMost(Duration.ofSeconds(30)).until(() -> fleet.stats().retries() > retriesAtKill + 10);
            assertThat(fleet.stats().acknowledged()).isEqualTo(ackedAtKill);

            bridge = BridgeProcess.start(settings, log);
            await().atMost(Duration.ofMinutes(2)).until(() -> fleet.generationDone() && fleet.drained());
            assertThat(fleet.stats().acknowledged()).isEqualTo(6 * 400);
            assertThat(fleet.stats().droppedFromCache()).isZero();

            Set<String> expected = ExpectedIds.ofAcknowledged(fleet.devices());
            try (EventCollector consumer = EventCollector.consume(
                    "tcp://127.0.0.1:" + settings.get("bridge.broker.port"), "access.events.all")) {
                await().atMost(Duration.ofMinutes(1)).until(() -> consumer.distinct() >= expected.size());
                Thread.sleep(1000);
                FaultTally tally = FaultTally.inBroker(fault, fleet.stats().generated(), expected,
                        consumer.receivedIds());
                tally.assertNoneLostNoneDuplicated();
                assertThat(consumer.ids()).as("every acknowledged record survived the kill, nothing else stored")
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
        } finally {
            bridge.close();
        }
    }
}
