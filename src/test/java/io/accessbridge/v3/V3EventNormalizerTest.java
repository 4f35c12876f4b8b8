package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.canonical.AccessEvent;
import io.accessbridge.canonical.CanonicalEvent;
import io.accessbridge.canonical.CloudEventCodec;
import io.accessbridge.canonical.DeviceUris;
import io.accessbridge.canonical.EventKind;
import io.accessbridge.canonical.OnvifTopics;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.SourceContext;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class V3EventNormalizerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SourceContext FETCH = SourceContext.of("v3-fetch", "192.168.20.21");
    private static final SourceContext KNOWN = SourceContext.of("v3-fetch", "192.168.20.21")
            .withDevice("lobby-1", "hq", "Lobby turnstile", "IN");

    static JsonNode fixture(String name) throws IOException {
        try (InputStream in = V3EventNormalizerTest.class.getResourceAsStream("/fixtures/v3/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return MAPPER.readTree(in);
        }
    }

    static CanonicalEvent normalize(String name, SourceContext ctx) throws IOException {
        NormalizedEvent n = V3EventNormalizer.normalize(fixture(name), ctx);
        assertThat(n.image()).isNull();
        return n.event();
    }

    @Test
    void specExampleFaceEvent() throws IOException {
        CanonicalEvent e = normalize("spec-example-face.json", FETCH);

        assertThat(e.id()).isEqualTo("00bs9iskdi:6:1587985190");
        assertThat(e.kind()).isEqualTo(EventKind.ACCESS_DENIED);
        assertThat(e.time()).isEqualTo(Instant.ofEpochSecond(1587985190));
        assertThat(e.source()).isEqualTo(DeviceUris.source("00bs9iskdi"));
        assertThat(e.subject()).isEqualTo("00bs9iskdi");
        AccessEvent d = e.data();
        assertThat(d.kind()).isEqualTo("access.denied");
        assertThat(d.occurredAt()).isEqualTo("2020-04-27T10:59:50Z");
        assertThat(d.device()).isEqualTo(new AccessEvent.Device("00bs9iskdi", "00bs9iskdi", "v3", null, "192.168.20.20"));
        assertThat(d.decision()).isEqualTo(new AccessEvent.Decision(false, "unknown"));
        assertThat(d.person().userId()).isEqualTo("TUID-876991");
        assertThat(d.person().type()).isEqualTo("employee");
        assertThat(d.credential()).isEqualTo(new AccessEvent.Credential("face", null, "...", "aiwksieow"));
        assertThat(d.verification()).isEqualTo(new AccessEvent.Verification(1.0, null, 0.0, null));
        assertThat(d.temperature()).as("therm 0 means not measured").isNull();
        assertThat(d.door()).isEqualTo(new AccessEvent.Door(null, OnvifTopics.ACCESS_DENIED));
        assertThat(d.channel()).isEqualTo("v3-fetch");
        assertThat(d.vendor()).containsEntry("event", "face").containsEntry("state", 0)
                .containsEntry("seqnum", 6L).containsEntry("timestamp", 1587985190L)
                .doesNotContainKey("uid").doesNotContainValue("TUID-876991");
    }

    @Test
    void specEventObjectVerbatimWithItsCommentsNormalizesLikeTheCleanedCopy() throws IOException {
        JsonNode verbatim = io.accessbridge.testing.Fixtures.json("v3/spec-004-event-object-verbatim.json");
        CanonicalEvent fromVerbatim = V3EventNormalizer.normalize(verbatim, FETCH).event();
        assertThat(fromVerbatim).isEqualTo(normalize("spec-example-face.json", FETCH));
    }

    @Test
    void verifiedFaceWithTemperatureAndInventoryContext() throws IOException {
        CanonicalEvent e = normalize("face-verified.json", KNOWN);

        assertThat(e.id()).isEqualTo("lobby-1:101:1700000000");
        assertThat(e.kind()).isEqualTo(EventKind.ACCESS_GRANTED);
        assertThat(e.subject()).isEqualTo("Lobby turnstile");
        assertThat(e.source()).isEqualTo(DeviceUris.source("lobby-1"));
        AccessEvent d = e.data();
        assertThat(d.device()).isEqualTo(new AccessEvent.Device("lobby-1", "v3-lobby", "v3", "hq", "192.168.20.21"));
        assertThat(d.door()).isEqualTo(new AccessEvent.Door("Lobby turnstile", OnvifTopics.ACCESS_GRANTED));
        assertThat(d.direction()).isEqualTo("IN");
        assertThat(d.decision()).isEqualTo(new AccessEvent.Decision(true, "verified"));
        assertThat(d.person().userId()).isEqualTo("TUID-100200");
        assertThat(d.verification().recognitionScore()).isEqualTo(0.93);
        assertThat(d.verification().imageSharpness()).isEqualTo(72.0);
        assertThat(d.temperature()).isEqualTo(new AccessEvent.Temperature(36.6, null));
    }

    @Test
    void strangerIsDeniedAsStranger() throws IOException {
        CanonicalEvent e = normalize("face-stranger.json", FETCH);

        assertThat(e.kind()).isEqualTo(EventKind.ACCESS_DENIED);
        assertThat(e.data().decision()).isEqualTo(new AccessEvent.Decision(false, "stranger"));
        assertThat(e.data().person().type()).isEqualTo("stranger");
        assertThat(e.data().door().onvifTopic()).isEqualTo(OnvifTopics.ACCESS_DENIED_NOT_FOUND);
        assertThat(e.data().temperature()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "face-permission-expired.json,     face,    permission-expired",
            "card-permission-not-enabled.json, card,    permission-not-enabled",
            "qrcode-no-permission.json,        qr,      no-permission"})
    void deniedReasonsFollowState(String fixture, String method, String reason) throws IOException {
        CanonicalEvent e = normalize(fixture, FETCH);

        assertThat(e.kind()).isEqualTo(EventKind.ACCESS_DENIED);
        assertThat(e.data().decision()).isEqualTo(new AccessEvent.Decision(false, reason));
        assertThat(e.data().credential().method()).isEqualTo(method);
        assertThat(e.data().person().type()).isEqualTo("employee");
    }

    @Test
    void verifiedCardCarriesCardId() throws IOException {
        CanonicalEvent e = normalize("card-verified.json", FETCH);

        assertThat(e.kind()).isEqualTo(EventKind.ACCESS_GRANTED);
        assertThat(e.data().credential()).isEqualTo(new AccessEvent.Credential("card", null, "0xffae0846", null));
        assertThat(e.data().verification()).isNull();
        assertThat(e.data().vendor()).doesNotContainValue("0xffae0846");
    }

    @Test
    void qrcodeCarriesQrCode() throws IOException {
        AccessEvent d = normalize("qrcode-no-permission.json", FETCH).data();

        assertThat(d.credential().qrCode()).isEqualTo("aiwksieow");
        assertThat(d.credential().cardId()).isNull();
    }

    @Test
    void verifiedVisitor() throws IOException {
        CanonicalEvent e = normalize("visitor-verified.json", FETCH);

        assertThat(e.kind()).isEqualTo(EventKind.ACCESS_GRANTED);
        assertThat(e.data().person().type()).isEqualTo("visitor");
        assertThat(e.data().credential().method()).isEqualTo("visitor");
        assertThat(e.data().verification().recognitionScore()).isEqualTo(0.87);
    }

    @ParameterizedTest
    @CsvSource({"door-open.json, open, 1", "door-closed.json, closed, 0"})
    void doorState(String fixture, String state, int raw) throws IOException {
        CanonicalEvent e = normalize(fixture, FETCH);

        assertThat(e.kind()).isEqualTo(EventKind.DOOR_STATE);
        assertThat(e.data().doorState()).isEqualTo(new AccessEvent.DoorState(state));
        assertThat(e.data().door().onvifTopic()).isEqualTo(OnvifTopics.DOOR_PHYSICAL_STATE);
        assertThat(e.data().decision()).isNull();
        assertThat(e.data().vendor()).containsEntry("state", raw);
    }

    @ParameterizedTest
    @CsvSource({"remote.json, remote", "push.json, exit-button"})
    void doorReleased(String fixture, String reason) throws IOException {
        CanonicalEvent e = normalize(fixture, FETCH);

        assertThat(e.kind()).isEqualTo(EventKind.DOOR_RELEASED);
        assertThat(e.data().credential().method()).isEqualTo(reason);
        assertThat(e.data().vendor()).containsEntry("reason", reason);
        assertThat(e.data().door().onvifTopic()).isEqualTo(OnvifTopics.ACCESS_GRANTED_ANONYMOUS);
        assertThat(e.data().person()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "fire-raised.json,  ALARM_RAISED,  fire,   raised,",
            "fire-cleared.json, ALARM_CLEARED, fire,   cleared,",
            "disa-raised.json,  ALARM_RAISED,  tamper, raised,  tns1:Door/State/DoorTamper",
            "disa-cleared.json, ALARM_CLEARED, tamper, cleared, tns1:Door/State/DoorTamper"})
    void alarms(String fixture, EventKind kind, String name, String state, String onvif) throws IOException {
        CanonicalEvent e = normalize(fixture, FETCH);

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.data().alarm()).isEqualTo(new AccessEvent.Alarm(null, name, state, null, null));
        if (onvif == null) {
            assertThat(e.data().door()).isNull();
        } else {
            assertThat(e.data().door().onvifTopic()).isEqualTo(onvif);
        }
    }

    @Test
    void reset() throws IOException {
        CanonicalEvent e = normalize("reset.json", FETCH);

        assertThat(e.kind()).isEqualTo(EventKind.DEVICE_RESET);
        assertThat(e.id()).isEqualTo("v3-lobby:1:1700000800");
        assertThat(e.data().vendor()).containsEntry("event", "reset").doesNotContainKey("state");
    }

    @Test
    void temperatureMeasured() throws IOException {
        CanonicalEvent e = normalize("therm.json", FETCH);

        assertThat(e.kind()).isEqualTo(EventKind.TEMPERATURE_MEASURED);
        assertThat(e.data().temperature().celsius()).isEqualTo(37.9);
        assertThat(e.data().person().userId()).isEqualTo("TUID-100200");
    }

    @Test
    void millisecondTimestamps() throws IOException {
        CanonicalEvent e = normalize("face-millis.json", FETCH);

        assertThat(e.time()).isEqualTo(Instant.ofEpochMilli(1700000030123L));
        assertThat(e.data().occurredAt()).isEqualTo("2023-11-14T22:13:50.123Z");
        assertThat(e.id()).isEqualTo("v3-lobby:104:1700000030123");
    }

    @Test
    void aDeviceClockYearsOffIsKeptAsTheDeviceSaidIt() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode past = (com.fasterxml.jackson.databind.node.ObjectNode)
                fixture("spec-example-face.json");
        past.put("timestamp", 5L);
        CanonicalEvent e = V3EventNormalizer.normalize(past, FETCH).event();
        assertThat(e.data().occurredAt()).isEqualTo("1970-01-01T00:00:05Z");
        assertThat(e.id()).isEqualTo("00bs9iskdi:6:5");

        com.fasterxml.jackson.databind.node.ObjectNode future = past.deepCopy();
        future.put("timestamp", 3_786_912_000_123L);
        CanonicalEvent f = V3EventNormalizer.normalize(future, FETCH).event();
        assertThat(f.data().occurredAt()).isEqualTo("2090-01-01T00:00:00.123Z");
        assertThat(f.id()).isEqualTo("00bs9iskdi:6:3786912000123");
    }

    @Test
    void aMillisecondClockBefore1973ReadsAsSecondsButItsRawValueIsKept() throws IOException {
        // spec 004 documents ms and shows seconds: below 10^11 the unit cannot be told, seconds win
        com.fasterxml.jackson.databind.node.ObjectNode reset = (com.fasterxml.jackson.databind.node.ObjectNode)
                fixture("spec-example-face.json");
        reset.put("timestamp", 172_800_000L);
        CanonicalEvent e = V3EventNormalizer.normalize(reset, FETCH).event();
        assertThat(e.data().occurredAt()).isEqualTo("1975-06-24T00:00:00Z");
        assertThat(e.data().vendor()).containsEntry("timestamp", 172_800_000L);
        assertThat(e.id()).isEqualTo("00bs9iskdi:6:172800000");
    }

    @Test
    void numericStringsAreAccepted() throws IOException {
        CanonicalEvent e = normalize("numeric-strings.json", FETCH);

        assertThat(e.id()).isEqualTo("v3-lobby:200:1700001100");
        assertThat(e.kind()).isEqualTo(EventKind.ACCESS_GRANTED);
        assertThat(e.data().verification().recognitionScore()).isEqualTo(0.95);
    }

    @Test
    void reportBodyNormalizesLikeAFetchedEvent() throws IOException {
        SourceContext report = SourceContext.of("v3-report", "192.168.20.30");
        CanonicalEvent viaReport = normalize("report-body-card.json", report);
        CanonicalEvent viaFetch = normalize("report-body-card.json", FETCH);

        assertThat(viaReport.id()).isEqualTo("v3-gate:42:1700001000").isEqualTo(viaFetch.id());
        assertThat(viaReport.data().channel()).isEqualTo("v3-report");
        assertThat(viaReport.data().device().ipAddress()).isEqualTo("192.168.20.30");
    }

    @Test
    void contextDeviceIdWinsAndAddressFallsBackToRemote() throws IOException {
        SourceContext ctx = SourceContext.of("v3-fetch", "10.1.2.3").withDevice("gate-7", null, null, null);
        CanonicalEvent e = normalize("face-permission-expired.json", ctx);

        assertThat(e.id()).isEqualTo("gate-7:103:1700000020");
        assertThat(e.subject()).isEqualTo("gate-7");
        assertThat(e.data().device().id()).isEqualTo("gate-7");
        assertThat(e.data().device().serialNumber()).isEqualTo("v3-lobby");
        assertThat(e.data().device().ipAddress()).isEqualTo("10.1.2.3");
    }

    @Test
    void everyKindSurvivesTheCloudEventCodec() throws IOException {
        for (String f : new String[] {"spec-example-face.json", "card-verified.json", "door-open.json", "remote.json",
                "disa-raised.json", "reset.json", "therm.json", "face-millis.json"}) {
            CanonicalEvent e = normalize(f, KNOWN);
            CloudEvent ce = CloudEventCodec.deserialize(CloudEventCodec.serialize(e));
            assertThat(ce.getType()).isEqualTo(e.kind().cloudEventType());
            assertThat(ce.getId()).isEqualTo(e.id());
            assertThat(MAPPER.writeValueAsString(CloudEventCodec.data(ce))).as(f)
                    .isEqualTo(MAPPER.writeValueAsString(e.data()));
        }
    }

    @Test
    void gapEventIsDeterministic() {
        SourceContext ctx = KNOWN;
        NormalizedEvent a = V3EventNormalizer.gap(5, 14, 2, Instant.parse("2024-01-01T00:00:00Z"), ctx);
        NormalizedEvent b = V3EventNormalizer.gap(5, 14, 2, Instant.parse("2024-01-02T00:00:00Z"), ctx);
        NormalizedEvent otherEpoch = V3EventNormalizer.gap(5, 14, 3, Instant.parse("2024-01-01T00:00:00Z"), ctx);

        assertThat(a.event().kind()).isEqualTo(EventKind.DEVICE_GAP);
        assertThat(a.event().data().gap()).isEqualTo(new AccessEvent.Gap(5, 14, 10));
        assertThat(a.event().data().device().generation()).isEqualTo("v3");
        assertThat(a.event().data().vendor()).containsEntry("epoch", 2L);
        assertThat(a.event().id()).isEqualTo(b.event().id()).isNotEqualTo(otherEpoch.event().id());
        assertThatThrownBy(() -> V3EventNormalizer.gap(9, 3, 0, Instant.EPOCH, ctx))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> V3EventNormalizer.gap(1, 3, 0, Instant.EPOCH, FETCH))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "seqnum-not-integer.json,      'seqnum'",
            "timestamp-object.json,        'timestamp'",
            "uid-array.json,               'uid'",
            "score-text.json,              'score'",
            "state-boolean.json,           'state'",
            "door-state-out-of-range.json, 'state'",
            "fire-without-state.json,      'state'",
            "unknown-event.json,           'event'",
            "missing-device-id.json,       'device-id'",
            "missing-timestamp.json,       'timestamp'",
            "missing-event.json,           'event'",
            "negative-seqnum.json,         'seqnum'"})
    void invalidEventsNameTheField(String fixture, String field) throws IOException {
        JsonNode event = fixture("invalid/" + fixture);

        assertThatThrownBy(() -> V3EventNormalizer.normalize(event, FETCH))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining(field)
                .satisfies(t -> assertThat(t.getMessage()).doesNotContain("TUID", "high", "six"));
    }

    @Test
    void aDeviceIdLongerThan128CharactersIsRejectedWithoutItsValue() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode)
                fixture("spec-example-face.json");
        event.put("device-id", "D".repeat(128));
        assertThat(V3EventNormalizer.normalize(event, FETCH).event().deviceId()).isEqualTo("D".repeat(128));
        event.put("device-id", "D".repeat(129));
        assertThatThrownBy(() -> V3EventNormalizer.normalize(event, FETCH)).isInstanceOf(InvalidEventException.class)
                .hasMessage("field 'device-id' is longer than 128 characters");
    }

    @Test
    void unknownEventNamesTheVendorCode() throws IOException {
        assertThatThrownBy(() -> V3EventNormalizer.normalize(fixture("invalid/unknown-event.json"), FETCH))
                .hasMessage("field 'event' has an unknown value 'elevator'");
        JsonNode odd = MAPPER.readTree("{\"seqnum\":1,\"timestamp\":1,\"device-id\":\"d\",\"event\":\"John Smith <x>\"}");
        assertThatThrownBy(() -> V3EventNormalizer.normalize(odd, FETCH))
                .hasMessage("field 'event' has an unknown value");
    }

    @Test
    void nonObjectIsRejected() throws IOException {
        assertThatThrownBy(() -> V3EventNormalizer.normalize(fixture("invalid/not-an-object.json"), FETCH))
                .isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> V3EventNormalizer.normalize(MAPPER.readTree(
                "\"x\"".getBytes(StandardCharsets.UTF_8)), FETCH)).isInstanceOf(InvalidEventException.class);
    }
}
