package io.accessbridge.checkpoint;

import java.io.IOException;
import java.util.Optional;

/**
 * Pluggable storage of per-device read positions (compare Debezium's {@code OffsetBackingStore}).
 * A checkpoint is saved only after the events up to it are durably published, so after a crash
 * the bridge re-reads at most what it had not yet confirmed; the broker drops the re-read copies
 * by their deterministic ids. Implementations must be thread-safe.
 */
public interface CheckpointStore {

    /** The device's last saved checkpoint, or empty when it has none. */
    Optional<Checkpoint> load(String deviceId) throws IOException;

    /** Durably replaces the device's checkpoint; when this returns, a crash does not lose it. */
    void save(String deviceId, Checkpoint checkpoint) throws IOException;
}
