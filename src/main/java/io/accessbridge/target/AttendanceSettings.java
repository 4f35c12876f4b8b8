package io.accessbridge.target;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Set;

/**
 * Which access events are attendance punches for the HR/ERP targets, and whose.
 *
 * @param eventKinds   canonical kinds that count ({@code bridge.attendance.event-kinds}, default {@code access.granted})
 * @param personTypes  person types that count ({@code bridge.attendance.person-types}, default {@code employee})
 * @param employees    which field names the employee, and the optional lookup table
 *                     ({@code bridge.attendance.employee-field}, {@code bridge.attendance.employee-map-file})
 * @param unmapped     what to do with a punch whose person has no value or is not in the lookup table
 *                     ({@code bridge.attendance.unmapped}: {@code SKIP}, the default, or {@code DEAD_LETTER})
 * @param defaultZone  time zone of devices the inventory does not give one ({@code bridge.attendance.time-zone},
 *                     default UTC)
 */
public record AttendanceSettings(Set<String> eventKinds, Set<String> personTypes, EmployeeMapping employees,
                                 Unmapped unmapped, ZoneId defaultZone) {

    /** What happens to a punch without a known employee. */
    public enum Unmapped {
        /** Not a punch for the HR/ERP targets: counted as skipped. */
        SKIP,
        /** Dead-lettered, so that it can be replayed once the lookup table knows the person. */
        DEAD_LETTER
    }

    /** Reads {@code bridge.attendance.*}. */
    public static AttendanceSettings from(Settings s) {
        String zone = s.string("bridge.attendance.time-zone", "UTC");
        ZoneId defaultZone;
        try {
            defaultZone = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalStateException("setting bridge.attendance.time-zone: unknown time zone '" + zone + "'");
        }
        String unmapped = s.string("bridge.attendance.unmapped", "SKIP").toUpperCase(Locale.ROOT).replace('-', '_');
        Unmapped policy;
        try {
            policy = Unmapped.valueOf(unmapped);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("setting bridge.attendance.unmapped must be SKIP or DEAD_LETTER");
        }
        return new AttendanceSettings(
                Set.copyOf(s.list("bridge.attendance.event-kinds", "access.granted")),
                Set.copyOf(s.list("bridge.attendance.person-types", "employee")),
                EmployeeMapping.from(s), policy, defaultZone);
    }
}
