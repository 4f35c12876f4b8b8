package io.accessbridge.target.csv;

import io.accessbridge.target.Settings;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The CSV attendance file target.
 *
 * @param dir          directory of the daily files ({@code bridge.target.csv.dir}, default {@code data/attendance});
 *                     also the route's {@code file:} endpoint
 * @param rotationZone time zone whose midnight starts a new file ({@code bridge.target.csv.time-zone}, default UTC)
 */
public record CsvSettings(Path dir, ZoneId rotationZone) {

    /** Reads {@code bridge.target.csv.*}. */
    public static CsvSettings from(Settings s) {
        String zone = s.string("bridge.target.csv.time-zone", "UTC");
        try {
            return new CsvSettings(Path.of(s.string("bridge.target.csv.dir", "data/attendance")), ZoneId.of(zone));
        } catch (DateTimeException e) {
            throw new IllegalStateException("setting bridge.target.csv.time-zone: unknown time zone '" + zone + "'");
        }
    }
}
