package io.accessbridge.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Events per minute over the last hour: a ring of 60 one-minute buckets. */
public final class EventRate {

    /** Minutes kept. */
    public static final int MINUTES = 60;

    private final long[] minute = new long[MINUTES];
    private final long[] count = new long[MINUTES];

    /**
     * One minute of the chart.
     *
     * @param start  the minute's start
     * @param events events stored in it
     */
    public record Point(Instant start, long events) {
    }

    /** Adds {@code n} events at {@code epochMillis}. */
    public synchronized void add(long n, long epochMillis) {
        if (n <= 0) {
            return;
        }
        long m = epochMillis / 60_000;
        int i = (int) (m % MINUTES);
        if (minute[i] != m) {
            minute[i] = m;
            count[i] = 0;
        }
        count[i] += n;
    }

    /** The last 60 minutes up to and including the one of {@code nowMillis}, oldest first. */
    public synchronized List<Point> lastHour(long nowMillis) {
        long current = nowMillis / 60_000;
        List<Point> out = new ArrayList<>(MINUTES);
        for (long m = current - MINUTES + 1; m <= current; m++) {
            int i = (int) (m % MINUTES);
            out.add(new Point(Instant.ofEpochMilli(m * 60_000), minute[i] == m ? count[i] : 0));
        }
        return out;
    }
}
