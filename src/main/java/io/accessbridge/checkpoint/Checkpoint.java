package io.accessbridge.checkpoint;

import java.time.Instant;
import java.util.Objects;

/**
 * How far the bridge has read one device's seqnum-ordered event log.
 *
 * @param lastSeqnum    the last seqnum whose event is durably published (0 = none yet)
 * @param lastTimestamp the raw {@code timestamp} of that event, or {@code null} when unknown;
 *                      a device that returns another timestamp for the same seqnum was reset
 * @param deviceMin     the device's {@code min} when last seen
 * @param deviceMax     the device's {@code max} when last seen; a smaller {@code max} later means a reset
 * @param epoch         incremented each time a reset of the device is detected (seqnums restart)
 * @param updatedAt     when this checkpoint was written
 */
public record Checkpoint(long lastSeqnum, Long lastTimestamp, long deviceMin, long deviceMax, long epoch,
                         Instant updatedAt) {

    public Checkpoint {
        if (lastSeqnum < 0 || deviceMin < 0 || deviceMax < 0 || epoch < 0) {
            throw new IllegalArgumentException("checkpoint numbers must not be negative");
        }
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The same checkpoint moved to {@code lastSeqnum} (with that event's raw timestamp). */
    public Checkpoint advance(long lastSeqnum, Long lastTimestamp, Instant now) {
        return new Checkpoint(lastSeqnum, lastTimestamp, deviceMin, deviceMax, epoch, now);
    }

    /** The same checkpoint with the device's current range. */
    public Checkpoint seen(long deviceMin, long deviceMax, Instant now) {
        return new Checkpoint(lastSeqnum, lastTimestamp, deviceMin, deviceMax, epoch, now);
    }

    /** The checkpoint after a detected reset: next epoch, nothing read yet, the device's new range. */
    public Checkpoint nextEpoch(long deviceMin, long deviceMax, Instant now) {
        return new Checkpoint(0, null, deviceMin, deviceMax, epoch + 1, now);
    }
}
