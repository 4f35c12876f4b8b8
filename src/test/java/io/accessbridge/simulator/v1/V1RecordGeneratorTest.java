package io.accessbridge.simulator.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.accessbridge.simulator.v1.V1RecordGenerator.Mix;
import io.accessbridge.simulator.v1.V1RecordGenerator.Variant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class V1RecordGeneratorTest {

    private static final String SN = "PSC700C0MC22F02542";
    private static final long START = 1_685_343_715_000L;

    private static V1RecordGenerator seeded(long seed, Mix mix) {
        return new V1RecordGenerator(V1RecordGenerator.Options.defaults().withSeed(seed).withMix(mix)
                .withStartEpochMillis(START));
    }

    private static List<V1Record> batch(V1RecordGenerator g, Variant v, int n) {
        List<V1Record> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(g.next(SN, v));
        }
        return out;
    }

    @Test
    void sameSeedSameRecordsDifferentSeedDifferentRecords() {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        List<String> c = new ArrayList<>();
        V1RecordGenerator ga = seeded(1, Mix.defaults());
        V1RecordGenerator gb = seeded(1, Mix.defaults());
        V1RecordGenerator gc = seeded(2, Mix.defaults());
        for (int i = 0; i < 300; i++) {
            a.add(ga.next(SN).json());
            b.add(gb.next(SN).json());
            c.add(gc.next(SN).json());
        }
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void aClockOffsetShiftsEveryTimeTheDeviceWritesAndNothingElse() {
        java.time.Duration behind = java.time.Duration.ofDays(-365L * 30);
        V1RecordGenerator right = seeded(7, Mix.defaults());
        V1RecordGenerator off = new V1RecordGenerator(V1RecordGenerator.Options.defaults().withSeed(7L)
                .withMix(Mix.defaults()).withStartEpochMillis(START).withClockOffset(behind));
        int alarms = 0;
        for (int i = 0; i < 200; i++) {
            JsonNode a = right.next(SN).data();
            JsonNode b = off.next(SN).data();
            if (a.has("timestamp")) {
                assertThat(b.get("timestamp").asLong()).isEqualTo(a.get("timestamp").asLong() + behind.toSeconds());
            } else {
                alarms++;
                assertThat(b.get("event_time").asLong()).isEqualTo(a.get("event_time").asLong() + behind.toMillis());
            }
            assertThat(b.path("pass")).isEqualTo(a.path("pass"));
            assertThat(b.path("uuid")).isEqualTo(a.path("uuid"));
        }
        assertThat(alarms).isPositive();
        V1RecordGenerator wall = new V1RecordGenerator(V1RecordGenerator.Options.defaults().withSeed(7L)
                .withMix(Mix.only(Variant.FW002)).withClockOffset(java.time.Duration.ofDays(365L * 40)));
        long seconds = wall.next(SN).data().get("timestamp").asLong();
        assertThat(seconds - System.currentTimeMillis() / 1000).isBetween(365L * 40 * 86_400 - 60, 365L * 40 * 86_400);
    }

    @Test
    void envelopeIsTypeAndData() throws Exception {
        V1Record r = seeded(3, Mix.defaults()).next(SN, Variant.FW002);
        JsonNode env = V1TestReceiver.MAPPER.readTree(r.json());
        assertThat(env.fieldNames()).toIterable().containsExactly("type", "data");
        assertThat(env.get("type").asInt()).isEqualTo(r.type()).isZero();
        assertThat(env.get("data").toString()).isEqualTo(r.data().toString());
        assertThat(r.toString()).doesNotContain(SN).doesNotContain(r.uuid());
    }

    @Test
    void fw000ShapeHasRecognitionTypeIntUserIdTemperatureAndNoUuid() {
        for (V1Record r : batch(seeded(4, Mix.defaults()), Variant.FW000, 500)) {
            JsonNode d = r.data();
            assertThat(r.type()).isZero();
            assertThat(d.get("deviceSN").asText()).isEqualTo(SN);
            assertThat(d.get("recognitionType").asInt()).isBetween(1, 5);
            assertThat(d.has("uuid")).isFalse();
            assertThat(d.has("recognizeStatus")).isFalse();
            assertThat(d.has("bodyTemperature")).isTrue();
            assertThat(d.get("mode").asInt()).isBetween(0, 6);
            assertSecondsTimestamp(d);
            if (d.has("user")) {
                assertThat(d.at("/user/user_id").isInt()).isTrue();
                assertThat(d.at("/user").has("ic_number")).isFalse();
            }
            assertThat(r.key()).isEqualTo(d.toString());
        }
    }

    @Test
    void fw001ShapeHasRecognizeStatusAndLivenessScore() {
        Set<Integer> statuses = new HashSet<>();
        for (V1Record r : batch(seeded(5, Mix.defaults()), Variant.FW001, 2000)) {
            JsonNode d = r.data();
            statuses.add(d.get("recognizeStatus").asInt());
            assertThat(d.get("recognizeStatus").asInt()).isBetween(0, 6);
            assertThat(d.get("livenessScore").asDouble()).isBetween(0.0, 1.0);
            assertThat(d.has("recognitionType")).isFalse();
            assertThat(d.has("uuid")).isFalse();
            assertThat(d.has("bodyTemperature")).isFalse();
            assertSecondsTimestamp(d);
            if (d.get("recognizeStatus").asInt() == 1) {
                assertThat(d.get("livenessScore").asDouble()).isLessThan(0.5);
                assertThat(d.get("pass").asBoolean()).isFalse();
            }
            if (d.has("user")) {
                assertThat(d.at("/user/user_id").isInt()).isTrue();
            }
        }
        assertThat(statuses).contains(1, 3, 4, 5, 6);
    }

    @Test
    void fw002ShapeIsConsistentAndRealisticallyDistributed() {
        List<V1Record> records = batch(seeded(6, Mix.defaults()), Variant.FW002, 5000);
        Set<String> uuids = new HashSet<>();
        Map<Integer, Integer> byType = new HashMap<>();
        Set<Integer> abnormal = new HashSet<>();
        int granted = 0;
        int jpeg = 0;
        int blank = 0;
        int empty = 0;
        int encryptedIds = 0;
        for (V1Record r : records) {
            JsonNode d = r.data();
            assertThat(d.get("deviceSN").asText()).isEqualTo(SN);
            assertThat(uuids.add(d.get("uuid").asText())).isTrue();
            assertThat(r.key()).isEqualTo(d.get("uuid").asText());
            assertThat(d.get("uuid").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            int type = d.get("recognitionType").asInt();
            int ab = d.get("abnormal_type").asInt();
            boolean pass = d.get("pass").asBoolean();
            byType.merge(type, 1, Integer::sum);
            abnormal.add(ab);
            assertThat(d.get("entry_mode").asInt()).isBetween(1, 12);
            assertThat(d.get("mode").asInt()).isBetween(0, 9);
            assertSecondsTimestamp(d);
            assertThat(pass).isEqualTo(ab == 0 && (type == 1 || type == 2));
            if (ab == 40001) {
                assertThat(d.get("bodyTemperature").asDouble()).isGreaterThan(37.3);
            }
            if (ab == 10002) {
                assertThat(d.get("entry_mode").asInt()).isEqualTo(4);
            }
            if (ab == 70001 || ab == 70002) {
                assertThat(d.get("entry_mode").asInt()).isIn(8, 9, 12);
            }
            if (type == 1 && ab == 0) {
                granted++;
            }
            JsonNode u = d.get("user");
            if (u != null && !u.get("user_id").asText().isEmpty()) {
                assertThat(u.get("user_id").isTextual()).isTrue();
                assertThat(u.get("groups").isArray()).isTrue();
                for (String f : List.of("name", "ic_number", "id_number", "job_number", "pin", "remark")) {
                    assertThat(u.get(f).isTextual()).as(f).isTrue();
                }
                if (type == 2) {
                    long ts = d.get("timestamp").asLong() * 1000;
                    long start = u.get("guest_time_start").asLong();
                    long end = u.get("guest_time_end").asLong();
                    assertThat(start).isGreaterThan(1_000_000_000_000L);
                    if (ab == 20001) {
                        assertThat(end).isLessThan(ts);
                    } else {
                        assertThat(ts).isBetween(start, end);
                    }
                } else {
                    assertThat(u.get("guest_time_start").asLong()).isZero();
                }
                if (u.get("id_number").asText().matches("[A-Za-z0-9+/]{11}=")) {
                    encryptedIds++;
                }
            }
            String img = d.get("rgb_image").asText();
            if (img.equals(" ")) {
                blank++;
            } else if (img.isEmpty()) {
                empty++;
            } else {
                byte[] b = Base64.getDecoder().decode(img);
                assertThat(b[0]).isEqualTo((byte) 0xFF);
                assertThat(b[1]).isEqualTo((byte) 0xD8);
                assertThat(b[b.length - 1]).isEqualTo((byte) 0xD9);
                jpeg++;
            }
        }
        assertThat(granted).isBetween(3500, 4300);
        assertThat(byType.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        assertThat(abnormal).contains(0, 10001, 10002, 10003, 20001, 20002, 30001, 30002, 30003, 40001, 70001, 70002);
        assertThat(jpeg).isBetween(1200, 1800);
        assertThat(blank).isPositive();
        assertThat(empty).isPositive();
        assertThat(encryptedIds).isPositive();
    }

    @Test
    void alarmsCarryTraceIdsNoSerialAndAreClearedLater() {
        List<V1Record> alarms = batch(seeded(8, Mix.only(Variant.ALARM)), Variant.ALARM, 1000);
        Set<String> raised = new HashSet<>();
        Set<String> keys = new HashSet<>();
        Set<Integer> codes = new HashSet<>();
        int cleared = 0;
        int withDescription = 0;
        int withPhoto = 0;
        for (V1Record r : alarms) {
            JsonNode d = r.data();
            assertThat(r.type()).isEqualTo(1);
            assertThat(d.has("deviceSN")).isFalse();
            assertThat(r.deviceSN()).isNull();
            String trace = d.get("trace_id").asText();
            assertThat(trace).matches("SPX-\\d{13}-\\d{3}-[A-Za-z0-9]{6}");
            assertThat(d.get("event_time").asLong()).isGreaterThan(1_000_000_000_000L);
            int status = d.get("status").asInt();
            assertThat(status).isBetween(1, 3);
            assertThat(keys.add(r.key())).as("unique trace_id:status").isTrue();
            assertThat(r.key()).isEqualTo(trace + ":" + status);
            if (status == 1) {
                assertThat(raised.add(trace)).isTrue();
                assertThat(d.get("code").asInt()).isIn(10001, 10002, 10003, 10004, 20003);
                codes.add(d.get("code").asInt());
            } else {
                assertThat(raised).contains(trace);
                cleared++;
            }
            if (d.has("description")) {
                withDescription++;
            }
            if (d.has("alarm_photo") && d.get("alarm_photo").asText().length() > 1) {
                withPhoto++;
            }
        }
        assertThat(codes).containsExactlyInAnyOrder(10001, 10002, 10003, 10004, 20003);
        assertThat(cleared).isPositive();
        assertThat(withDescription).isPositive().isLessThan(1000);
        assertThat(withPhoto).isPositive().isLessThan(1000);
    }

    @Test
    void mixDecidesTheVariants() {
        V1RecordGenerator only000 = seeded(9, Mix.only(Variant.FW000));
        for (int i = 0; i < 100; i++) {
            assertThat(only000.next(SN).variant()).isEqualTo(Variant.FW000);
        }
        V1RecordGenerator mixed = seeded(10, Mix.parse("fw001:1,alarm:1"));
        Map<Variant, Integer> counts = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            counts.merge(mixed.next(SN).variant(), 1, Integer::sum);
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder(Variant.FW001, Variant.ALARM);
        assertThat(counts.get(Variant.ALARM)).isBetween(400, 600);
        assertThatThrownBy(() -> Mix.parse("fw009:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Mix(0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertSecondsTimestamp(JsonNode d) {
        long ts = d.get("timestamp").asLong();
        assertThat(ts).isGreaterThanOrEqualTo(START / 1000).isLessThan(10_000_000_000L);
    }
}
