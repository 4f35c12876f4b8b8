package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * How {@code bench v1-push} sets up a local run: how much it sends before it measures (by default enough for the
 * bridge's JIT to settle), what becomes of the stored events, and the bridge's JVM options.
 */
class V1PushBenchmarkWarmupTest {

    private static V1PushBenchmark parsed(String... args) {
        V1PushBenchmark bench = new V1PushBenchmark();
        new CommandLine(bench).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return bench;
    }

    @Test
    void byDefaultTwoHundredThousandWarmUpRecordsAreSpreadOverTheDevices() {
        V1PushBenchmark bench = parsed();
        assertThat(bench.warmupPerDevice(10)).isEqualTo(20_000);
        assertThat(bench.warmupPerDevice(100)).isEqualTo(2_000);
        assertThat(bench.warmupPerDevice(1_000)).isEqualTo(200);
    }

    @Test
    void warmupTotalIsSpreadOverTheDevicesWithAtLeastOneRecordEach() {
        V1PushBenchmark bench = parsed("--warmup-total", "500");
        assertThat(bench.warmupPerDevice(100)).isEqualTo(5);
        assertThat(bench.warmupPerDevice(1_000)).isEqualTo(1);
        assertThat(parsed("--warmup-total", "0").warmupPerDevice(100)).isZero();
    }

    @Test
    void warmupPerDeviceWinsOverTheDefaultTotal() {
        assertThat(parsed("--warmup", "300").warmupPerDevice(100)).isEqualTo(300);
        assertThat(parsed("--warmup", "300").warmupPerDevice(1_000)).isEqualTo(300);
        assertThat(parsed("--warmup", "0").warmupPerDevice(10)).isZero();
    }

    @Test
    void aRunningBridgeGetsNoWarmUpUnlessOneIsAskedFor() {
        String[] remote = {"--bridge-url", "http://bridge.example:8080", V1PushBenchmark.CONFIRM};
        assertThat(parsed(remote).warmupPerDevice(100)).isZero();
        String[] withTotal = {"--bridge-url", "http://bridge.example:8080", V1PushBenchmark.CONFIRM,
            "--warmup-total", "1000"};
        assertThat(parsed(withTotal).warmupPerDevice(100)).isEqualTo(10);
    }

    @Test
    void negativeWarmUpsAreRefused() {
        assertThatThrownBy(parsed("--warmup", "-1")::checkWarmupOptions)
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("0 or more");
        assertThatThrownBy(parsed("--warmup-total", "-5")::checkWarmupOptions)
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("0 or more");
    }

    @Test
    void warmupAndWarmupTotalTogetherAreRefused() {
        V1PushBenchmark both = parsed("--warmup", "300", "--warmup-total", "1000");
        assertThatThrownBy(both::checkWarmupOptions).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("not both");
        parsed("--warmup", "300").checkWarmupOptions();
        parsed("--warmup-total", "1000").checkWarmupOptions();
    }

    @Test
    void aLocalRunHasAConsumerReadTheEventsUnlessAskedToRemoveOrKeepThem() {
        assertThat(parsed().eventsQueue).isNull();
        assertThat(parsed("--events-queue", "removed").eventsQueue).isEqualTo(V1PushBenchmark.EventsQueue.REMOVED);
        assertThat(parsed("--events-queue", "KEPT").eventsQueue).isEqualTo(V1PushBenchmark.EventsQueue.KEPT);
        assertThat(V1PushBenchmark.consumedInBroker(249_990, 249_990, 10, 200_000)).isEqualTo("in-broker=250000 (read"
                + " by a consumer as they came: 249990, 249990 distinct ids; left in the queue: 10; incl. 200000 warm-up)");
        assertThat(V1PushBenchmark.consumedInBroker(300, 299, 0, 0))
                .isEqualTo("in-broker=300 (read by a consumer as they came: 300, 299 distinct ids; left in the queue: 0)");
    }

    @Test
    void theInBrokerFigureSaysWhatBecameOfTheWarmUp() {
        assertThat(V1PushBenchmark.localInBroker(250_000, 200_000, null)).isEqualTo("in-broker=250000 (incl. 200000 warm-up)");
        assertThat(V1PushBenchmark.localInBroker(50_000, 200_000,
                new V1PushBenchmark.Cleared(200_000, false, Optional.of(Duration.ofMillis(3_250)))))
                .isEqualTo("in-broker=50000 (after 200000 warm-up events removed, bridge idle 3.3 s later)");
        assertThat(V1PushBenchmark.localInBroker(50_000, 200_000, new V1PushBenchmark.Cleared(200_000, true,
                Optional.empty()))).isEqualTo("in-broker=50000 (after 200000 warm-up events removed, bridge not idle"
                + " 60 s later; the broker still paged when measuring started)");
        assertThat(V1PushBenchmark.localInBroker(3_000, 0, new V1PushBenchmark.Cleared(0, false, Optional.empty())))
                .isEqualTo("in-broker=3000");
    }

    @Test
    void aCollectorGivenAsBridgeJavaOptionReplacesG1AndOtherOptionsAreAdded() {
        assertThat(parsed("--bridge-java-option", "-XX:+UseZGC").bridgeJvm()).containsExactly("-Xmx1g", "-XX:MaxTenuringThreshold=1", "-XX:+UseZGC");
        assertThat(parsed("--bridge-heap", "2g", "--bridge-java-option", "-Xlog:gc").bridgeJvm())
                .containsExactly("-Xmx2g", "-XX:+UseG1GC", "-XX:MaxTenuringThreshold=1", "-Xlog:gc");
    }
}
