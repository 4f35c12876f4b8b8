package io.accessbridge.target.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * An Odoo server as seen by the external JSON-RPC API ({@code /jsonrpc}): {@code common.authenticate}, and
 * {@code object.execute_kw} on {@code hr.employee} (search_read) and {@code hr.attendance} (create, write,
 * search_read) with the constraint of addons/hr_attendance/models/hr_attendance.py
 * ({@code _check_validity}, {@code _check_validity_check_in_check_out}) answered as Odoo answers a
 * {@code ValidationError}: HTTP 200 with a JSON-RPC {@code error} whose {@code data.name} is
 * {@code odoo.exceptions.ValidationError}.
 */
public final class FakeOdoo extends FakeHttpServer {

    /** An hr.attendance record; {@code checkOut} null while open. */
    public record Attendance(int id, int employeeId, String checkIn, String checkOut) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int UID = 2;

    private final String db;
    private final String login;
    private final String key;
    private final Map<Integer, String> employeeNames = new ConcurrentHashMap<>();
    private final Map<String, Integer> employeeByBarcode = new ConcurrentHashMap<>();
    private final List<Attendance> attendances = new ArrayList<>();
    private volatile boolean down;

    /** A server with database {@code db} and the user {@code login} / {@code key}. */
    public FakeOdoo(String db, String login, String key) {
        this.db = db;
        this.login = login;
        this.key = key;
    }

    /** Adds an employee with badge id {@code barcode}; returns its id. */
    public int employee(String barcode, String name) {
        int id = 100 + employeeNames.size();
        employeeNames.put(id, name);
        employeeByBarcode.put(barcode, id);
        return id;
    }

    /** The id of the employee with badge id {@code barcode}. */
    public int employeeId(String barcode) {
        return employeeByBarcode.get(barcode);
    }

    /** While down, every call is answered 502 (a proxy in front of a stopped server). */
    public void down(boolean down) {
        this.down = down;
    }

    /** The attendances of one employee, by check-in. */
    public synchronized List<Attendance> attendances(int employeeId) {
        return attendances.stream().filter(a -> a.employeeId() == employeeId)
                .sorted(Comparator.comparing(Attendance::checkIn)).toList();
    }

    /** Stores an attendance directly. */
    public synchronized void seed(int employeeId, String checkIn, String checkOut) {
        attendances.add(new Attendance(attendances.size() + 1, employeeId, checkIn, checkOut));
    }

    @Override
    protected Response handle(Request r) throws Exception {
        if (down) {
            return Response.text(502, "Bad Gateway", Map.of());
        }
        if (!r.path().equals("/jsonrpc")) {
            return Response.text(404, "Not Found", Map.of());
        }
        return Response.json(200, rpc(r.text()));
    }

    /** Answers one JSON-RPC request body. */
    public String rpc(String body) throws Exception {
        JsonNode request = JSON.readTree(body);
        JsonNode params = request.path("params");
        ArrayNode args = (ArrayNode) params.path("args");
        ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
        response.set("id", request.get("id"));
        try {
            String service = params.path("service").asText();
            String method = params.path("method").asText();
            if (service.equals("common") && method.equals("authenticate")) {
                boolean ok = args.get(0).asText().equals(db) && args.get(1).asText().equals(login)
                        && args.get(2).asText().equals(key);
                response.set("result", ok ? JSON.valueToTree(UID) : JSON.valueToTree(false));
            } else if (service.equals("object") && method.equals("execute_kw")) {
                if (!args.get(0).asText().equals(db) || args.get(1).asInt() != UID || !args.get(2).asText().equals(key)) {
                    throw new OdooError("odoo.exceptions.AccessDenied", "Access Denied");
                }
                response.set("result", execute(args.get(3).asText(), args.get(4).asText(), args.get(5), args.get(6)));
            } else {
                throw new OdooError("werkzeug.exceptions.NotFound", "unknown service " + service + "." + method);
            }
        } catch (OdooError e) {
            ObjectNode error = response.putObject("error");
            error.put("code", 200).put("message", "Odoo Server Error");
            ObjectNode data = error.putObject("data");
            data.put("name", e.name).put("debug", "Traceback (most recent call last): ...").put("message", e.getMessage());
            data.putArray("arguments").add(e.getMessage());
            data.putObject("context");
        }
        return response.toString();
    }

