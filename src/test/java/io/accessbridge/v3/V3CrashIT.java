package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.BridgeMain;
import io.accessbridge.checkpoint.Checkpoint;
import io.accessbridge.simulator.v3.V3DeviceSimulator;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.FaultTally;
import io.accessbridge.testing.RunningBridge;
import io.accessbridge.testing.V3Bridge;
import io.accessbridge.testing.V3Inventory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge is killed between publishing a page and saving its checkpoint (a separate JVM halted by
 * the test fault {@code bridge.v3.test.halt-after-pages}); after a restart on the same data nothing
 * is lost and nothing is duplicated in the broker.
 */
@Timeout(420)
class V3CrashIT {

    private static final int EVENTS = 3_000;
    private static final int HALT_AFTER_PAGES = 7;
    private static final String DEVICE = "crash-1";

    @TempDir
    Path data;

    @Test
    void bridgeHaltedAfterPublishBeforeCheckpointLosesAndDuplicatesNothingAfterRestart() throws Exception {
        try (V3DeviceSimulator sim = V3DeviceSimulator.builder().deviceId(DEVICE).capacity(EVENTS).start()) {
            List<ObjectNode> events = sim.addEvents(EVENTS);
            Set<String> expected = events.stream()
                    .map(e -> DEVICE + ":" + e.get("seqnum").asLong() + ":" + e.get("timestamp").asLong())
                    .collect(Collectors.toSet());
            Path inventory = V3Inventory.write(data.resolve("config"), List.of(sim), 100, 1000, "all");
            Map<String, String> settings = RunningBridge.defaults(data);
            settings.put("bridge.devices.file", inventory.toString());

            Process first = startBridgeProcess(settings, Map.of("bridge.v3.test.halt-after-pages",
                    String.valueOf(HALT_AFTER_PAGES)));
            boolean ended = first.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                first.destroyForcibly();
            }
            assertThat(ended).as("first bridge halted; log:%n%s", log()).isTrue();
            assertThat(first.exitValue()).as("halted by the test fault; log:%n%s", log()).isEqualTo(86);
            Checkpoint afterCrash = V3Bridge.checkpoint(data, DEVICE).orElseThrow();
            assertThat(afterCrash.lastSeqnum()).as("page %d stored, its checkpoint not saved", HALT_AFTER_PAGES)
                    .isEqualTo((HALT_AFTER_PAGES - 1) * 100L);

            long restartedAt = System.currentTimeMillis();
            try (RunningBridge bridge = RunningBridge.start(data, settings)) {
                V3Bridge v3 = new V3Bridge(bridge);
                await().atMost(Duration.ofSeconds(60)).until(() -> v3.gauge(DEVICE, "v3.checkpoint") == EVENTS);
                assertThat(v3.status(DEVICE).eventsStored()).as("the unconfirmed page was fetched and published again")
                        .isEqualTo(EVENTS - afterCrash.lastSeqnum());

                try (EventCollector all = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> all.total() >= EVENTS);
                    Thread.sleep(300);
                    FaultTally tally = FaultTally.inBroker("v3-bridge-halt", EVENTS, expected, all.receivedIds());
                    tally.assertNoneLostNoneDuplicated();
                    assertThat(all.ids()).isEqualTo(expected);
                    List<Long> pageStoredBeforeCrash = new ArrayList<>();
                    for (Message m : all.messages()) {
                        long seqnum = seqnum(m);
                        if (seqnum > afterCrash.lastSeqnum() && seqnum <= HALT_AFTER_PAGES * 100L) {
                            pageStoredBeforeCrash.add(m.getJMSTimestamp());
                        }
                    }
                    assertThat(pageStoredBeforeCrash).hasSize(100)
                            .as("the copies kept are those of the first run; the second run's were dropped")
                            .allMatch(t -> t < restartedAt);
                }
            }
        }
    }

    private Process startBridgeProcess(Map<String, String> settings, Map<String, String> extra) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        extra.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add(BridgeMain.class.getName());
        return new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(data.resolve("first-run.log").toFile()).start();
    }

    private String log() throws Exception {
        List<String> lines = Files.readAllLines(data.resolve("first-run.log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static long seqnum(Message m) {
        try {
            return Long.parseLong(m.getStringProperty("cloudEvents_id").split(":")[1]);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
