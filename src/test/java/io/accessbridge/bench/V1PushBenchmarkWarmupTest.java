package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How much {@code bench v1-push} sends before it measures: by default enough for the bridge's JIT to settle. */
class V1PushBenchmarkWarmupTest {

    private static V1PushBenchmark parsed(String... args) {
        V1PushBenchmark bench = new V1PushBenchmark();
        new CommandLine(bench).parseArgs(args);
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
}