    private JsonNode execute(String model, String method, JsonNode args, JsonNode kwargs) throws OdooError {
        if (model.equals("hr.employee") && method.equals("search_read")) {
            JsonNode cond = args.get(0).get(0);
            Integer id = cond.get(0).asText().equals("barcode") ? employeeByBarcode.get(cond.get(2).asText()) : null;
            ArrayNode out = JSON.createArrayNode();
            if (id != null) {
                out.addObject().put("id", id);
            }
            return out;
        }
        if (!model.equals("hr.attendance")) {
            throw new OdooError("builtins.KeyError", model);
        }
        synchronized (this) {
            switch (method) {
                case "create" -> {
                    JsonNode vals = args.get(0).isArray() ? args.get(0).get(0) : args.get(0);
                    Attendance a = new Attendance(attendances.size() + 1, vals.get("employee_id").asInt(),
                            vals.get("check_in").asText(), vals.hasNonNull("check_out") ? vals.get("check_out").asText() : null);
                    checkValidity(a);
                    attendances.add(a);
                    return JSON.valueToTree(a.id());
                }
                case "write" -> {
                    for (JsonNode idNode : args.get(0)) {
                        int index = indexOf(idNode.asInt());
                        Attendance old = attendances.get(index);
                        Attendance updated = new Attendance(old.id(), old.employeeId(), old.checkIn(),
                                args.get(1).get("check_out").asText());
                        checkValidity(updated);
                        attendances.set(index, updated);
                    }
                    return JSON.valueToTree(true);
                }
                case "search_read" -> {
                    Predicate<Attendance> match = a -> true;
                    for (JsonNode c : args.get(0)) {
                        match = match.and(condition(c));
                    }
                    List<Attendance> found = new ArrayList<>(attendances.stream().filter(match).toList());
                    found.sort(Comparator.comparing(Attendance::checkIn).reversed());
                    int limit = kwargs.path("limit").asInt(Integer.MAX_VALUE);
                    ArrayNode out = JSON.createArrayNode();
                    found.stream().limit(limit).forEach(a -> out.addObject().put("id", a.id()).put("check_in", a.checkIn()));
                    return out;
                }
                default -> throw new OdooError("builtins.AttributeError", method);
            }
        }
    }

    private int indexOf(int id) {
        for (int i = 0; i < attendances.size(); i++) {
            if (attendances.get(i).id() == id) {
                return i;
            }
        }
        throw new IllegalArgumentException("no attendance " + id);
    }

    private static Predicate<Attendance> condition(JsonNode c) {
        String field = c.get(0).asText();
        JsonNode value = c.get(2);
        return switch (field) {
            case "employee_id" -> a -> a.employeeId() == value.asInt();
            case "check_in" -> a -> a.checkIn().equals(value.asText());
            case "check_out" -> value.isBoolean() && !value.asBoolean() ? a -> a.checkOut() == null
                    : a -> Objects.equals(a.checkOut(), value.asText());
            default -> throw new IllegalArgumentException("field " + field);
        };
    }

    /** hr_attendance's _check_validity_check_in_check_out and _check_validity, as in Odoo. */
    private void checkValidity(Attendance a) throws OdooError {
        String name = employeeNames.get(a.employeeId());
        if (a.checkOut() != null && a.checkOut().compareTo(a.checkIn()) < 0) {
            throw new OdooError("odoo.exceptions.ValidationError",
                    "\"Check Out\" time cannot be earlier than \"Check In\" time.");
        }
        List<Attendance> others = attendances.stream().filter(o -> o.employeeId() == a.employeeId() && o.id() != a.id())
                .toList();
        Attendance lastBeforeCheckIn = others.stream().filter(o -> o.checkIn().compareTo(a.checkIn()) <= 0)
                .max(Comparator.comparing(Attendance::checkIn)).orElse(null);
        if (lastBeforeCheckIn != null && lastBeforeCheckIn.checkOut() != null
                && lastBeforeCheckIn.checkOut().compareTo(a.checkIn()) > 0) {
            throw new OdooError("odoo.exceptions.ValidationError", "Cannot create new attendance record for " + name
                    + ", the employee was already checked in on " + a.checkIn());
        }
        if (a.checkOut() == null) {
            Attendance open = others.stream().filter(o -> o.checkOut() == null)
                    .max(Comparator.comparing(Attendance::checkIn)).orElse(null);
            if (open != null) {
                throw new OdooError("odoo.exceptions.ValidationError", "Cannot create new attendance record for " + name
                        + ", the employee hasn't checked out since " + open.checkIn());
            }
        } else {
            Attendance lastBeforeCheckOut = others.stream().filter(o -> o.checkIn().compareTo(a.checkOut()) < 0)
                    .max(Comparator.comparing(Attendance::checkIn)).orElse(null);
            if (lastBeforeCheckOut != null && !Objects.equals(lastBeforeCheckIn, lastBeforeCheckOut)) {
                throw new OdooError("odoo.exceptions.ValidationError", "Cannot create new attendance record for " + name
                        + ", the employee was already checked in on " + lastBeforeCheckOut.checkIn());
            }
        }
    }

    private static final class OdooError extends Exception {
        private final String name;

        OdooError(String name, String message) {
            super(message);
            this.name = name;
        }
    }
}
