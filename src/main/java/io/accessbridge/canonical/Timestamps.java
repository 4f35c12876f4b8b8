package io.accessbridge.canonical;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Device timestamps: Unix seconds or milliseconds, told apart by magnitude where the specs leave the unit open
 * ({@link #fromUnix}), read as milliseconds where they document it ({@link #fromUnixMillis}). Either way the
 * device's value is taken as it is: a device clock years off gives an instant years off, never a corrected one.
 */
public final class Timestamps {

    /** Values at or above this are milliseconds (in seconds it would be the year 5138). */
    static final long MILLIS_THRESHOLD = 100_000_000_000L;
    /** 0000-01-01T00:00:00Z in seconds: the earliest instant RFC 3339 can write. */
    static final long MIN_SECONDS = -62_167_219_200L;
    /** 9999-12-31T23:59:59.999Z in milliseconds: the latest instant RFC 3339 can write. */
    static final long MAX_MILLIS = 253_402_300_799_999L;

    private Timestamps() {
    }

    /**
     * Whether {@link #fromUnix} of this value is an instant RFC 3339 can write (years 0000 to 9999);
     * other values (a device clock gone wild, a corrupted field) must be rejected before conversion.
     */
    public static boolean inRange(long value) {
        return value >= MIN_SECONDS && value <= MAX_MILLIS;
    }

    /**
     * The instant of a Unix timestamp given in seconds or milliseconds (see {@link #inRange}). A value in
     * milliseconds below 10^11 (a clock before 1973-03-03, e.g. one reset to 1970) reads as seconds: use
     * {@link #fromUnixMillis} for fields documented in milliseconds.
     */
    public static Instant fromUnix(long value) {
        return value >= MILLIS_THRESHOLD ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
    }

    /** Whether {@link #fromUnixMillis} of this value is an instant RFC 3339 can write (years 0000 to 9999). */
    public static boolean inMillisRange(long value) {
        return value >= MIN_SECONDS * 1000 && value <= MAX_MILLIS;
    }

    /**
     * The instant of a Unix timestamp documented in milliseconds (v1 alarm {@code event_time}, visitor
     * {@code guest_time_start/end}), whatever its magnitude (see {@link #inMillisRange}).
     */
    public static Instant fromUnixMillis(long value) {
        return Instant.ofEpochMilli(value);
    }

    /** The instant as UTC RFC 3339, e.g. {@code 2023-05-29T07:01:55Z}. */
    public static String rfc3339(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
