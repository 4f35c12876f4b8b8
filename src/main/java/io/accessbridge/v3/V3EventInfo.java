package io.accessbridge.v3;

/**
 * The reply of {@code event-info}: the seqnum range a v3 device still holds in its event log.
 * A device with an empty log reports {@code max = 0} (or {@code max < min}).
 *
 * @param min the oldest seqnum still stored on the device
 * @param max the newest seqnum stored on the device
 */
public record V3EventInfo(long min, long max) {

    /** Whether the device holds no events at all. */
    public boolean isEmpty() {
        return max <= 0 || max < min;
    }
}
