package io.accessbridge.canonical;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Device timestamps: Unix seconds or milliseconds, told apart by magnitude. */
public final class Timestamps {

    /** Values at or above this are milliseconds (in seconds it would be the year 5138). */
    static final long MILLIS_THRESHOLD = 100_000_000_000L;

    private Timestamps() {
    }

    /** The instant of a Unix timestamp given in seconds or milliseconds. */
    public static Instant fromUnix(long value) {
        return value >= MILLIS_THRESHOLD ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
    }

    /** The instant as UTC RFC 3339, e.g. {@code 2023-05-29T07:01:55Z}. */
    public static String rfc3339(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
