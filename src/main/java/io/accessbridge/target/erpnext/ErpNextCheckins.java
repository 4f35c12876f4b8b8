package io.accessbridge.target.erpnext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.target.AttendancePunch;
import io.accessbridge.target.DeliveryException;
import io.accessbridge.target.HttpResponses;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * Mapping and answer check of the ERPNext target (bean {@code erpnextCheckins}): a punch becomes a call of
 * {@code hrms.hr.doctype.employee_checkin.employee_checkin.add_log_based_on_employee_field} with
 * {@code employee_field_value}, {@code timestamp} (site wall-clock time, {@code YYYY-MM-DD HH:MM:SS}),
 * {@code device_id}, {@code log_type} ({@code IN}/{@code OUT}, left out when the access point has no
 * direction) and {@code employee_fieldname}. Frappe answers a validation error with HTTP 417; its answer
 * "This employee already has a log with the same timestamp" means the checkin exists and counts as delivered.
 */
public final class ErpNextCheckins {

    /** Path of the whitelisted method, after the site URL. */
    public static final String METHOD_PATH =
            "/api/method/hrms.hr.doctype.employee_checkin.employee_checkin.add_log_based_on_employee_field";
    /** Frappe's text for a checkin that already exists. */
    static final String DUPLICATE = "already has a log with the same timestamp";
    /** Frappe's text when no Employee has the given field value. */
    static final String NO_EMPLOYEE = "No Employee found for the given employee field value";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ErpNextSettings settings;
    private final Clock clock;

    /** The mapping for {@code settings}. */
    public ErpNextCheckins(ErpNextSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The method's arguments for a punch. */
    public Map<String, String> arguments(AttendancePunch punch) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("employee_field_value", punch.employee());
        args.put("timestamp", TIMESTAMP.format(punch.localTime()));
        args.put("device_id", punch.deviceId());
        if (punch.direction() != null) {
            args.put("log_type", punch.direction());
        }
        args.put("employee_fieldname", settings.employeeFieldname());
        return args;
    }

    /** Route step: the body ({@link AttendancePunch}) becomes the JSON request; every other header is dropped. */
    public void toRequest(Exchange exchange) throws JsonProcessingException, InvalidPayloadException {
        Message m = exchange.getIn();
        AttendancePunch punch = m.getMandatoryBody(AttendancePunch.class);
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        m.setHeader("Accept", "application/json");
        m.setBody(JSON.writeValueAsBytes(arguments(punch)));
    }

    /** Route step after the call: returns when the checkin was created or already existed, else throws. */
    public void checkResponse(Exchange exchange) {
        Message m = exchange.getIn();
        int status = HttpResponses.status(m);
        if (status >= 200 && status < 300) {
            return;
        }
        String body = HttpResponses.body(m);
        if (status >= 400 && status < 500 && body.contains(DUPLICATE)) {
            return;
        }
        if (status >= 400 && status < 500 && body.contains(NO_EMPLOYEE)) {
            throw DeliveryException.permanent("unknown-employee", "no Employee with "
                    + settings.employeeFieldname() + " = the punch's employee code");
        }
        throw HttpResponses.failure(status, messageOf(body), m.getHeader("Retry-After"), clock);
    }

    /** Frappe's error message out of its JSON answer ({@code exception} or {@code _server_messages}), else the body. */
    static String messageOf(String body) {
        try {
            var node = JSON.readTree(body);
            if (node.hasNonNull("exception")) {
                return node.get("exception").asText();
            }
            if (node.hasNonNull("_server_messages")) {
                return node.get("_server_messages").asText();
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // not JSON: keep the body as it is
        }
        return body;
    }
}
