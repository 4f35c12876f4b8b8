package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String TEXT = """
            # HELP jvm_gc_live_data_size_bytes Size of long-lived heap memory pool after reclamation
            # TYPE jvm_gc_live_data_size_bytes gauge
            jvm_gc_live_data_size_bytes 4.2671584E7
            jvm_gc_pause_seconds_count{action="end of major GC",cause="Diagnostic Command",gc="G1 Old Generation"} 1
            jvm_gc_pause_seconds_sum{action="end of major GC",cause="Diagnostic Command",gc="G1 Old Generation"} 0.056
            jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 6
            jvm_gc_pause_seconds_count{action="end of minor GC",cause="Metadata GC Threshold",gc="G1 Young Generation"} 2
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 3.747072E7
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 3.8797312E7
            bridge_target_queue_depth{target="csv"} NaN
            odd_label{path="a\\"b,c",x="y"} 3
            bucket{le="+Inf"} +Inf
            not a sample line
            """;

    @Test
    void readsPlainAndLabelledSamples() {
        PrometheusText m = PrometheusText.parse(TEXT);
        assertThat(m.sum("jvm_gc_live_data_size_bytes")).isEqualTo(42_671_584.0);
        assertThat(m.sum("jvm_memory_used_bytes", Map.of("id", "G1 Old Gen"))).isEqualTo(37_470_720.0);
        assertThat(m.sum("jvm_memory_used_bytes", Map.of("area", "heap"))).isEqualTo(37_470_720.0 + 38_797_312.0);
    }

    @Test
    void sumsEverySampleWhoseLabelsIncludeTheMatch() {
        PrometheusText m = PrometheusText.parse(TEXT);
        assertThat(m.sum("jvm_gc_pause_seconds_count", Map.of("gc", "G1 Young Generation"))).isEqualTo(8.0);
        assertThat(m.sum("jvm_gc_pause_seconds_count", Map.of("action", "end of major GC"))).isEqualTo(1.0);
        assertThat(m.sum("jvm_gc_pause_seconds_sum", Map.of("action", "end of major GC"))).isEqualTo(0.056);
        assertThat(m.sum("jvm_gc_pause_seconds_count", Map.of("gc", "ZGC"))).isNaN();
        assertThat(m.sum("no_such_metric")).isNaN();
    }

    @Test
    void handlesEscapesSpecialValuesAndSkipsJunk() {
        PrometheusText m = PrometheusText.parse(TEXT);
        assertThat(m.sum("odd_label", Map.of("path", "a\"b,c", "x", "y"))).isEqualTo(3.0);
        assertThat(m.sum("bridge_target_queue_depth")).isNaN();
        assertThat(m.sum("bucket")).isInfinite();
        assertThat(m.samples()).hasSize(10);
    }
}
