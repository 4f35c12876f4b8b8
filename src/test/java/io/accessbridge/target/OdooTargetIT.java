package io.accessbridge.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.target.fakes.FakeOdoo;
import io.accessbridge.testing.RunningBridge;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The Odoo target against a fake Odoo that enforces hr.attendance's rules as the real one does. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OdooTargetIT {

    @TempDir
    static Path dir;
    private FakeOdoo odoo;
    private RunningBridge bridge;
    private TargetEvents events;
    private ActiveMQConnectionFactory jms;

    @BeforeAll
    void start() throws Exception {
        odoo = new FakeOdoo("hr", "bridge@example.com", "odoo-key");
        for (String e : List.of("E1", "E2", "E3", "E4", "E5", "E6")) {
            odoo.employee(e, "Employee " + e);
        }
        Map<String, String> s = TargetTesting.settings(dir);
        s.put("bridge.target.odoo.enabled", "true");
        s.put("bridge.target.odoo.url", odoo.url());
        s.put("bridge.target.odoo.db", "hr");
        s.put("bridge.target.odoo.login", "bridge@example.com");
        s.put("bridge.target.odoo.api-key", "odoo-key");
        bridge = RunningBridge.start(dir.resolve("data"), s);
        events = TargetEvents.publisher(bridge.brokerUrl());
        jms = new ActiveMQConnectionFactory(bridge.brokerUrl());
    }

    @AfterAll
    void stop() throws Exception {
        jms.close();
        events.close();
        bridge.close();
        odoo.close();
    }

    private TargetCounts counts() {
        return bridge.context().getRegistry().lookupByNameAndType("targetStats", TargetStats.class).of("odoo");
    }

    private List<DeadLetter> deadLetters() throws Exception {
        TargetSettings odooTarget = TargetSettings.from(new Settings(k -> Optional.empty()), "odoo");
        return new DeadLetters(jms, List.of(odooTarget), Clock.systemUTC()).list(DeadLetterFilter.ALL);
    }

    @Test
    void inThenOutMakeOneClosedAttendanceInUtc() throws Exception {
        events.publish(TargetEvents.granted("odoo-1", "lobby-in", "E1", Instant.parse("2024-06-05T07:00:00Z")));
        events.publish(TargetEvents.granted("odoo-2", "lobby-out", "E1", Instant.parse("2024-06-05T15:30:00Z")));

        int e1 = odoo.employeeId("E1");
        await().atMost(Duration.ofSeconds(20)).until(() -> !odoo.attendances(e1).isEmpty()
                && odoo.attendances(e1).get(0).checkOut() != null);
        assertThat(odoo.attendances(e1)).extracting(FakeOdoo.Attendance::checkIn, FakeOdoo.Attendance::checkOut)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2024-06-05 07:00:00", "2024-06-05 15:30:00"));
    }

    @Test
    void punchesMadeWhileOdooIsDownAreRecordedInOrderPerEmployeeAfterItRecovers() throws Exception {
        TargetCounts before = counts();
        odoo.down(true);
        Instant day = Instant.parse("2024-06-06T00:00:00Z");
        int[] hours = {8, 12, 13, 17};
        for (int i = 0; i < hours.length; i++) {
            String device = i % 2 == 0 ? "lobby-in" : "lobby-out";
            events.publish(TargetEvents.granted("odoo-down-E2-" + i, device, "E2", day.plusSeconds(hours[i] * 3600L)));
            events.publish(TargetEvents.granted("odoo-down-E3-" + i, device, "E3",
                    day.plusSeconds(hours[i] * 3600L + 60)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> counts().failed() - before.failed() >= 3);
        odoo.down(false);

        int e2 = odoo.employeeId("E2");
        int e3 = odoo.employeeId("E3");
        await().atMost(Duration.ofSeconds(30)).until(() -> odoo.attendances(e2).size() == 2
                && odoo.attendances(e3).size() == 2 && odoo.attendances(e3).get(1).checkOut() != null);
        assertThat(odoo.attendances(e2)).extracting(FakeOdoo.Attendance::checkIn, FakeOdoo.Attendance::checkOut)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("2024-06-06 08:00:00", "2024-06-06 12:00:00"),
                        org.assertj.core.groups.Tuple.tuple("2024-06-06 13:00:00", "2024-06-06 17:00:00"));
        assertThat(odoo.attendances(e3)).extracting(FakeOdoo.Attendance::checkIn, FakeOdoo.Attendance::checkOut)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("2024-06-06 08:01:00", "2024-06-06 12:01:00"),
                        org.assertj.core.groups.Tuple.tuple("2024-06-06 13:01:00", "2024-06-06 17:01:00"));
        assertThat(counts().deadLettered()).isEqualTo(before.deadLettered());
    }

    @Test
    void punchesOdoosAttendanceRulesRefuseAreDeadLetteredWithOdoosReason() throws Exception {
        TargetCounts before = counts();
        events.publish(TargetEvents.granted("odoo-e4-in", "lobby-in", "E4", Instant.parse("2024-06-07T08:00:00Z")));
        events.publish(TargetEvents.granted("odoo-e4-in-again", "lobby-in", "E4", Instant.parse("2024-06-07T09:00:00Z")));
        events.publish(TargetEvents.granted("odoo-e5-out", "lobby-out", "E5", Instant.parse("2024-06-07T10:00:00Z")));
        events.publish(TargetEvents.granted("odoo-e4-out", "lobby-out", "E4", Instant.parse("2024-06-07T17:00:00Z")));

        int e4 = odoo.employeeId("E4");
        await().atMost(Duration.ofSeconds(20)).until(() -> !odoo.attendances(e4).isEmpty()
                && odoo.attendances(e4).get(0).checkOut() != null);
        assertThat(odoo.attendances(e4)).extracting(FakeOdoo.Attendance::checkIn, FakeOdoo.Attendance::checkOut)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2024-06-07 08:00:00", "2024-06-07 17:00:00"));
        assertThat(odoo.attendances(odoo.employeeId("E5"))).isEmpty();
        assertThat(counts().deadLettered() - before.deadLettered()).isEqualTo(2);
        List<DeadLetter> dead = deadLetters();
        assertThat(dead).filteredOn(d -> d.eventId().equals("odoo-e4-in-again")).singleElement()
                .satisfies(d -> assertThat(d.reason()).startsWith("odoo-conflict: Cannot create new attendance record")
                        .contains("hasn't checked out since"));
        assertThat(dead).filteredOn(d -> d.eventId().equals("odoo-e5-out")).singleElement()
                .satisfies(d -> {
                    assertThat(d.reason()).isEqualTo("odoo-conflict: check-out without an open check-in");
                    assertThat(d.attempts()).isEqualTo(1);
                    assertThat(d.origin()).isEqualTo("access.events::access.events.odoo");
                });
    }

    @Test
    void aPunchOdooAlreadyHasIsNotRecordedTwice() throws Exception {
        int e6 = odoo.employeeId("E6");
        odoo.seed(e6, "2024-06-08 07:00:00", null);
        TargetCounts before = counts();
        events.publish(TargetEvents.granted("odoo-e6-again", "lobby-in", "E6", Instant.parse("2024-06-08T07:00:00Z")));

        await().atMost(Duration.ofSeconds(20)).until(() -> counts().delivered() > before.delivered());
        assertThat(odoo.attendances(e6)).hasSize(1);
        assertThat(counts().deadLettered()).isEqualTo(before.deadLettered());
    }
}
