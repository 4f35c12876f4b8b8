package io.accessbridge.ops;

import io.accessbridge.status.DeviceState;
import io.accessbridge.status.DeviceStatus;
import io.accessbridge.status.DeviceStatusRegistry;
import io.accessbridge.target.TargetCounts;
import io.accessbridge.target.TargetSettings;
import io.accessbridge.target.TargetStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The bridge's health as an operator sees it, put together from the device status registry, what the ingest
 * path saw ({@link IngestTracker}), the delivery targets' counters and the broker's queues. Read by the status
 * API, the metrics and the state-change log.
 */
public final class OpsStatus {

    /** Overall state of a device that only pushes (no channel the bridge keeps open) and sent an event lately. */
    public static final String ACTIVE = "ACTIVE";
    /** Overall state of a pushing device that has been quiet for longer than the idle time. */
    public static final String IDLE = "IDLE";

    /**
     * One device.
     *
     * @param id             inventory id (or the id it pushed under)
     * @param generation     v1, v3 or unknown
     * @param state          worst channel state (FAILING, DISCONNECTED, CONNECTED, UNKNOWN), or for a device without
     *                       channels ACTIVE / IDLE / UNKNOWN from its pushes
     * @param since          since when it is in that state, or {@code null}
     * @param reason         why, for a state that is not good
     * @param channels       state per channel
     * @param lastEventAt    when its last event was stored
     * @param events         events stored (the larger of the ingest path's count and the registry's)
     * @param eventsByChannel events stored per channel through the ingest routes
     * @param lag            v3: device max seqnum minus checkpoint, or {@code null}
     * @param subscription   state of its event subscription, or {@code null} when it has none
     * @param counters       registry counters (gaps, lostEvents, ...)
     * @param gauges         registry gauges (v3.lag, v3.checkpoint, ...)
     */
    public record DeviceView(String id, String generation, String state, Instant since, String reason,
                             Map<String, DeviceStatus.ChannelStatus> channels, Instant lastEventAt, long events,
                             Map<String, Long> eventsByChannel, Long lag, String subscription,
                             Map<String, Long> counters, Map<String, Long> gauges) {
    }

    /**
     * One delivery target.
     *
     * @param name            target name
     * @param enabled         whether its route consumes
     * @param state           DISABLED, OK, FAILING (events waiting for a retry or circuit open)
     * @param queue           its queue
     * @param backlog         messages waiting in its queue, or {@code null} when unknown
     * @param deadLetterQueue its dead-letter queue
     * @param deadLetters     messages in its dead-letter queue, or {@code null} when unknown
     * @param counts          delivered, skipped, failed attempts, retrying, dead-lettered, circuit
     */
    public record TargetView(String name, boolean enabled, String state, String queue, Long backlog,
                             String deadLetterQueue, Long deadLetters, TargetCounts counts) {
    }

    private final DeviceStatusRegistry registry;
    private final IngestTracker ingest;
    private final TargetStats targetStats;
    private final Supplier<List<TargetSettings>> targets;
    private final BrokerProbe broker;
    private final Clock clock;

    /** The status over these sources. */
    public OpsStatus(DeviceStatusRegistry registry, IngestTracker ingest, TargetStats targetStats,
                     Supplier<List<TargetSettings>> targets, BrokerProbe broker, Clock clock) {
        this.registry = registry;
        this.ingest = ingest;
        this.targetStats = targetStats;
        this.targets = targets;
        this.broker = broker;
        this.clock = clock;
    }

    /** Every device of the registry (the inventory) and every device that pushed, by id. */
    public List<DeviceView> devices() {
        Map<String, DeviceStatus> known = new HashMap<>();
        for (DeviceStatus s : registry.all()) {
            known.put(s.deviceId(), s);
        }
        Set<String> ids = new TreeSet<>(known.keySet());
        ids.addAll(ingest.devices().keySet());
        ids.remove("unknown");
        Instant now = clock.instant();
        List<DeviceView> out = new ArrayList<>();
        for (String id : ids) {
            out.add(view(id, known.get(id), ingest.device(id), now));
        }
        return out;
    }

