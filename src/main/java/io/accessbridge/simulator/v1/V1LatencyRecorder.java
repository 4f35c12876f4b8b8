package io.accessbridge.simulator.v1;

import java.util.Arrays;
import java.util.Collection;

/**
 * Records latencies in nanoseconds and reports percentiles. Every sample is kept (8 bytes each),
 * so percentiles are exact. Thread-safe.
 */
public final class V1LatencyRecorder {

    /**
     * Percentiles of a set of samples, in nanoseconds; all zero when there are none.
     *
     * @param count number of samples
     * @param p50   median
     * @param p99   99th percentile
     * @param p999  99.9th percentile
     * @param max   largest sample
     */
    public record Summary(long count, long p50, long p99, long p999, long max) {

        /** Formats the summary in milliseconds. */
        public String toMillisString() {
            return String.format(java.util.Locale.ROOT, "n=%d p50=%.2fms p99=%.2fms p999=%.2fms max=%.2fms",
                    count, p50 / 1e6, p99 / 1e6, p999 / 1e6, max / 1e6);
        }
    }

    private long[] samples = new long[64];
    private int size;

    /** Adds one sample. */
    public synchronized void record(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    /** Number of samples. */
    public synchronized int count() {
        return size;
    }

    /** A copy of the samples in recording order. */
    public synchronized long[] samples() {
        return Arrays.copyOf(samples, size);
    }

    /** Percentiles of this recorder's samples. */
    public Summary summary() {
        return summarize(samples());
    }

    /** Percentiles over the union of several recorders' samples. */
    public static Summary merged(Collection<V1LatencyRecorder> recorders) {
        long[][] parts = recorders.stream().map(V1LatencyRecorder::samples).toArray(long[][]::new);
        int total = 0;
        for (long[] p : parts) {
            total += p.length;
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return summarize(all);
    }

    private static Summary summarize(long[] values) {
        if (values.length == 0) {
            return new Summary(0, 0, 0, 0, 0);
        }
        Arrays.sort(values);
        return new Summary(values.length, pick(values, 0.50), pick(values, 0.99), pick(values, 0.999),
                values[values.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    private static long pick(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
