package io.accessbridge.checkpoint;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link CheckpointStore} in memory, for tests and for running without persistent state. */
public final class InMemoryCheckpointStore implements CheckpointStore {

    private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();

    @Override
    public Optional<Checkpoint> load(String deviceId) {
        return Optional.ofNullable(checkpoints.get(Objects.requireNonNull(deviceId, "deviceId")));
    }

    @Override
    public void save(String deviceId, Checkpoint checkpoint) {
        checkpoints.put(Objects.requireNonNull(deviceId, "deviceId"), Objects.requireNonNull(checkpoint, "checkpoint"));
    }
}
