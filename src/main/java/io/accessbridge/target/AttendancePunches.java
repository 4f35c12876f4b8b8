package io.accessbridge.target;

import io.accessbridge.canonical.AccessEvent;
import io.accessbridge.inventory.DeviceConfig;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.Exchange;

/**
 * Turns canonical access events into attendance punches for the HR/ERP targets (bean
 * {@code attendancePunches}): the filter {@link #isPunch} and the mapping {@link #toPunch} of the
 * {@code forward-erpnext}, {@code forward-odoo} and {@code forward-csv} routes. The direction comes from the
 * event (the access point's, from the inventory when it was published) or else from the device's inventory
 * entry; the time zone is the device's (inventory), else {@link AttendanceSettings#defaultZone()}.
 */
public final class AttendancePunches {

    /** What an event is for the HR/ERP targets. */
    public sealed interface Decision {
    }

    /** A punch to record. */
    public record Punch(AttendancePunch punch) implements Decision {
    }

    /** Not attendance (another kind, a visitor, ...). */
    public record NotAPunch(String why) implements Decision {
    }

    /** Attendance of a person without a known employee code. */
    public record Unmapped(String why) implements Decision {
    }

    private final AttendanceSettings settings;
    private final Function<String, Optional<DeviceConfig>> devices;

    /** Punches per {@code settings}, with device time zones and directions from {@code devices}. */
    public AttendancePunches(AttendanceSettings settings, Function<String, Optional<DeviceConfig>> devices) {
        this.settings = settings;
        this.devices = devices;
    }

    /** Route filter: whether the consumed event is a punch for the HR/ERP targets. */
    public boolean isPunch(Exchange exchange) {
        Decision d = decide(EventBodies.parse(exchange));
        if (d instanceof Unmapped) {
            return settings.unmapped() == AttendanceSettings.Unmapped.DEAD_LETTER;
        }
        return d instanceof Punch;
    }

    /** Route mapping: replaces the body with the {@link AttendancePunch}; an unmapped person is a permanent failure. */
    public void toPunch(Exchange exchange) {
        Decision d = decide(EventBodies.parse(exchange));
        if (d instanceof Punch p) {
            exchange.getIn().setBody(p.punch());
        } else if (d instanceof Unmapped u) {
            throw DeliveryException.permanent("unmapped-employee", u.why());
        } else {
            throw DeliveryException.permanent("not-a-punch", ((NotAPunch) d).why());
        }
    }

    /** What {@code event} is for the HR/ERP targets. */
    public Decision decide(EventBodies.Parsed event) {
        AccessEvent e = event.data();
        if (!settings.eventKinds().contains(e.kind())) {
            return new NotAPunch("kind " + e.kind());
        }
        AccessEvent.Person person = e.person();
        if (person == null || person.type() == null || !settings.personTypes().contains(person.type())) {
            return new NotAPunch("person type " + (person == null ? "none" : person.type()));
        }
        EmployeeMapping.Result employee = settings.employees().employee(person);
        if (employee instanceof EmployeeMapping.Mapped m) {
            return new Punch(punch(event.cloudEvent().getId(), e, m.employee()));
        }
        if (employee instanceof EmployeeMapping.NotInTable) {
            return new Unmapped(settings.employees().field().key() + " not in the employee map");
        }
        return new Unmapped("no " + settings.employees().field().key());
    }

    private AttendancePunch punch(String id, AccessEvent e, String employee) {
        String deviceId = e.device() == null ? null : e.device().id();
        Optional<DeviceConfig> device = deviceId == null ? Optional.empty() : devices.apply(deviceId);
        String direction = e.direction() != null ? e.direction() : device.map(DeviceConfig::direction).orElse(null);
        if (direction != null) {
            direction = direction.toUpperCase(Locale.ROOT);
            if (!direction.equals("IN") && !direction.equals("OUT")) {
                direction = null;
            }
        }
        ZoneId zone = device.map(DeviceConfig::timeZone).orElse(settings.defaultZone());
        Instant at;
        try {
            at = Instant.parse(e.occurredAt());
        } catch (DateTimeParseException | NullPointerException x) {
            throw DeliveryException.permanent("bad-time", "occurredAt is not an RFC 3339 instant");
        }
        return new AttendancePunch(id, employee, at, zone, direction, deviceId,
                e.device() == null ? null : e.device().site(),
                e.door() == null ? null : e.door().name());
    }
}
