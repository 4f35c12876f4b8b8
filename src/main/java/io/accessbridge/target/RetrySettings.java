package io.accessbridge.target;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How one target retries an event it could not deliver: exponential backoff with jitter, a server's
 * {@code Retry-After} honoured, until {@link #giveUpAfter} has passed since the first attempt; then the
 * event goes to the target's dead-letter queue.
 *
 * @param initialDelay  wait after the first failed attempt ({@code retry.initial-delay}, default 1s)
 * @param multiplier    factor applied to the wait after each further failure ({@code retry.multiplier}, default 2)
 * @param maxDelay      longest wait between two attempts ({@code retry.max-delay}, default 5m)
 * @param jitter        share of each wait that is random, 0 to 1: a wait {@code d} becomes a value between
 *                      {@code d*(1-jitter)} and {@code d} ({@code retry.jitter}, default 0.5)
 * @param giveUpAfter   time from the first attempt after which the event is dead-lettered
 *                      ({@code retry.give-up-after}, default 6h)
 * @param maxRetryAfter longest {@code Retry-After} honoured; a longer one is cut to this
 *                      ({@code retry.max-retry-after}, default 10m)
 */
public record RetrySettings(Duration initialDelay, double multiplier, Duration maxDelay, double jitter,
                            Duration giveUpAfter, Duration maxRetryAfter) {

    /** The defaults described on each component. */
    public static final RetrySettings DEFAULTS = new RetrySettings(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 0.5,
            Duration.ofHours(6), Duration.ofMinutes(10));

    /** Checks the values. */
    public RetrySettings {
        if (multiplier < 1.0) {
            throw new IllegalStateException("retry.multiplier must be at least 1");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalStateException("retry.jitter must be between 0 and 1");
        }
    }

    /** Reads {@code bridge.target.<name>.retry.*} (falling back to {@code bridge.targets.retry.*}). */
    public static RetrySettings from(Settings s, String prefix) {
        return new RetrySettings(
                s.duration(prefix + "retry.initial-delay", DEFAULTS.initialDelay),
                s.decimal(prefix + "retry.multiplier", DEFAULTS.multiplier),
                s.duration(prefix + "retry.max-delay", DEFAULTS.maxDelay),
                s.decimal(prefix + "retry.jitter", DEFAULTS.jitter),
                s.duration(prefix + "retry.give-up-after", DEFAULTS.giveUpAfter),
                s.duration(prefix + "retry.max-retry-after", DEFAULTS.maxRetryAfter));
    }

    /**
     * The wait before the next attempt after {@code failures} failed attempts (1 for the first).
     *
     * @param retryAfter what the target asked for ({@code Retry-After}), or {@code null}
     */
    public Duration delay(int failures, Duration retryAfter, RandomGenerator random) {
        double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failures - 1));
        long capped = (long) Math.min(base, maxDelay.toMillis());
        long low = (long) (capped * (1.0 - jitter));
        long wait = low >= capped ? capped : random.nextLong(low, capped + 1);
        if (retryAfter != null) {
            wait = Math.max(wait, Math.min(retryAfter.toMillis(), maxRetryAfter.toMillis()));
        }
        return Duration.ofMillis(wait);
    }
}
