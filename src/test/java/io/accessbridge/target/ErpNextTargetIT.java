package io.accessbridge.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.canonical.EventKind;
import io.accessbridge.target.fakes.FakeErpNext;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.FaultTally;
import io.accessbridge.testing.Fixtures;
import io.accessbridge.testing.RunningBridge;
import io.accessbridge.cli.DlqCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The ERPNext target against a fake Frappe HRMS site that answers as the real one does. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ErpNextTargetIT {

    @TempDir
    static Path dir;
    private FakeErpNext erp;
    private RunningBridge bridge;
    private TargetEvents events;

    @BeforeAll
    void start() throws Exception {
        erp = new FakeErpNext("k3y:s3cr3t").employee("1001", "HR-EMP-1001").employee("1002", "HR-EMP-1002");
        Map<String, String> s = TargetTesting.settings(dir);
        s.put("bridge.target.erpnext.enabled", "true");
        s.put("bridge.target.erpnext.url", erp.url());
        s.put("bridge.target.erpnext.api-key", "k3y");
        s.put("bridge.target.erpnext.secret", "s3cr3t");
        bridge = RunningBridge.start(dir.resolve("data"), s);
        events = TargetEvents.publisher(bridge.brokerUrl());
    }

    @AfterAll
    void stop() throws Exception {
        events.close();
        bridge.close();
        erp.close();
    }

    private TargetCounts counts() {
        return bridge.context().getRegistry().lookupByNameAndType("targetStats", TargetStats.class).of("erpnext");
    }

    @Test
    void grantedEmployeeAccessBecomesACheckinInTheSitesLocalTimeWithTheDoorsDirection() throws Exception {
        long skippedBefore = counts().skipped();
        events.publish(TargetEvents.access("erp-deny-1", EventKind.ACCESS_DENIED, "lobby-in", "1001", "employee",
                Instant.parse("2024-05-29T07:00:00Z"), null));
        events.publish(TargetEvents.access("erp-visitor-1", EventKind.ACCESS_GRANTED, "lobby-in", "1001", "visitor",
                Instant.parse("2024-05-29T07:00:30Z"), null));
        events.publish(TargetEvents.granted("erp-1", "lobby-in", "1001", Instant.parse("2024-05-29T07:01:55Z")));
        events.publish(TargetEvents.granted("erp-2", "lobby-out", "1001", Instant.parse("2024-05-29T09:30:00Z")));

        await().atMost(Duration.ofSeconds(20)).until(() -> erp.checkins().stream()
                .filter(c -> c.employee().equals("HR-EMP-1001")).count() >= 2);
        assertThat(erp.checkins()).contains(
                new FakeErpNext.Checkin("HR-EMP-1001", "2024-05-29 09:01:55", "IN", "lobby-in"),
                new FakeErpNext.Checkin("HR-EMP-1001", "2024-05-29 17:30:00", "OUT", "lobby-out"));
        assertThat(counts().skipped() - skippedBefore).as("denied access and visitor are no punches").isEqualTo(2);
    }

    @Test
    void aV1DevicesPushReachesErpNextAsACheckinInTheDevicesTimeZone() throws Exception {
        erp.employee("23385", "HR-EMP-23385");
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(bridge.baseUrl() + "/v1/events/lobby-out"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes("v1/002-recognition.json"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> erp.checkins().stream()
                .anyMatch(c -> c.employee().equals("HR-EMP-23385")));
        assertThat(erp.checkins()).contains(
                new FakeErpNext.Checkin("HR-EMP-23385", "2023-05-29 15:01:55", "OUT", "lobby-out"));
        assertThat(erp.requests().stream().filter(r -> r.text().contains("23385")).map(FakeErpNext.Request::text))
                .as("nothing about the person but the employee code").noneMatch(t -> t.contains("王五") || t.contains("12345"));
    }

    @Test
    void theSitesDuplicateTimestampAnswerCountsAsDelivered() throws Exception {
        erp.employee("1002", "HR-EMP-1002");
        erp.seed(new FakeErpNext.Checkin("HR-EMP-1002", "2024-05-29 10:00:00", "IN", "lobby-in"));
        TargetCounts before = counts();
        events.publish(TargetEvents.granted("erp-dup-1", "lobby-in", "1002", Instant.parse("2024-05-29T08:00:00Z")));

        await().atMost(Duration.ofSeconds(20)).until(() -> counts().delivered() > before.delivered());
        assertThat(erp.requests().stream().filter(r -> r.text().contains("\"1002\"")).count()).isEqualTo(1);
        assertThat(erp.checkins().stream().filter(c -> c.employee().equals("HR-EMP-1002"))).hasSize(1);
        assertThat(counts().deadLettered()).isEqualTo(before.deadLettered());
    }

    @Test
    void punchesMadeWhileTheSiteIsDownAreAllRecordedOnceAndInOrderAfterItRecovers() throws Exception {
        List<String> employees = List.of("2001", "2002", "2003");
        employees.forEach(e -> erp.employee(e, "HR-EMP-" + e));
        TargetCounts before = counts();
        erp.down(true);
        Instant t0 = Instant.parse("2024-06-03T06:00:00Z");
        Map<String, List<String>> expected = new java.util.HashMap<>();
        Map<String, String> punchIds = new java.util.HashMap<>();
        for (int i = 0; i < 12; i++) {
            String employee = employees.get(i % 3);
            boolean in = (i / 3) % 2 == 0;
            Instant at = t0.plusSeconds(60L * i);
            events.publish(TargetEvents.granted("erp-down-" + i, in ? "lobby-in" : "lobby-out", employee, at));
            String siteTime = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                    .withZone(java.time.ZoneId.of(in ? "Europe/Berlin" : "Asia/Shanghai")).format(at);
            expected.computeIfAbsent("HR-EMP-" + employee, k -> new ArrayList<>()).add(siteTime + (in ? " IN" : " OUT"));
            punchIds.put(employee + "|" + siteTime + "|" + (in ? "IN" : "OUT"), "erp-down-" + i);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> counts().failed() - before.failed() >= 4);
        assertThat(counts().retrying()).as("the first event waits for its next attempt").isEqualTo(1);
        await("the circuit breaker stops calling the site").atMost(Duration.ofSeconds(20))
                .until(() -> counts().circuit().equals("OPEN"));
        assertThat(erp.checkins().stream().filter(c -> c.employee().startsWith("HR-EMP-200"))).isEmpty();
        erp.down(false);

        await().atMost(Duration.ofSeconds(30)).until(() -> erp.checkins().stream()
                .filter(c -> c.employee().startsWith("HR-EMP-200")).count() >= 12);
        List<FakeErpNext.Checkin> made = erp.checkins().stream().filter(c -> c.employee().startsWith("HR-EMP-200"))
                .toList();
        assertThat(made).hasSize(12).doesNotHaveDuplicates();
        for (String e : employees) {
            List<String> punches = made.stream().filter(c -> c.employee().equals("HR-EMP-" + e))
                    .map(c -> c.time() + " " + c.logType()).toList();
            assertThat(punches).as("checkins of %s in punch order", e).isEqualTo(expected.get("HR-EMP-" + e));
        }
        assertThat(counts().deadLettered()).isEqualTo(before.deadLettered());
        assertThat(counts().retrying()).isZero();
        assertThat(counts().circuit()).isEqualTo("CLOSED");

        Set<String> ids = new java.util.HashSet<>(punchIds.values());
        try (EventCollector all = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> all.ids().containsAll(ids));
            Thread.sleep(300);
            FaultTally.inBroker("target-down-erpnext", ids.size(), ids,
                    all.receivedIds(m -> ids.contains(EventCollector.idOf(m)))).assertNoneLostNoneDuplicated();
        }
        // at-least-once to a target (a repeated punch is answered "same timestamp", delivered): none missing
        FaultTally.delivered("target-down-erpnext@erpnext", ids.size(), ids, erp.accepted().stream()
                .filter(a -> a.employeeFieldValue().startsWith("200"))
                .map(a -> punchIds.getOrDefault(TargetTesting.key(a), TargetTesting.key(a))).toList())
                .assertNoneLost();
    }

    @Test
    void anEventTheSiteRefusesIsDeadLetteredWithoutHoldingUpOthersAndReplayedOnceFixed() throws Exception {
        TargetCounts before = counts();
        events.publish(TargetEvents.granted("erp-poison-1", "lobby-in", "3001", Instant.parse("2024-06-04T07:00:00Z")));
        events.publish(TargetEvents.granted("erp-after-poison", "lobby-in", "1001", Instant.parse("2024-06-04T07:05:00Z")));

        await().atMost(Duration.ofSeconds(20)).until(() -> erp.checkins()
                .contains(new FakeErpNext.Checkin("HR-EMP-1001", "2024-06-04 09:05:00", "IN", "lobby-in")));
        assertThat(counts().deadLettered() - before.deadLettered()).isEqualTo(1);
        String listed = dlq("list", "--target", "erpnext");
        assertThat(listed).contains("erp-poison-1").contains("unknown-employee").contains("access.granted")
                .contains("1 dead letter(s)");

        erp.employee("3001", "HR-EMP-3001");
        assertThat(dlq("replay", "--target", "erpnext", "--kind", "access.granted")).contains("Replayed 1 dead letter(s)");
        await().atMost(Duration.ofSeconds(20)).until(() -> erp.checkins()
                .contains(new FakeErpNext.Checkin("HR-EMP-3001", "2024-06-04 09:00:00", "IN", "lobby-in")));
        assertThat(dlq("list", "--target", "erpnext")).contains("0 dead letter(s)");
        assertThat(erp.checkins().stream().filter(c -> c.employee().equals("HR-EMP-3001"))).hasSize(1);
    }

    private String dlq(String... args) {
        StringWriter out = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--broker-url", bridge.brokerUrl()));
        int code = new CommandLine(new DlqCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(out))
                .execute(all.toArray(String[]::new));
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }
}
