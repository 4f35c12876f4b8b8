package io.accessbridge.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The exactly-once check of a benchmark: what the devices made and had accepted against what a
 * consumer found on the events queue. Per device, the stored events are compared by count with
 * what the device produced and, where the benchmark knows the ids the bridge gives them, id by id.
 */
public final class ExactlyOnce {

    /**
     * The check's outcome.
     *
     * @param expected   events the devices produced and the bridge accepted
     * @param messages   messages found on the queue
     * @param distinct   distinct event ids among them
     * @param lost       expected events not found (per device: the larger of the count shortfall and
     *                   the known ids not found)
     * @param duplicated messages beyond the first of their id
     * @param unexpected distinct events beyond what the devices produced (or of unknown devices)
     */
    public record Result(long expected, long messages, long distinct, long lost, long duplicated, long unexpected) {

        /** Whether every expected event is there once and nothing else is. */
        public boolean ok() {
            return lost == 0 && duplicated == 0 && unexpected == 0;
        }

        /** One line: {@code expected=.. messages=.. distinct=.. lost=0 duplicated=0 unexpected=0}. */
        public String toLine() {
            return String.format(Locale.ROOT, "expected=%d messages=%d distinct=%d lost=%d duplicated=%d unexpected=%d",
                    expected, messages, distinct, lost, duplicated, unexpected);
        }
    }

    /** Messages seen on the queue: how often each id occurred and which ids each device has. */
    public static final class Tally {
        private final Map<String, Integer> idCounts = new HashMap<>();
        private final Map<String, Set<String>> idsByDevice = new HashMap<>();
        private long messages;

        /** Records one message. */
        public synchronized void add(String deviceId, String eventId) {
            messages++;
            idCounts.merge(eventId, 1, Integer::sum);
            idsByDevice.computeIfAbsent(deviceId, d -> new HashSet<>()).add(eventId);
        }

        /** Messages recorded. */
        public synchronized long messages() {
            return messages;
        }

        /** Distinct ids recorded. */
        public synchronized long distinct() {
            return idCounts.size();
        }

        /** Compares with what the devices produced. */
        public synchronized Result check(Map<String, Long> expectedCounts, Map<String, Set<String>> knownIds) {
            return ExactlyOnce.check(expectedCounts, knownIds, idCounts, idsByDevice, messages);
        }
    }

    private ExactlyOnce() {
    }

    /**
     * @param expectedCounts per device, how many events it produced that the bridge accepted
     * @param knownIds       per device, the ids (as the bridge makes them) of some or all of those events
     * @param idCounts       per id, how many messages carry it
     * @param idsByDevice    per device, the ids found for it
     * @param messages       messages found
     */
    static Result check(Map<String, Long> expectedCounts, Map<String, Set<String>> knownIds,
                        Map<String, Integer> idCounts, Map<String, Set<String>> idsByDevice, long messages) {
        long expected = 0;
        long lost = 0;
        long unexpected = 0;
        for (Map.Entry<String, Long> e : expectedCounts.entrySet()) {
            Set<String> found = idsByDevice.getOrDefault(e.getKey(), Set.of());
            long shortfall = Math.max(0, e.getValue() - found.size());
            long missingIds = 0;
            for (String id : knownIds.getOrDefault(e.getKey(), Set.of())) {
                if (!found.contains(id)) {
                    missingIds++;
                }
            }
            expected += e.getValue();
            lost += Math.max(shortfall, missingIds);
            unexpected += Math.max(0, found.size() - e.getValue());
        }
        for (Map.Entry<String, Set<String>> e : idsByDevice.entrySet()) {
            if (!expectedCounts.containsKey(e.getKey())) {
                unexpected += e.getValue().size();
            }
        }
        long distinct = idCounts.size();
        return new Result(expected, messages, distinct, lost, messages - distinct, unexpected);
    }
}