    private DeviceView view(String id, DeviceStatus s, IngestTracker.Device seen, Instant now) {
        Map<String, DeviceStatus.ChannelStatus> channels = s == null ? Map.of() : s.channels();
        Instant last = latest(s == null ? null : s.lastEventAt(), seen == null ? null : seen.lastEventAt());
        long events = Math.max(s == null ? 0 : s.eventsStored(), seen == null ? 0 : seen.total());
        String state;
        Instant since = null;
        String reason = null;
        if (!channels.isEmpty()) {
            DeviceStatus.ChannelStatus worst = channels.values().stream()
                    .max(Comparator.comparingInt((DeviceStatus.ChannelStatus c) -> severity(c.state()))
                            .thenComparing(DeviceStatus.ChannelStatus::since))
                    .orElseThrow();
            state = worst.state().name();
            since = worst.since();
            reason = worst.reason();
        } else if (last != null && Duration.between(last, now).compareTo(ingest.idleAfter()) <= 0) {
            state = ACTIVE;
            since = seen != null && seen.activeSince() != null ? seen.activeSince() : last;
        } else if (last != null) {
            state = IDLE;
            since = last;
        } else {
            state = DeviceState.UNKNOWN.name();
        }
        Map<String, Long> gauges = s == null ? Map.of() : s.gauges();
        DeviceStatus.ChannelStatus sub = channels.get("subscription");
        return new DeviceView(id, s == null ? "unknown" : s.generation(), state, since, reason, channels, last, events,
                seen == null ? Map.of() : seen.byChannel(), gauges.get("v3.lag"),
                sub == null ? null : sub.state().name(), s == null ? Map.of() : s.counters(), gauges);
    }

    private static int severity(DeviceState s) {
        return switch (s) {
            case CONNECTED -> 0;
            case UNKNOWN -> 1;
            case DISCONNECTED -> 2;
            case FAILING -> 3;
        };
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    /** Every target of {@code bridge.targets}, with queue depths when the broker answers. */
    public List<TargetView> targets() {
        List<TargetSettings> all = targets.get();
        List<String> queues = new ArrayList<>();
        for (TargetSettings t : all) {
            if (t.enabled()) {
                queues.add(t.queue());
            }
            queues.add(t.deadLetterQueue());
        }
        Map<String, Long> depth = broker.depths(queues);
        Map<String, TargetCounts> counts = targetStats.snapshot();
        List<TargetView> out = new ArrayList<>();
        for (TargetSettings t : all) {
            TargetCounts c = counts.getOrDefault(t.name(), new TargetCounts(0, 0, 0, 0, 0, "UNKNOWN"));
            Long backlog = t.enabled() ? known(depth.get(t.queue())) : null;
            Long dead = known(depth.get(t.deadLetterQueue()));
            out.add(new TargetView(t.name(), t.enabled(), targetState(t.enabled(), c), t.queue(), backlog,
                    t.deadLetterQueue(), dead, c));
        }
        return out;
    }

    private static Long known(Long depth) {
        if (depth == null) {
            return null;
        }
        return depth < 0 ? 0L : depth;
    }

    /** DISABLED, FAILING (an event waits for a retry, or the circuit is open) or OK. */
    static String targetState(boolean enabled, TargetCounts c) {
        if (!enabled) {
            return "DISABLED";
        }
        if (c.retrying() > 0 || "OPEN".equals(c.circuit())) {
            return "FAILING";
        }
        return "OK";
    }

    /** Depth of each events queue ({@code bridge.events.queues}). */
    public Map<String, Long> eventQueues(List<String> names) {
        return new LinkedHashMap<>(broker.depths(names));
    }

    /** The broker's state. */
    public BrokerProbe.State broker() {
        return broker.state();
    }

    /** The embedded broker's memory and paging state of {@code address}; empty for an external broker. */
    public java.util.Optional<BrokerProbe.Memory> brokerMemory(String address) {
        return broker.memory(address);
    }

    /** Events stored per device, the larger of the ingest path's count and the registry's. */
    public Map<String, Long> storedPerDevice() {
        Map<String, Long> out = new TreeMap<>();
        for (DeviceStatus s : registry.all()) {
            out.put(s.deviceId(), s.eventsStored());
        }
        ingest.devices().forEach((id, d) -> out.merge(id, d.total(), Math::max));
        return out;
    }
}
