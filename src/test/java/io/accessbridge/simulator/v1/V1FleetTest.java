package io.accessbridge.simulator.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(120)
class V1FleetTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static V1Fleet.Options burst(int devices, long perDevice, long seed) {
        return V1Fleet.Options.of(devices)
                .withSeed(seed)
                .withLoad(0, perDevice)
                .withDevice(V1DeviceSimulator.Options.defaults()
                        .withServeApi(false)
                        .withRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(50))
                        .withGenerator(V1RecordGenerator.Options.defaults().withStartEpochMillis(1_700_000_000_000L)));
    }

    @Test
    void fleetDeliversEveryRecordPerDeviceAndAggregatesStats() throws Exception {
        try (V1TestReceiver receiver = new V1TestReceiver();
             V1Fleet fleet = new V1Fleet(burst(4, 25, 11L))) {
            fleet.start();
            fleet.subscribeAll(receiver.url("/v1/push/{sn}"), true);
            fleet.startGenerating();

            await().atMost(WAIT).until(() -> fleet.generationDone() && fleet.drained()
                    && fleet.stats().acknowledged() == 100);

            V1Fleet.FleetStats s = fleet.stats();
            assertThat(s.devices()).isEqualTo(4);
            assertThat(s.generated()).isEqualTo(100);
            assertThat(s.cached()).isZero();
            assertThat(s.ackLatency().count()).isEqualTo(100);
            assertThat(s.ackLatency().p50()).isPositive()
                    .isLessThanOrEqualTo(s.ackLatency().p99());
            assertThat(s.ackLatency().p99()).isLessThanOrEqualTo(s.ackLatency().p999());
            assertThat(s.ackLatency().p999()).isLessThanOrEqualTo(s.ackLatency().max());
            assertThat(s.toLine()).contains("acked=100");

            Set<String> serials = new HashSet<>();
            for (V1DeviceSimulator d : fleet.devices()) {
                serials.add(d.serialNumber());
                List<String> atReceiver = receiver.received().stream()
                        .filter(r -> r.path().equals("/v1/push/" + d.serialNumber()))
                        .map(V1TestReceiver.Received::key).toList();
                assertThat(atReceiver).containsExactlyElementsOf(d.acknowledgedKeys()).hasSize(25);
                receiver.received().stream()
                        .filter(r -> r.path().equals("/v1/push/" + d.serialNumber()) && r.json().get("type").asInt() == 0)
                        .forEach(r -> assertThat(r.json().at("/data/deviceSN").asText()).isEqualTo(d.serialNumber()));
            }
            assertThat(serials).containsExactlyInAnyOrder("SIM000001", "SIM000002", "SIM000003", "SIM000004");
        }
    }

    @Test
    void seededFleetsProduceTheSameRecords() throws Exception {
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (V1TestReceiver receiver = new V1TestReceiver();
                 V1Fleet fleet = new V1Fleet(burst(2, 15, 99L))) {
                fleet.start();
                fleet.subscribeAll(receiver.url("/p/{sn}"), true);
                fleet.startGenerating();
                await().atMost(WAIT).until(() -> fleet.stats().acknowledged() == 30);
                List<String> bodies = new ArrayList<>();
                for (V1DeviceSimulator d : fleet.devices()) {
                    receiver.received().stream().filter(r -> r.path().endsWith(d.serialNumber()))
                            .forEach(r -> bodies.add(r.body()));
                }
                runs.add(bodies);
            }
        }
        assertThat(runs.get(0)).hasSize(30).isEqualTo(runs.get(1));
    }

    @Test
    void devicesOfASeededFleetNeverShareRecordIds() throws Exception {
        try (V1TestReceiver receiver = new V1TestReceiver();
             V1Fleet fleet = new V1Fleet(burst(6, 40, 42L))) {
            fleet.start();
            fleet.subscribeAll(receiver.url("/p/{sn}"), true);
            fleet.startGenerating();
            await().atMost(WAIT).until(() -> fleet.stats().acknowledged() == 240);
            Set<String> keys = new HashSet<>();
            fleet.devices().forEach(d -> keys.addAll(d.acknowledgedKeys()));
            assertThat(keys).as("no uuid or alarm trace id repeats across devices").hasSize(240);
        }
    }

    @Test
    void rateModeKeepsGeneratingUntilStopped() throws Exception {
        V1Fleet.Options o = burst(3, 1, 5L).withLoad(200, 0);
        try (V1TestReceiver receiver = new V1TestReceiver(); V1Fleet fleet = new V1Fleet(o)) {
            fleet.start();
            fleet.subscribeAll(receiver.url("/p/{sn}"), true);
            fleet.startGenerating();
            await().atMost(WAIT).until(() -> fleet.devices().stream().allMatch(d -> d.stats().generated() >= 20));
            fleet.stopGenerating();
            assertThat(fleet.generationDone()).isFalse();
            // a tick already running when generation stops may still add its record
            await().atMost(WAIT).until(() -> fleet.drained() && fleet.stats().acknowledged() == fleet.stats().generated());
            long generated = fleet.stats().generated();
            Thread.sleep(300);
            assertThat(fleet.stats().generated()).as("nothing generated once stopped (200/s would add ~60)")
                    .isEqualTo(generated);
            assertThat(fleet.stats().acknowledged()).isEqualTo(generated);
        }
    }

    @Test
    void commandLineRunsAFleetAndPrintsStats() throws Exception {
        try (V1TestReceiver receiver = new V1TestReceiver()) {
            StringWriter out = new StringWriter();
            CommandLine cmd = new CommandLine(new V1SimulatorMain());
            cmd.setOut(new PrintWriter(out));
            int code = cmd.execute("--devices=2", "--push-url=" + receiver.url("/p/{sn}"), "--rate=0", "--count=5",
                    "--duration=PT20S", "--report-every=PT0.2S", "--seed=1", "--retry-backoff=PT0.01S",
                    "--mix=fw002:1");
            assertThat(code).isZero();
            assertThat(out.toString()).contains("final devices=2 generated=10 acked=10");
            assertThat(receiver.distinctKeys()).hasSize(10);
        }
    }
}
