package io.accessbridge.target;

/**
 * What one target has done since the bridge started.
 *
 * @param delivered    events the target accepted (including answers that it already had them)
 * @param skipped      events the target's route filtered out (not for this target)
 * @param failed       delivery attempts that failed (each retry counts)
 * @param retrying     events waiting right now for their next attempt
 * @param deadLettered events moved to the target's dead-letter queue
 * @param circuit      state of the target's circuit breaker as last seen: {@code CLOSED}, {@code OPEN},
 *                     {@code HALF_OPEN}, or {@code UNKNOWN} before the first call
 */
public record TargetCounts(long delivered, long skipped, long failed, long retrying, long deadLettered,
                           String circuit) {
}
