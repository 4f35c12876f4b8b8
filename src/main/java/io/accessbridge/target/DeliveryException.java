package io.accessbridge.target;

import java.time.Duration;

/**
 * A failed delivery attempt, as the retry policy sees it. {@link #getMessage()} is the short
 * {@link #code()} (plus an HTTP status when there is one) and is safe to log; {@link #detail()} may carry
 * the target's own answer (which can name a person) and only travels with the dead letter.
 */
public final class DeliveryException extends RuntimeException {

    private final String code;
    private final boolean retryable;
    private final Duration retryAfter;
    private final String detail;

    private DeliveryException(String code, boolean retryable, Duration retryAfter, String detail) {
        super(code, null, false, false);
        this.code = code;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
        this.detail = detail;
    }

    /** The target or the way to it is not working now: try again later. */
    public static DeliveryException retryable(String code, String detail) {
        return new DeliveryException(code, true, null, detail);
    }

    /** As {@link #retryable(String, String)}, when the target said how long to wait. */
    public static DeliveryException retryable(String code, String detail, Duration retryAfter) {
        return new DeliveryException(code, true, retryAfter, detail);
    }

    /** The target refused this event and will refuse it again: dead-letter it at once. */
    public static DeliveryException permanent(String code, String detail) {
        return new DeliveryException(code, false, null, detail);
    }

    /** A short, log-safe token such as {@code http-503} or {@code unknown-employee}. */
    public String code() {
        return code;
    }

    /** Whether trying again may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** The wait the target asked for, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The target's explanation, may be {@code null}; kept with the dead letter, never logged. */
    public String detail() {
        return detail;
    }

    /** The dead-letter reason: code and detail. */
    public String reason() {
        return detail == null || detail.isBlank() ? code : code + ": " + detail;
    }
}
