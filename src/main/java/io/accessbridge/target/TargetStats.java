package io.accessbridge.target;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-target delivery counters (bean {@code targetStats}), for status pages and metrics exporters:
 * delivered, skipped, failed attempts, events retrying now, dead-lettered.
 */
public final class TargetStats {

    private final Map<String, Counters> targets = new ConcurrentHashMap<>();

    /** The live counters of one target, created on first use. */
    public Counters counters(String target) {
        return targets.computeIfAbsent(target, t -> new Counters());
    }

    /** The counts of one target now. */
    public TargetCounts of(String target) {
        return counters(target).snapshot();
    }

    /** The counts of every target seen so far, by target name. */
    public Map<String, TargetCounts> snapshot() {
        Map<String, TargetCounts> out = new TreeMap<>();
        targets.forEach((k, v) -> out.put(k, v.snapshot()));
        return out;
    }

    /** The counters of one target. */
    public static final class Counters {
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong deadLettered = new AtomicLong();
        private final Set<String> retrying = ConcurrentHashMap.newKeySet();
        private volatile String circuit = "UNKNOWN";

        void delivered() {
            delivered.incrementAndGet();
        }

        void skipped() {
            skipped.incrementAndGet();
        }

        void failed() {
            failed.incrementAndGet();
        }

        void deadLettered() {
            deadLettered.incrementAndGet();
        }

        /** Marks an exchange as waiting for a retry; returns false when it already was. */
        boolean startRetrying(String exchangeId) {
            return retrying.add(exchangeId);
        }

        void stopRetrying(String exchangeId) {
            retrying.remove(exchangeId);
        }

        void circuit(String state) {
            if (state != null) {
                circuit = state;
            }
        }

        TargetCounts snapshot() {
            return new TargetCounts(delivered.get(), skipped.get(), failed.get(), retrying.size(), deadLettered.get(),
                    circuit);
        }
    }
}
