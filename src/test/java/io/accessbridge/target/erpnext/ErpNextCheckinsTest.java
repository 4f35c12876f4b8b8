package io.accessbridge.target.erpnext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.accessbridge.target.AttendancePunch;
import io.accessbridge.target.DeliveryException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class ErpNextCheckinsTest {

    private final ErpNextCheckins checkins = new ErpNextCheckins(
            new ErpNextSettings("http://erp", "attendance_device_id", true), Clock.systemUTC());

    private static AttendancePunch punch(String direction) {
        return new AttendancePunch("evt-1", "23385", Instant.parse("2024-07-01T22:15:09Z"), ZoneId.of("Asia/Kolkata"),
                direction, "lobby-in", "hq", "Lobby");
    }

    @Test
    void argumentsCarrySiteLocalTimeDeviceAndLogType() {
        assertThat(checkins.arguments(punch("IN"))).containsExactly(
                java.util.Map.entry("employee_field_value", "23385"),
                java.util.Map.entry("timestamp", "2024-07-02 03:45:09"),
                java.util.Map.entry("device_id", "lobby-in"),
                java.util.Map.entry("log_type", "IN"),
                java.util.Map.entry("employee_fieldname", "attendance_device_id"));
        assertThat(checkins.arguments(punch(null))).doesNotContainKey("log_type");
    }

    @Test
    void theRequestIsJsonWithNoBrokerHeaders() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange e = new DefaultExchange(camel);
            e.getIn().setHeader("cloudEvents_id", "evt-1");
            e.getIn().setBody(punch("OUT"));
            checkins.toRequest(e);
            assertThat(e.getIn().getHeaders()).containsOnlyKeys(Exchange.HTTP_METHOD, Exchange.CONTENT_TYPE, "Accept");
            assertThat(new String(e.getIn().getBody(byte[].class), StandardCharsets.UTF_8))
                    .contains("\"log_type\":\"OUT\"").contains("\"timestamp\":\"2024-07-02 03:45:09\"");
        }
    }

    private void answer(int status, String body, String retryAfter) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange e = new DefaultExchange(camel);
            e.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            if (retryAfter != null) {
                e.getIn().setHeader("Retry-After", retryAfter);
            }
            e.getIn().setBody(body);
            checkins.checkResponse(e);
        }
    }

    @Test
    void frappesDuplicateTimestampAnswerCountsAsDelivered() throws Exception {
        answer(200, "{\"message\":{\"name\":\"EMP-CKIN-0001\"}}", null);
        answer(417, "{\"exc_type\":\"ValidationError\",\"exception\":\"frappe.exceptions.ValidationError: This employee"
                + " already has a log with the same timestamp.<Br><a href=\\\"/app/employee-checkin/X\\\">X</a>\"}", null);
    }

    @Test
    void anUnknownEmployeeIsDeadLetteredAndAnOverloadedSiteRetried() {
        assertThatThrownBy(() -> answer(417, "{\"exc_type\":\"ValidationError\",\"_server_messages\":\"[\\\"No Employee "
                + "found for the given employee field value. 'attendance_device_id': 9\\\"]\"}", null))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.code()).isEqualTo("unknown-employee");
                    assertThat(e.getMessage()).doesNotContain("9");
                });
        assertThatThrownBy(() -> answer(503, "busy", "30")).isInstanceOfSatisfying(DeliveryException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        });
        assertThatThrownBy(() -> answer(417, "{\"exc_type\":\"ValidationError\",\"exception\":\"frappe.exceptions."
                + "ValidationError: Log Type is required\"}", null))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.reason()).isEqualTo("http-417: frappe.exceptions.ValidationError: Log Type is required");
                });
    }
}
