package io.accessbridge.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.accessbridge.canonical.CanonicalEvent;
import io.accessbridge.canonical.CloudEventCodec;
import io.accessbridge.canonical.EventKind;
import io.accessbridge.inventory.DeviceConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttendancePunchesTest {

    @TempDir
    Path dir;

    private static final DeviceConfig LOBBY = new DeviceConfig("lobby-in", DeviceConfig.Generation.V1, null, null, "hq",
            "Lobby", "IN", ZoneId.of("Europe/Berlin"), null, null, null, null, null);

    private static AttendancePunches punches(EmployeeMapping mapping, AttendanceSettings.Unmapped unmapped) {
        AttendanceSettings s = new AttendanceSettings(Set.of("access.granted"), Set.of("employee"), mapping, unmapped,
                ZoneId.of("Asia/Tokyo"));
        return new AttendancePunches(s, id -> id.equals("lobby-in") ? Optional.of(LOBBY) : Optional.empty());
    }

    private static EventBodies.Parsed parsed(CanonicalEvent e) {
        String json = new String(CloudEventCodec.serialize(e), StandardCharsets.UTF_8);
        var ce = CloudEventCodec.deserialize(json.getBytes(StandardCharsets.UTF_8));
        return new EventBodies.Parsed(ce, CloudEventCodec.data(ce), json);
    }

    private static AttendancePunch punch(AttendancePunches.Decision d) {
        assertThat(d).isInstanceOf(AttendancePunches.Punch.class);
        return ((AttendancePunches.Punch) d).punch();
    }

    @Test
    void aGrantedEmployeeAccessIsAPunchInTheDevicesZoneAndDirection() {
        AttendancePunch p = punch(punches(new EmployeeMapping(EmployeeMapping.Field.JOB_NUMBER, null),
                AttendanceSettings.Unmapped.SKIP).decide(parsed(TargetEvents.granted("e1", "lobby-in", "23385",
                Instant.parse("2024-01-15T07:30:00Z")))));
        assertThat(p.employee()).isEqualTo("23385");
        assertThat(p.direction()).isEqualTo("IN");
        assertThat(p.localTime()).as("CET in January").isEqualTo(LocalDateTime.parse("2024-01-15T08:30:00"));
        assertThat(p.eventId()).isEqualTo("e1");
        assertThat(p.deviceId()).isEqualTo("lobby-in");
    }

    @Test
    void theEventsOwnDirectionWinsAndUnknownDevicesUseTheDefaultZone() {
        AttendancePunches ap = punches(new EmployeeMapping(EmployeeMapping.Field.USER_ID, null),
                AttendanceSettings.Unmapped.SKIP);
        AttendancePunch out = punch(ap.decide(parsed(TargetEvents.access("e2", EventKind.ACCESS_GRANTED, "lobby-in",
                "7", "employee", Instant.parse("2024-01-15T07:30:00Z"), "out"))));
        assertThat(out.direction()).isEqualTo("OUT");
        assertThat(out.employee()).isEqualTo("u7");
        AttendancePunch elsewhere = punch(ap.decide(parsed(TargetEvents.granted("e3", "unknown-gate", "7",
                Instant.parse("2024-01-15T07:30:00Z")))));
        assertThat(elsewhere.direction()).isNull();
        assertThat(elsewhere.localTime()).isEqualTo(LocalDateTime.parse("2024-01-15T16:30:00"));
    }

    @Test
    void deniedAccessVisitorsAndAlarmsAreNoPunches() {
        AttendancePunches ap = punches(new EmployeeMapping(EmployeeMapping.Field.JOB_NUMBER, null),
                AttendanceSettings.Unmapped.SKIP);
        Instant t = Instant.parse("2024-01-15T07:30:00Z");
        assertThat(ap.decide(parsed(TargetEvents.access("d", EventKind.ACCESS_DENIED, "lobby-in", "1", "employee", t,
                null)))).isInstanceOf(AttendancePunches.NotAPunch.class);
        assertThat(ap.decide(parsed(TargetEvents.access("v", EventKind.ACCESS_GRANTED, "lobby-in", "1", "visitor", t,
                null)))).isInstanceOf(AttendancePunches.NotAPunch.class);
        assertThat(ap.decide(parsed(TargetEvents.alarm("a", "lobby-in", t)))).isInstanceOf(AttendancePunches.NotAPunch.class);
    }

    @Test
    void aLookupTableTranslatesCodesAndUnlistedPeopleAreUnmapped() throws Exception {
        Path file = Files.writeString(dir.resolve("map.csv"), "value,employee\n# staff\nC23385, HR-EMP-00042\n");
        EmployeeMapping mapping = new EmployeeMapping(EmployeeMapping.Field.CARD_NUMBER, EmployeeMapping.readTable(file));
        AttendancePunches ap = punches(mapping, AttendanceSettings.Unmapped.SKIP);
        Instant t = Instant.parse("2024-01-15T07:30:00Z");
        assertThat(punch(ap.decide(parsed(TargetEvents.granted("m1", "lobby-in", "23385", t)))).employee())
                .isEqualTo("HR-EMP-00042");
        assertThat(ap.decide(parsed(TargetEvents.granted("m2", "lobby-in", "99", t))))
                .isInstanceOf(AttendancePunches.Unmapped.class);
    }

    @Test
    void lookupTableMistakesNameTheFileAndLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "a,1\nno-comma\n");
        assertThatThrownBy(() -> EmployeeMapping.readTable(bad)).hasMessage(bad + ":2: expected <value>,<employee code>");
        Path twice = Files.writeString(dir.resolve("twice.csv"), "a,1\na,2\n");
        assertThatThrownBy(() -> EmployeeMapping.readTable(twice)).hasMessage(twice + ":2: value listed twice");
        assertThatThrownBy(() -> EmployeeMapping.Field.of("name")).hasMessageContaining("jobNumber, userId or cardNumber");
    }

    @Test
    void settingsReadTheAttendanceKeys() {
        Settings s = new Settings(k -> Optional.ofNullable(Map.of(
                "bridge.attendance.event-kinds", "access.granted, door.released",
                "bridge.attendance.employee-field", "cardNumber",
                "bridge.attendance.unmapped", "dead-letter",
                "bridge.attendance.time-zone", "Europe/Paris").get(k)));
        AttendanceSettings a = AttendanceSettings.from(s);
        assertThat(a.eventKinds()).containsExactlyInAnyOrder("access.granted", "door.released");
        assertThat(a.personTypes()).containsExactly("employee");
        assertThat(a.employees().field()).isEqualTo(EmployeeMapping.Field.CARD_NUMBER);
        assertThat(a.unmapped()).isEqualTo(AttendanceSettings.Unmapped.DEAD_LETTER);
        assertThat(a.defaultZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }
}
