package io.accessbridge.target.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import io.accessbridge.target.AttendancePunch;
import io.accessbridge.target.DeliveryException;
import io.accessbridge.target.DeliveryPolicy;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records punches as Odoo {@code hr.attendance} records (bean {@code odooAttendance}): an IN punch creates a
 * check-in, an OUT punch writes {@code check_out} on the employee's open attendance; at an access point without
 * direction a punch checks out when an attendance is open, else checks in (Odoo's kiosk behaviour). Times are
 * sent as Odoo stores them, UTC {@code YYYY-MM-DD HH:MM:SS}. Order per employee is kept by the target's single,
 * exclusive consumer.
 * <p>
 * Defined outcomes of Odoo's attendance rules:
 * <ul>
 * <li>the punch is already recorded (an attendance with the same check-in, or a closed one with the same
 *     check-out: a redelivery after a crash) - delivered;</li>
 * <li>IN while the employee is checked in ("Cannot create new attendance record for ..., the employee hasn't
 *     checked out since ...") or overlapping an earlier attendance ("... was already checked in on ..."),
 *     OUT with no open attendance, OUT earlier than the check-in ("Check Out" time cannot be earlier than
 *     "Check In" time) - a conflict: dead-lettered with Odoo's message (default) or skipped, per
 *     {@link OdooSettings#onConflict()};</li>
 * <li>no employee with the code - dead-lettered ({@code unknown-employee}).</li>
 * </ul>
 */
public final class OdooAttendance {

    /** Result of recording a punch. */
    public enum Outcome {
        /** A check-in was created. */
        CHECKED_IN,
        /** The open attendance was closed. */
        CHECKED_OUT,
        /** Odoo already had the punch. */
        ALREADY_RECORDED,
        /** A conflict, skipped per settings. */
        SKIPPED
    }

    private static final Logger LOG = LoggerFactory.getLogger(OdooAttendance.class);
    private static final DateTimeFormatter ODOO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final String ATTENDANCE = "hr.attendance";

    private final OdooRpc rpc;
    private final OdooSettings settings;
    private final Map<String, Integer> employeeIds = new ConcurrentHashMap<>();

    /** Records through {@code rpc}. */
    public OdooAttendance(OdooRpc rpc, OdooSettings settings) {
        this.rpc = rpc;
        this.settings = settings;
    }

    /** Route step: records the body ({@link AttendancePunch}); a skipped conflict marks the exchange skipped. */
    public void record(Exchange exchange) throws InvalidPayloadException {
        if (record(exchange.getIn().getMandatoryBody(AttendancePunch.class)) == Outcome.SKIPPED) {
            exchange.setProperty(DeliveryPolicy.SKIPPED, "odoo-conflict");
        }
    }

    /** Records one punch. */
    public Outcome record(AttendancePunch punch) {
        int employee = employeeId(punch.employee());
        String time = ODOO_TIME.format(punch.occurredAt());
        String direction = punch.direction();
        if (direction == null) {
            direction = openAttendance(employee) == null ? "IN" : "OUT";
        }
        return direction.equals("IN") ? checkIn(employee, time) : checkOut(employee, time);
    }

    private Outcome checkIn(int employee, String time) {
        try {
            rpc.execute(ATTENDANCE, "create", List.of(Map.of("employee_id", employee, "check_in", time)), Map.of());
            return Outcome.CHECKED_IN;
        } catch (OdooRpc.OdooException e) {
            if (!e.isValidation()) {
                throw DeliveryException.permanent("odoo-error", e.name() + ": " + e.odooMessage());
            }
            if (exists(employee, "check_in", time)) {
                return Outcome.ALREADY_RECORDED;
            }
            return conflict(e.odooMessage());
        }
    }

    private Outcome checkOut(int employee, String time) {
        JsonNode open = openAttendance(employee);
        if (open == null) {
            if (exists(employee, "check_out", time)) {
                return Outcome.ALREADY_RECORDED;
            }
            return conflict("check-out without an open check-in");
        }
        try {
            rpc.execute(ATTENDANCE, "write", List.of(List.of(open.get("id").asInt()), Map.of("check_out", time)),
                    Map.of());
            return Outcome.CHECKED_OUT;
        } catch (OdooRpc.OdooException e) {
            if (!e.isValidation()) {
                throw DeliveryException.permanent("odoo-error", e.name() + ": " + e.odooMessage());
            }
            return conflict(e.odooMessage());
        }
    }

    private Outcome conflict(String odooMessage) {
        if (settings.onConflict() == OdooSettings.OnConflict.SKIP) {
            LOG.info("Target odoo: punch refused by Odoo's attendance rules, skipped (bridge.target.odoo.on-conflict)");
            return Outcome.SKIPPED;
        }
        throw DeliveryException.permanent("odoo-conflict", odooMessage);
    }

    private JsonNode openAttendance(int employee) {
        JsonNode found = rpc.execute(ATTENDANCE, "search_read",
                List.of(OdooRpc.domain(new Object[] {"employee_id", "=", employee},
                        new Object[] {"check_out", "=", false})),
                Map.of("fields", List.of("id", "check_in"), "order", "check_in desc", "limit", 1));
        return found.isArray() && !found.isEmpty() ? found.get(0) : null;
    }

    private boolean exists(int employee, String field, String time) {
        JsonNode found = rpc.execute(ATTENDANCE, "search_read",
                List.of(OdooRpc.domain(new Object[] {"employee_id", "=", employee}, new Object[] {field, "=", time})),
                Map.of("fields", List.of("id"), "limit", 1));
        return found.isArray() && !found.isEmpty();
    }

    private int employeeId(String code) {
        Integer id = employeeIds.get(code);
        if (id != null) {
            return id;
        }
        JsonNode found = rpc.execute("hr.employee", "search_read",
                List.of(OdooRpc.domain(new Object[] {settings.employeeField(), "=", code})),
                Map.of("fields", List.of("id"), "limit", 2));
        if (!found.isArray() || found.isEmpty()) {
            throw DeliveryException.permanent("unknown-employee", "no hr.employee with " + settings.employeeField()
                    + " = the punch's employee code");
        }
        if (found.size() > 1) {
            throw DeliveryException.permanent("ambiguous-employee", "several hr.employee records share the code in "
                    + settings.employeeField());
        }
        id = found.get(0).get("id").asInt();
        employeeIds.put(code, id);
        return id;
    }
}
