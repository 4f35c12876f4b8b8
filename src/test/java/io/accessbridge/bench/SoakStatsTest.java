package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakStatsTest {

    private static final long MIB = 1024 * 1024;
    private static final long MS = 1_000_000;

    private static SoakStats.Interval i(int index, long heapMib, long p99Ms) {
        return new SoakStats.Interval(index, heapMib * MIB, p99Ms * MS, 1000);
    }

    private static SoakStats.Verdict evaluate(SoakStats.Interval... intervals) {
        return SoakStats.evaluate(List.of(intervals), SoakStats.Rule.defaults());
    }

    @Test
    void fewerThanThreeIntervalsIsNotFlat() {
        SoakStats.Verdict v = evaluate(i(1, 100, 10), i(2, 100, 10));
        assertThat(v.flat()).isFalse();
        assertThat(v.base()).isNull();
        assertThat(v.reason()).contains("too short: 2 interval(s)");
    }

    @Test
    void warmUpIntervalIsIgnoredAndSteadyRunIsFlat() {
        // interval 1 has a much smaller heap and a huge p99 (JIT): it must not count
        SoakStats.Verdict v = evaluate(i(1, 40, 900), i(2, 60, 30), i(3, 61, 35), i(4, 62, 40));
        assertThat(v.flat()).isTrue();
        assertThat(v.word()).isEqualTo("flat");
        assertThat(v.base().index()).isEqualTo(2);
        assertThat(v.last().index()).isEqualTo(4);
        assertThat(v.heapGrowthBytes()).isEqualTo(2 * MIB);
        assertThat(v.heapGrowthPercent()).isCloseTo(3.333, within(0.001));
        assertThat(v.p99Ratio()).isCloseTo(40.0 / 30.0, within(1e-9));
        assertThat(v.reason()).isEmpty();
    }

    @Test
    void heapGrowthOfTenPercentOrMoreIsNotFlat() {
        SoakStats.Verdict exactlyTen = evaluate(i(1, 50, 10), i(2, 100, 10), i(3, 110, 10));
        assertThat(exactlyTen.heapFlat()).isFalse();
        assertThat(exactlyTen.latencyFlat()).isTrue();
        assertThat(exactlyTen.flat()).isFalse();
        assertThat(exactlyTen.reason()).isEqualTo("heap grew 10.0 % (limit 10 %)");

        SoakStats.Verdict justUnder = SoakStats.evaluate(List.of(i(1, 50, 10), i(2, 100, 10),
                new SoakStats.Interval(3, 110 * MIB - 1, 10 * MS, 1000)), SoakStats.Rule.defaults());
        assertThat(justUnder.heapFlat()).isTrue();
    }

    @Test
    void p99OfExactlyTwiceIsFlatAndAboveIsNot() {
        assertThat(evaluate(i(1, 100, 10), i(2, 100, 20), i(3, 100, 40)).latencyFlat()).isTrue();
        SoakStats.Verdict worse = evaluate(i(1, 100, 10), i(2, 100, 20), i(3, 100, 41));
        assertThat(worse.latencyFlat()).isFalse();
        assertThat(worse.flat()).isFalse();
        assertThat(worse.reason()).isEqualTo("push p99 x2.05 (limit 2 x)");
    }

    @Test
    void bothFailuresAreReported() {
        SoakStats.Verdict v = evaluate(i(1, 10, 10), i(2, 100, 10), i(3, 150, 50));
        assertThat(v.reason()).isEqualTo("heap grew 50.0 % (limit 10 %); push p99 x5.00 (limit 2 x)");
    }

    @Test
    void shrinkingHeapIsFlat() {
        SoakStats.Verdict v = evaluate(i(1, 100, 10), i(2, 100, 10), i(3, 80, 10));
        assertThat(v.heapFlat()).isTrue();
        assertThat(v.heapGrowthPercent()).isCloseTo(-20.0, within(1e-9));
    }

    @Test
    void customRuleIsApplied() {
        List<SoakStats.Interval> run = List.of(i(1, 100, 10), i(2, 100, 10), i(3, 104, 25));
        assertThat(SoakStats.evaluate(run, new SoakStats.Rule(5, 3)).flat()).isTrue();
        assertThat(SoakStats.evaluate(run, new SoakStats.Rule(3, 3)).heapFlat()).isFalse();
        assertThat(SoakStats.evaluate(run, new SoakStats.Rule(5, 2)).latencyFlat()).isFalse();
    }

    @Test
    void longRunsCompareMedianP99OfWindowsSoOneBadIntervalDoesNotDecide() {
        // 10 intervals: 9 after warm-up, windows of 3 (intervals 2-4 and 8-10)
        List<SoakStats.Interval> run = new ArrayList<>();
        run.add(i(1, 50, 999));
        long[] p99 = {30, 20, 25, 30, 30, 30, 28, 500, 26};
        for (int k = 0; k < p99.length; k++) {
            run.add(i(k + 2, 60, p99[k]));
        }
        SoakStats.Verdict v = SoakStats.evaluate(run, SoakStats.Rule.defaults());
        assertThat(v.window()).isEqualTo(3);
        assertThat(v.p99FirstNanos()).isEqualTo(25.0 * MS);   // median of 30, 20, 25
        assertThat(v.p99LastNanos()).isEqualTo(28.0 * MS);    // median of 28, 500, 26
        assertThat(v.latencyFlat()).isTrue();

        // two bad intervals of three in the last window do decide
        run.set(9, i(10, 60, 400));
        assertThat(SoakStats.evaluate(run, SoakStats.Rule.defaults()).latencyFlat()).isFalse();
    }

    @Test
    void windowIsAThirdOfThePostWarmUpIntervalsAtLeastOne() {
        assertThat(SoakStats.window(2)).isEqualTo(1);
        assertThat(SoakStats.window(5)).isEqualTo(1);
        assertThat(SoakStats.window(6)).isEqualTo(2);
        assertThat(SoakStats.window(9)).isEqualTo(3);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndSkipsIntervalsWithoutPushes() {
        List<SoakStats.Interval> w = List.of(i(2, 1, 10), i(3, 1, 40), new SoakStats.Interval(4, MIB, 0, 0), i(5, 1, 20),
                i(6, 1, 30));
        assertThat(SoakStats.medianP99(w)).isEqualTo(25.0 * MS);
        assertThat(SoakStats.medianP99(List.of(new SoakStats.Interval(2, MIB, 0, 0)))).isNaN();
    }

    @Test
    void withoutPushDevicesLatencyIsNotJudged() {
        List<SoakStats.Interval> run = List.of(new SoakStats.Interval(1, 50 * MIB, 0, 0),
                new SoakStats.Interval(2, 60 * MIB, 0, 0), new SoakStats.Interval(3, 61 * MIB, 0, 0));
        SoakStats.Verdict v = SoakStats.evaluate(run, SoakStats.Rule.defaults());
        assertThat(v.latencyFlat()).isTrue();
        assertThat(v.p99Ratio()).isNaN();
        assertThat(v.flat()).isTrue();
    }

    @Test
    void pushLatencyMissingAtTheEndIsNotFlat() {
        List<SoakStats.Interval> run = List.of(i(1, 50, 10), i(2, 60, 10), new SoakStats.Interval(3, 60 * MIB, 0, 0));
        SoakStats.Verdict v = SoakStats.evaluate(run, SoakStats.Rule.defaults());
        assertThat(v.latencyFlat()).isFalse();
        assertThat(v.reason()).contains("push p99 not measured");
    }

    @Test
    void trendIsTheLeastSquaresSlopeOverPostWarmUpIntervals() {
        // 2 MiB per interval after warm-up, warm-up far off the line
        SoakStats.Verdict v = evaluate(i(1, 500, 10), i(2, 60, 10), i(3, 62, 10), i(4, 64, 10), i(5, 66, 10));
        assertThat(v.heapTrendBytesPerInterval()).isCloseTo(2.0 * MIB, within(1e-6));
        assertThat(SoakStats.slope(List.of(i(2, 60, 10), i(3, 70, 10), i(4, 62, 10)))).isCloseTo(1.0 * MIB, within(1e-6));
        assertThat(SoakStats.slope(List.of(i(2, 60, 10)))).isZero();
    }

    @Test
    void ruleDescriptionNamesItsLimits() {
        assertThat(new SoakStats.Rule(7.5, 3).describe()).contains("< 7.5 %").contains("<= 3 x");
    }
}
