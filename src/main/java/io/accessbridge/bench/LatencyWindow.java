package io.accessbridge.bench;

import io.accessbridge.simulator.v1.V1LatencyRecorder;
import java.util.List;

/**
 * Latency percentiles interval by interval over recorders that keep growing (the simulated
 * devices' ack latencies): each {@link #next()} summarises the samples recorded since the last call.
 */
public final class LatencyWindow {

    private final List<V1LatencyRecorder> recorders;
    private final int[] seen;

    /** A window over these recorders, starting with the samples they hold now excluded. */
    public LatencyWindow(List<V1LatencyRecorder> recorders) {
        this.recorders = List.copyOf(recorders);
        this.seen = new int[this.recorders.size()];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = this.recorders.get(i).count();
        }
    }

    /** Percentiles of the samples recorded since the previous call (or since construction). */
    public synchronized V1LatencyRecorder.Summary next() {
        V1LatencyRecorder interval = new V1LatencyRecorder();
        for (int i = 0; i < seen.length; i++) {
            long[] all = recorders.get(i).samples();
            for (int k = seen[i]; k < all.length; k++) {
                interval.record(all[k]);
            }
            seen[i] = all.length;
        }
        return interval.summary();
    }
}
