package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.accessbridge.simulator.v1.V1LatencyRecorder;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    @Test
    void eachCallSummarisesOnlyTheSamplesSinceThePreviousOneAcrossRecorders() {
        V1LatencyRecorder a = new V1LatencyRecorder();
        V1LatencyRecorder b = new V1LatencyRecorder();
        a.record(999_000); // before the window starts: never counted
        LatencyWindow window = new LatencyWindow(List.of(a, b));

        for (long v = 1; v <= 100; v++) {
            (v % 2 == 0 ? a : b).record(v);
        }
        V1LatencyRecorder.Summary first = window.next();
        assertThat(first.count()).isEqualTo(100);
        assertThat(first.p50()).isEqualTo(50);
        assertThat(first.p99()).isEqualTo(99);
        assertThat(first.max()).isEqualTo(100);

        b.record(5_000);
        b.record(7_000);
        V1LatencyRecorder.Summary second = window.next();
        assertThat(second.count()).isEqualTo(2);
        assertThat(second.p50()).isEqualTo(5_000);
        assertThat(second.max()).isEqualTo(7_000);

        V1LatencyRecorder.Summary empty = window.next();
        assertThat(empty.count()).isZero();
        assertThat(empty.p99()).isZero();
    }
}
