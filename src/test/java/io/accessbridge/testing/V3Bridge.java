package io.accessbridge.testing;

import io.accessbridge.checkpoint.Checkpoint;
import io.accessbridge.checkpoint.FileCheckpointStore;
import io.accessbridge.status.DeviceState;
import io.accessbridge.status.DeviceStatus;
import io.accessbridge.status.DeviceStatusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a running bridge's view of its v3 devices. */
public final class V3Bridge {

    private final RunningBridge bridge;

    /** The v3 view of a running bridge. */
    public V3Bridge(RunningBridge bridge) {
        this.bridge = bridge;
    }

    /** The bridge's status registry. */
    public DeviceStatusRegistry status() {
        return bridge.context().getRegistry().lookupByNameAndType("deviceStatus", DeviceStatusRegistry.class);
    }

    /** A device's status. */
    public DeviceStatus status(String deviceId) {
        return status().status(deviceId).orElseThrow();
    }

    /** A gauge of a device, -1 when not set. */
    public long gauge(String deviceId, String gauge) {
        return status().status(deviceId).map(s -> s.gauges().getOrDefault(gauge, -1L)).orElse(-1L);
    }

    /** A counter of a device, 0 when not set. */
    public long counter(String deviceId, String counter) {
        return status().status(deviceId).map(s -> s.counters().getOrDefault(counter, 0L)).orElse(0L);
    }

    /** The state of a device's poll channel. */
    public Optional<DeviceStatus.ChannelStatus> poll(String deviceId) {
        return status().status(deviceId).map(s -> s.channels().get("poll"));
    }

    /** Whether a device's poll channel is in {@code state}. */
    public boolean pollIs(String deviceId, DeviceState state) {
        return poll(deviceId).map(c -> c.state() == state).orElse(false);
    }

    /** The checkpoint file of a device under a data directory laid out by {@link RunningBridge#defaults}. */
    public static Optional<Checkpoint> checkpoint(Path dataDir, String deviceId) {
        try {
            return new FileCheckpointStore(dataDir.resolve("checkpoints")).load(deviceId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
