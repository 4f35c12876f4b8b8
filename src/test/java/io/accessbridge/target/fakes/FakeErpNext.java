package io.accessbridge.target.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Frappe HRMS site as seen by {@code add_log_based_on_employee_field} (hrms/hr/doctype/employee_checkin):
 * token authentication, the Employee looked up by {@code employee_fieldname}, one Employee Checkin per call,
 * and Frappe's validation errors as HTTP 417 with {@code exc_type}, {@code exception} and
 * {@code _server_messages}: "No Employee found for the given employee field value. '<field>': <value>" and
 * "This employee already has a log with the same timestamp." (same employee, time and log type).
 */
public final class FakeErpNext extends FakeHttpServer {

    /** A stored Employee Checkin. */
    public record Checkin(String employee, String time, String logType, String deviceId) {
    }

    /**
     * A call the bridge counts as delivered: answered 200 (checkin made) or 417 "already has a log with the same
     * timestamp" ({@code duplicate}), with its arguments as sent.
     */
    public record Accepted(String employeeFieldValue, String timestamp, String logType, boolean duplicate) {
    }

    public static final String PATH =
            "/api/method/hrms.hr.doctype.employee_checkin.employee_checkin.add_log_based_on_employee_field";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String token;
    private final Map<String, String> employeesByDeviceId = new ConcurrentHashMap<>();
    private final List<Checkin> checkins = new ArrayList<>();
    private final List<Accepted> accepted = new ArrayList<>();
    private volatile boolean down;

    /** A site accepting {@code Authorization: token <token>}. */
    public FakeErpNext(String token) {
        this.token = token;
    }

    /** Adds an Employee whose {@code attendance_device_id} is {@code deviceCode}. */
    public FakeErpNext employee(String deviceCode, String employeeName) {
        employeesByDeviceId.put(deviceCode, employeeName);
        return this;
    }

    /** While down, every call is answered 503 (a proxy in front of a stopped site). */
    public void down(boolean down) {
        this.down = down;
    }

    /** Stores a checkin as if made earlier. */
    public synchronized void seed(Checkin c) {
        checkins.add(c);
    }

    /** The checkins in the order they were created. */
    public synchronized List<Checkin> checkins() {
        return List.copyOf(checkins);
    }

    /** Every call counted as delivered, in arrival order: a punch sent twice shows here twice. */
    public synchronized List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    @Override
    protected Response handle(Request r) throws Exception {
        if (down) {
            return Response.text(503, "Service Unavailable", Map.of());
        }
        if (!r.path().equals(PATH) || !r.method().equals("POST")) {
            return Response.json(404, "{\"exc_type\":\"DoesNotExistError\"}");
        }
        if (!("token " + token).equals(r.header("Authorization"))) {
            return error(401, "AuthenticationError", "Invalid token");
        }
        JsonNode args = JSON.readTree(r.body());
        String value = text(args, "employee_field_value");
        String timestamp = text(args, "timestamp");
        String fieldname = args.hasNonNull("employee_fieldname") ? args.get("employee_fieldname").asText()
                : "attendance_device_id";
        if (value == null || timestamp == null) {
            return error(417, "ValidationError", "'employee_field_value' and 'timestamp' are required.");
        }
        String employee = fieldname.equals("attendance_device_id") ? employeesByDeviceId.get(value) : null;
        if (employee == null) {
            return error(417, "ValidationError", "No Employee found for the given employee field value. '"
                    + fieldname + "': " + value);
        }
        String logType = text(args, "log_type");
        synchronized (this) {
            for (Checkin c : checkins) {
                if (c.employee().equals(employee) && c.time().equals(timestamp)
                        && java.util.Objects.equals(c.logType(), logType)) {
                    accepted.add(new Accepted(value, timestamp, logType, true));
                    return error(417, "ValidationError", "This employee already has a log with the same timestamp."
                            + "<Br><a href=\"/app/employee-checkin/EMP-CKIN-0001\">EMP-CKIN-0001</a>");
                }
            }
            checkins.add(new Checkin(employee, timestamp, logType, text(args, "device_id")));
            accepted.add(new Accepted(value, timestamp, logType, false));
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.putObject("message").put("doctype", "Employee Checkin").put("employee", employee).put("time", timestamp)
                .put("log_type", logType);
        return Response.json(200, doc.toString());
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static Response error(int status, String type, String message) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("exc_type", type);
        body.put("exception", "frappe.exceptions." + type + ": " + message);
        body.put("exc", JSON.writeValueAsString(List.of("Traceback (most recent call last): ...")));
        ObjectNode msg = JSON.createObjectNode().put("message", message).put("title", "Message")
                .put("indicator", "red").put("raise_exception", 1);
        body.put("_server_messages", JSON.writeValueAsString(List.of(msg.toString())));
        return Response.json(status, body.toString());
    }
}
