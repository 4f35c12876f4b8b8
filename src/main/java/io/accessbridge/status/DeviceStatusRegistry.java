package io.accessbridge.status;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live state of every device, written by the channels (WebSocket client, subscription manager,
 * v3 poller, receivers) and read by the status API, metrics and tests. A state change is logged
 * once, when it happens, never repeated while it lasts.
 */
public final class DeviceStatusRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceStatusRegistry.class);

    private final Clock clock;
    private final Map<String, Entry> devices = new ConcurrentHashMap<>();

    /** A registry on the system clock. */
    public DeviceStatusRegistry() {
        this(Clock.systemUTC());
    }

    /** A registry on the given clock. */
    public DeviceStatusRegistry(Clock clock) {
        this.clock = clock;
    }

    private static final class Entry {
        final String generation;
        final Map<String, DeviceStatus.ChannelStatus> channels = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
        final AtomicLong stored = new AtomicLong();
        volatile Instant lastEventAt;

        Entry(String generation) {
            this.generation = generation;
        }
    }

    private Entry entry(String deviceId, String generation) {
        return devices.computeIfAbsent(deviceId, k -> new Entry(generation));
    }

    /** Registers a device (from the inventory) so it shows up before anything happened. */
    public void register(String deviceId, String generation) {
        entry(deviceId, generation);
    }

    /**
     * Records the state of a channel; logs and stamps {@code since} only when the state or reason changes.
     *
     * @return {@code true} when this was a change
     */
    public boolean channel(String deviceId, String channel, DeviceState state, String reason) {
        Entry e = entry(deviceId, "unknown");
        DeviceStatus.ChannelStatus previous = e.channels.get(channel);
        String r = state == DeviceState.CONNECTED ? null : reason;
        if (previous != null && previous.state() == state && java.util.Objects.equals(previous.reason(), r)) {
            return false;
        }
        e.channels.put(channel, new DeviceStatus.ChannelStatus(state, clock.instant(), r));
        if (state == DeviceState.CONNECTED) {
            LOG.info("Device {} {}: {}", deviceId, channel, state);
        } else {
            LOG.warn("Device {} {}: {}{}", deviceId, channel, state, r == null ? "" : " (" + r + ")");
        }
        return true;
    }

    /** Records that events of a device were stored. */
    public void stored(String deviceId, int count, Instant lastEventTime) {
        Entry e = entry(deviceId, "unknown");
        e.stored.addAndGet(count);
        e.lastEventAt = clock.instant();
    }

    /** Adds to a named counter of a device. */
    public void count(String deviceId, String counter, long delta) {
        entry(deviceId, "unknown").counters.computeIfAbsent(counter, k -> new AtomicLong()).addAndGet(delta);
    }

    /** Sets a named gauge of a device. */
    public void gauge(String deviceId, String gauge, long value) {
        entry(deviceId, "unknown").gauges.computeIfAbsent(gauge, k -> new AtomicLong()).set(value);
    }

    /** The status of one device. */
    public Optional<DeviceStatus> status(String deviceId) {
        Entry e = devices.get(deviceId);
        return e == null ? Optional.empty() : Optional.of(snapshot(deviceId, e));
    }

    /** The status of every device, by id. */
    public List<DeviceStatus> all() {
        return devices.entrySet().stream().map(en -> snapshot(en.getKey(), en.getValue()))
                .sorted(Comparator.comparing(DeviceStatus::deviceId)).toList();
    }

    private static DeviceStatus snapshot(String id, Entry e) {
        Map<String, Long> counters = new TreeMap<>();
        e.counters.forEach((k, v) -> counters.put(k, v.get()));
        Map<String, Long> gauges = new TreeMap<>();
        e.gauges.forEach((k, v) -> gauges.put(k, v.get()));
        return new DeviceStatus(id, e.generation, new LinkedHashMap<>(new TreeMap<>(e.channels)), e.lastEventAt,
                e.stored.get(), counters, gauges);
    }
}
