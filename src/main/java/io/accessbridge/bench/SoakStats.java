package io.accessbridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of a soak run and the rule that calls it flat. Interval 1 is the warm-up (JIT
 * compilation, class loading, caches and pools filling) and is only printed. Of the intervals after
 * it:
 * <ul>
 *   <li><b>memory</b>: the bridge's heap at the end of the last interval is less than
 *       {@link Rule#maxHeapGrowthPercent()} percent above that at the end of interval 2 (the heap
 *       figure is the live heap after a full GC, or the old generation after the latest GC);</li>
 *   <li><b>latency</b>: the push ack p99 of the last intervals is at most {@link Rule#maxP99Ratio()}
 *       times that of the first intervals after the warm-up, where "first" and "last" are windows of
 *       a third of the post-warm-up intervals (at least one) and each window's p99 is the median of
 *       its intervals' p99s, so that one interval hit by the machine's other work does not decide
 *       alone. With up to 5 post-warm-up intervals the windows are single intervals: interval 2
 *       against the last.</li>
 * </ul>
 * A run needs at least 3 intervals (warm-up and two to compare); a shorter one is not flat.
 */
public final class SoakStats {

    private SoakStats() {
    }

    /**
     * What one interval of the soak measured.
     *
     * @param index      1-based interval number
     * @param heapBytes  the bridge's heap figure at the end of the interval (see {@link SoakStats})
     * @param p99Nanos   push ack latency p99 over the acks of the interval, nanoseconds
     * @param pushAcks   number of push acks in the interval (0: no push latency measured)
     */
    public record Interval(int index, long heapBytes, long p99Nanos, long pushAcks) {
    }

    /**
     * The rule.
     *
     * @param maxHeapGrowthPercent heap growth, percent of interval 2's heap, below which memory is flat
     * @param maxP99Ratio          last window's p99 / first window's p99 at or below which latency is flat
     */
    public record Rule(double maxHeapGrowthPercent, double maxP99Ratio) {

        /** Heap growth under 10 %, p99 at most 2 x. */
        public static Rule defaults() {
            return new Rule(10, 2.0);
        }

        /** The rule in words, as printed with the verdict. */
        public String describe() {
            return String.format(Locale.ROOT, "heap growth interval 2 -> last < %s %%; push p99 of the last"
                    + " intervals <= %s x that of the first after warm-up (median p99 over a third of the"
                    + " post-warm-up intervals each); interval 1 is warm-up", trim(maxHeapGrowthPercent), trim(maxP99Ratio));
        }
    }

    /**
     * The comparison and the verdict.
     *
     * @param flat              whether both memory and latency are flat
     * @param heapFlat          whether the heap growth is under the limit
     * @param latencyFlat       whether the p99 ratio is within the limit (true when no push latency was measured)
     * @param base              interval 2, or null when too few intervals
     * @param last              the last interval, or null when too few intervals
     * @param heapGrowthBytes   last heap - interval 2's heap
     * @param heapGrowthPercent that, in percent of interval 2's heap
     * @param heapTrendBytesPerInterval least-squares slope of the heap over intervals 2..last, bytes per interval
     * @param window            intervals in each latency window
     * @param p99FirstNanos     median p99 of the first window
     * @param p99LastNanos      median p99 of the last window
     * @param p99Ratio          p99LastNanos / p99FirstNanos ({@code NaN} without push latency)
     * @param reason            why it is not flat, or empty
     */
    public record Verdict(boolean flat, boolean heapFlat, boolean latencyFlat, Interval base, Interval last,
                          long heapGrowthBytes, double heapGrowthPercent, double heapTrendBytesPerInterval,
                          int window, double p99FirstNanos, double p99LastNanos, double p99Ratio, String reason) {

        /** {@code flat} or {@code not flat}. */
        public String word() {
            return flat ? "flat" : "not flat";
        }
    }

    /** Applies the rule to the intervals of a run, in order. */
    public static Verdict evaluate(List<Interval> intervals, Rule rule) {
        if (intervals.size() < 3) {
            return new Verdict(false, false, false, null, null, 0, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN,
                    Double.NaN, "too short: " + intervals.size()
                            + " interval(s), the rule needs 3 (warm-up and two to compare)");
        }
        List<Interval> post = intervals.subList(1, intervals.size());
        Interval base = post.get(0);
        Interval last = post.get(post.size() - 1);
        long growth = last.heapBytes() - base.heapBytes();
        double growthPercent = base.heapBytes() > 0 ? 100.0 * growth / base.heapBytes() : Double.NaN;
        boolean heapFlat = base.heapBytes() > 0 && growthPercent < rule.maxHeapGrowthPercent();

        int w = window(post.size());
        double first = medianP99(post.subList(0, w));
        double lastP99 = medianP99(post.subList(post.size() - w, post.size()));
        double ratio;
        boolean latencyFlat;
        if (Double.isNaN(first) && Double.isNaN(lastP99)) {
            ratio = Double.NaN;
            latencyFlat = true; // no push devices: nothing to compare
        } else if (Double.isNaN(first) || Double.isNaN(lastP99) || first <= 0) {
            ratio = Double.NaN;
            latencyFlat = false;
        } else {
            ratio = lastP99 / first;
            latencyFlat = ratio <= rule.maxP99Ratio();
        }
        StringBuilder reason = new StringBuilder();
        if (!heapFlat) {
            reason.append(String.format(Locale.ROOT, "heap grew %.1f %% (limit %s %%)", growthPercent,
                    trim(rule.maxHeapGrowthPercent())));
        }
        if (!latencyFlat) {
            if (!reason.isEmpty()) {
                reason.append("; ");
            }
            reason.append(Double.isNaN(ratio) ? "push p99 not measured in the first or the last intervals"
                    : String.format(Locale.ROOT, "push p99 x%.2f (limit %s x)", ratio, trim(rule.maxP99Ratio())));
        }
        return new Verdict(heapFlat && latencyFlat, heapFlat, latencyFlat, base, last, growth, growthPercent,
                slope(post), w, first, lastP99, ratio, reason.toString());
    }

    /** Intervals per latency window: a third of the post-warm-up intervals, at least one. */
    static int window(int postWarmUpIntervals) {
        return Math.max(1, postWarmUpIntervals / 3);
    }

    /** Median of the p99s of the intervals that measured push latency; {@code NaN} when none did. */
    static double medianP99(List<Interval> intervals) {
        List<Long> p99s = new ArrayList<>();
        for (Interval i : intervals) {
            if (i.pushAcks() > 0) {
                p99s.add(i.p99Nanos());
            }
        }
        if (p99s.isEmpty()) {
            return Double.NaN;
        }
        p99s.sort(null);
        int n = p99s.size();
        return n % 2 == 1 ? p99s.get(n / 2) : (p99s.get(n / 2 - 1) + p99s.get(n / 2)) / 2.0;
    }

    /** Least-squares slope of heapBytes over the interval index; 0 for fewer than 2 points. */
    static double slope(List<Interval> points) {
        int n = points.size();
        if (n < 2) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (Interval p : points) {
            mx += p.index();
            my += p.heapBytes();
        }
        mx /= n;
        my /= n;
        double num = 0;
        double den = 0;
        for (Interval p : points) {
            num += (p.index() - mx) * (p.heapBytes() - my);
            den += (p.index() - mx) * (p.index() - mx);
        }
        return den == 0 ? 0 : num / den;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
