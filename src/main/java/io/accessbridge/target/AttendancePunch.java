package io.accessbridge.target;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * One attendance punch, what HR/ERP targets record: an employee passing an access point at a time.
 *
 * @param eventId    the canonical event id (idempotency key)
 * @param employee   the employee's code in the HR/ERP system, see {@link EmployeeMapping}
 * @param occurredAt when, UTC
 * @param zone       the site's time zone (the device's, from the inventory)
 * @param direction  {@code IN}, {@code OUT}, or {@code null} when the access point has none
 * @param deviceId   the device id
 * @param site       the site, may be {@code null}
 * @param door       the door or access point, may be {@code null}
 */
public record AttendancePunch(String eventId, String employee, Instant occurredAt, ZoneId zone, String direction,
                              String deviceId, String site, String door) {

    /** The punch time on the site's wall clock. */
    public LocalDateTime localTime() {
        return LocalDateTime.ofInstant(occurredAt, zone);
    }
}
