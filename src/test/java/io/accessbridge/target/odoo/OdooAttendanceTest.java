package io.accessbridge.target.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.accessbridge.target.AttendancePunch;
import io.accessbridge.target.DeliveryException;
import io.accessbridge.target.fakes.FakeOdoo;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OdooAttendanceTest {

    private final FakeOdoo odoo = new FakeOdoo("hr", "bot", "key");
    private final int alice = odoo.employee("A1", "Alice");

    @AfterEach
    void close() {
        odoo.close();
    }

    private OdooAttendance attendance(OdooSettings.OnConflict onConflict, String key) {
        OdooSettings s = new OdooSettings("hr", "bot", key, "barcode", onConflict);
        return new OdooAttendance(new OdooRpc(odoo::rpc, s), s);
    }

    private static AttendancePunch punch(String employee, String utc, String direction) {
        return new AttendancePunch("e-" + utc, employee, Instant.parse(utc), ZoneId.of("Europe/Berlin"), direction,
                "d", null, null);
    }

    @Test
    void inCreatesACheckInAndOutClosesItInUtc() {
        OdooAttendance a = attendance(OdooSettings.OnConflict.DEAD_LETTER, "key");
        assertThat(a.record(punch("A1", "2024-03-04T07:00:00Z", "IN"))).isEqualTo(OdooAttendance.Outcome.CHECKED_IN);
        assertThat(a.record(punch("A1", "2024-03-04T16:00:00Z", "OUT"))).isEqualTo(OdooAttendance.Outcome.CHECKED_OUT);
        assertThat(odoo.attendances(alice)).containsExactly(
                new FakeOdoo.Attendance(1, alice, "2024-03-04 07:00:00", "2024-03-04 16:00:00"));
    }

    @Test
    void withoutDirectionPunchesToggleLikeOdoosKiosk() {
        OdooAttendance a = attendance(OdooSettings.OnConflict.DEAD_LETTER, "key");
        assertThat(a.record(punch("A1", "2024-03-05T07:00:00Z", null))).isEqualTo(OdooAttendance.Outcome.CHECKED_IN);
        assertThat(a.record(punch("A1", "2024-03-05T12:00:00Z", null))).isEqualTo(OdooAttendance.Outcome.CHECKED_OUT);
        assertThat(a.record(punch("A1", "2024-03-05T13:00:00Z", null))).isEqualTo(OdooAttendance.Outcome.CHECKED_IN);
    }

    @Test
    void aRedeliveredPunchIsRecognisedAsAlreadyRecorded() {
        OdooAttendance a = attendance(OdooSettings.OnConflict.DEAD_LETTER, "key");
        a.record(punch("A1", "2024-03-06T07:00:00Z", "IN"));
        assertThat(a.record(punch("A1", "2024-03-06T07:00:00Z", "IN"))).isEqualTo(OdooAttendance.Outcome.ALREADY_RECORDED);
        a.record(punch("A1", "2024-03-06T15:00:00Z", "OUT"));
        assertThat(a.record(punch("A1", "2024-03-06T15:00:00Z", "OUT")))
                .isEqualTo(OdooAttendance.Outcome.ALREADY_RECORDED);
        assertThat(odoo.attendances(alice)).hasSize(1);
    }

    @Test
    void odoosConstraintsAreConflictsDeadLetteredOrSkipped() {
        OdooAttendance strict = attendance(OdooSettings.OnConflict.DEAD_LETTER, "key");
        strict.record(punch("A1", "2024-03-07T07:00:00Z", "IN"));
        assertThatThrownBy(() -> strict.record(punch("A1", "2024-03-07T08:00:00Z", "IN")))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.code()).isEqualTo("odoo-conflict");
                    assertThat(e.detail()).contains("hasn't checked out since 2024-03-07 07:00:00");
                    assertThat(e.getMessage()).as("log-safe").doesNotContain("Alice");
                });
        assertThatThrownBy(() -> strict.record(punch("A1", "2024-03-07T06:00:00Z", "OUT")))
                .isInstanceOfSatisfying(DeliveryException.class,
                        e -> assertThat(e.detail()).isEqualTo("\"Check Out\" time cannot be earlier than \"Check In\" time."));
        OdooAttendance lenient = attendance(OdooSettings.OnConflict.SKIP, "key");
        assertThat(lenient.record(punch("A1", "2024-03-07T09:00:00Z", "IN"))).isEqualTo(OdooAttendance.Outcome.SKIPPED);
        lenient.record(punch("A1", "2024-03-07T17:00:00Z", "OUT"));
        assertThat(lenient.record(punch("A1", "2024-03-07T18:00:00Z", "OUT"))).isEqualTo(OdooAttendance.Outcome.SKIPPED);
    }

    @Test
    void unknownEmployeesAreDeadLetteredAndRefusedCredentialsRetried() {
        assertThatThrownBy(() -> attendance(OdooSettings.OnConflict.DEAD_LETTER, "key")
                .record(punch("ZZ", "2024-03-08T07:00:00Z", "IN")))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.code()).isEqualTo("unknown-employee");
                });
        assertThatThrownBy(() -> attendance(OdooSettings.OnConflict.DEAD_LETTER, "wrong")
                .record(punch("A1", "2024-03-08T07:00:00Z", "IN")))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.code()).isEqualTo("odoo-login-refused");
                });
    }
}
