package io.accessbridge.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The count at the end of a fault scenario: the ids the bridge owes (acknowledged to the devices, or
 * held by them) against the ids a consumer counted, every copy included. Made by {@link #inBroker} or
 * {@link #delivered}, which print one line to stdout, e.g.
 *
 * <pre>FAULT bridge-kill: sent=2400 acknowledged=2400 in-broker=2400 distinct=2400 lost=0 duplicated=0</pre>
 *
 * <p>{@code lost} is the number of acknowledged ids that were not counted; {@code duplicated} the number of
 * extra copies (an id counted three times adds 2). Ids counted but never acknowledged are neither: the
 * scenarios assert on them themselves where it matters ({@link #unexpected()}).
 */
public final class FaultTally {

    private static final int SHOWN = 10;

    private final String name;
    private final String where;
    private final long sent;
    private final Set<String> acknowledged;
    private final int counted;
    private final Map<String, Integer> copies;
    private final List<String> lost;
    private final Map<String, Integer> duplicates;
    private final int duplicated;

    private FaultTally(String name, String where, long sent, Collection<String> acknowledged,
                       Collection<String> counted) {
        this.name = name;
        this.where = where;
        this.sent = sent;
        this.acknowledged = new LinkedHashSet<>(acknowledged);
        this.counted = counted.size();
        Map<String, Integer> c = new LinkedHashMap<>();
        for (String id : counted) {
            c.merge(id, 1, Integer::sum);
        }
        this.copies = c;
        List<String> missing = new ArrayList<>();
        for (String id : this.acknowledged) {
            if (!c.containsKey(id)) {
                missing.add(id);
            }
        }
        this.lost = List.copyOf(missing);
        Map<String, Integer> dups = new TreeMap<>();
        int extra = 0;
        for (Map.Entry<String, Integer> e : c.entrySet()) {
            if (e.getValue() > 1) {
                dups.put(e.getKey(), e.getValue());
                extra += e.getValue() - 1;
            }
        }
        this.duplicates = dups;
        this.duplicated = extra;
    }

    /**
     * Tallies what a consumer counted in a broker queue and prints the line.
     *
     * @param name         the scenario, e.g. {@code bridge-kill}
     * @param sent         records the devices made (or events published), re-sent copies not counted
     * @param acknowledged ids the bridge owes: acknowledged to the devices, or held by them
     * @param inBroker     every id the consumer received, each copy once (see {@link EventCollector#receivedIds()})
     */
    public static FaultTally inBroker(String name, long sent, Collection<String> acknowledged,
                                      Collection<String> inBroker) {
        return new FaultTally(name, "in-broker", sent, acknowledged, inBroker).print();
    }

    /**
     * Tallies what a delivery target recorded (a fake ERP, a webhook receiver) and prints the line, with
     * {@code delivered=} in place of {@code in-broker=}.
     *
     * @param delivered every event id the target accepted, each acceptance once
     */
    public static FaultTally delivered(String name, long sent, Collection<String> acknowledged,
                                       Collection<String> delivered) {
        return new FaultTally(name, "delivered", sent, acknowledged, delivered).print();
    }

    private FaultTally print() {
        System.out.println(line());
        return this;
    }

    /** The line printed, e.g. {@code FAULT x: sent=3 acknowledged=3 in-broker=3 distinct=3 lost=0 duplicated=0}. */
    public String line() {
        return "FAULT " + name + ": sent=" + sent + " acknowledged=" + acknowledged.size() + " " + where + "="
                + counted + " distinct=" + copies.size() + " lost=" + lost.size() + " duplicated=" + duplicated;
    }

    /** The scenario's name. */
    public String name() {
        return name;
    }

    /** Records made by the devices (or events published). */
    public long sent() {
        return sent;
    }

    /** How many ids the bridge owes. */
    public int acknowledged() {
        return acknowledged.size();
    }

    /** Copies counted, repeats included. */
    public int counted() {
        return counted;
    }

    /** Distinct ids counted. */
    public int distinct() {
        return copies.size();
    }

    /** Acknowledged ids that were not counted, in acknowledgement order. */
    public List<String> lost() {
        return lost;
    }

    /** Extra copies: the sum over ids of (copies - 1). */
    public int duplicated() {
        return duplicated;
    }

    /** Ids counted more than once, with their number of copies. */
    public Map<String, Integer> duplicates() {
        return duplicates;
    }

    /** Ids counted that were never acknowledged. */
    public Set<String> unexpected() {
        Set<String> out = new LinkedHashSet<>(copies.keySet());
        out.removeAll(acknowledged);
        return out;
    }

    /** Fails unless nothing acknowledged is missing and nothing was counted twice. */
    public void assertNoneLostNoneDuplicated() {
        if (!lost.isEmpty() || duplicated > 0) {
            throw new AssertionError(line() + lostText() + duplicatesText());
        }
    }

    /** Fails when an acknowledged id is missing (copies allowed: at-least-once delivery). */
    public void assertNoneLost() {
        if (!lost.isEmpty()) {
            throw new AssertionError(line() + lostText());
        }
    }

    private String lostText() {
        return lost.isEmpty() ? "" : "; lost " + lost.size() + " acknowledged id(s), e.g. "
                + lost.subList(0, Math.min(SHOWN, lost.size()));
    }

    private String duplicatesText() {
        if (duplicates.isEmpty()) {
            return "";
        }
        Map<String, Integer> shown = new LinkedHashMap<>();
        duplicates.entrySet().stream().limit(SHOWN).forEach(e -> shown.put(e.getKey(), e.getValue()));
        return "; " + duplicates.size() + " id(s) counted more than once (id=copies), e.g. " + shown;
    }

    @Override
    public String toString() {
        return line();
    }
}
