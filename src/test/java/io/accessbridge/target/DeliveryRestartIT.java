package io.accessbridge.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.target.fakes.FakeErpNext;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.FaultTally;
import io.accessbridge.testing.RunningBridge;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumption is transacted: a bridge stopped while its target is down keeps every undelivered event in the
 * target's queue (none dead-lettered, none lost), and the next start delivers them once.
 */
@Timeout(180)
class DeliveryRestartIT {

    @TempDir
    Path dir;

    @Test
    void eventsWaitingForADownTargetSurviveARestartAndAreDeliveredOnce() throws Exception {
        try (FakeErpNext erp = new FakeErpNext("k:s").employee("1", "E-1").employee("2", "E-2")) {
            Map<String, String> s = TargetTesting.settings(dir);
            s.put("bridge.target.erpnext.enabled", "true");
            s.put("bridge.target.erpnext.url", erp.url());
            s.put("bridge.target.erpnext.api-key", "k");
            s.put("bridge.target.erpnext.secret", "s");
            Path data = dir.resolve("data");

            erp.down(true);
            try (RunningBridge first = RunningBridge.start(data, s);
                 TargetEvents events = TargetEvents.publisher(first.brokerUrl())) {
                events.publish(TargetEvents.granted("rs-1", "lobby-in", "1", Instant.parse("2024-06-12T07:00:00Z")));
                events.publish(TargetEvents.granted("rs-2", "lobby-in", "2", Instant.parse("2024-06-12T07:01:00Z")));
                events.publish(TargetEvents.granted("rs-3", "lobby-out", "1", Instant.parse("2024-06-12T16:00:00Z")));
                TargetStats stats = first.context().getRegistry().lookupByNameAndType("targetStats", TargetStats.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> stats.of("erpnext").failed() >= 2);
                assertThat(stats.of("erpnext").retrying()).isEqualTo(1);
            }
            assertThat(erp.checkins()).isEmpty();

            erp.down(false);
            try (RunningBridge second = RunningBridge.start(data, s)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> erp.checkins().size() >= 3);
                assertThat(erp.checkins()).containsExactly(
                        new FakeErpNext.Checkin("E-1", "2024-06-12 09:00:00", "IN", "lobby-in"),
                        new FakeErpNext.Checkin("E-2", "2024-06-12 09:01:00", "IN", "lobby-in"),
                        new FakeErpNext.Checkin("E-1", "2024-06-13 00:00:00", "OUT", "lobby-out"));
                try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(second.brokerUrl())) {
                    TargetSettings erpnext = TargetSettings.from(new Settings(k -> Optional.empty()), "erpnext");
                    List<DeadLetter> dead = new DeadLetters(cf, List.of(erpnext), Clock.systemUTC())
                            .list(DeadLetterFilter.ALL);
                    assertThat(dead).as("a stop is no reason to give up").isEmpty();
                }
                List<String> ids = List.of("rs-1", "rs-2", "rs-3");
                try (EventCollector all = EventCollector.consume(second.brokerUrl(), "access.events.all")) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> all.total() >= ids.size());
                    Thread.sleep(300);
                    FaultTally.inBroker("target-down-restart", ids.size(), ids, all.receivedIds())
                            .assertNoneLostNoneDuplicated();
                }
                Map<String, String> punches = Map.of(
                        "1|2024-06-12 09:00:00|IN", "rs-1",
                        "2|2024-06-12 09:01:00|IN", "rs-2",
                        "1|2024-06-13 00:00:00|OUT", "rs-3");
                // at-least-once to a target: copies would be reported here; none may be missing
                FaultTally.delivered("target-down-restart@erpnext", ids.size(), ids, erp.accepted().stream()
                        .map(a -> punches.getOrDefault(TargetTesting.key(a), TargetTesting.key(a))).toList())
                        .assertNoneLost();
            }
        }
    }
}
