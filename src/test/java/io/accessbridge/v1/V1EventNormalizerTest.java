package io.accessbridge.v1;

import static io.accessbridge.testing.SchemaAssertions.assertConforms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.canonical.AccessEvent;
import io.accessbridge.canonical.CanonicalEvent;
import io.accessbridge.canonical.CloudEventCodec;
import io.accessbridge.canonical.EventKind;
import io.accessbridge.images.ImageStore;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.RawInput;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.privacy.PrivacyPolicy;
import io.accessbridge.testing.Fixtures;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The v1 normaliser, driven by the example payloads of specs 000-003, verbatim. */
class V1EventNormalizerTest {

    private static final SourceContext PUSH = SourceContext.of("http-push", "192.0.2.10");
    private final V1EventNormalizer normalizer = new V1EventNormalizer(PrivacyPolicy.DEFAULT);

    private CanonicalEvent normalize(String fixture) {
        NormalizedEvent n = normalizer.normalize(Fixtures.json(fixture), PUSH);
        assertConforms(n.event().data());
        return n.event();
    }

    @Test
    void spec000RecordIsAGrantedEmployeeWithTemperatureAndNameBasedId() {
        CanonicalEvent e = normalize("v1/000-recognition.json");
        AccessEvent d = e.data();
        assertThat(e.kind()).isEqualTo(EventKind.ACCESS_GRANTED);
        assertThat(d.occurredAt()).isEqualTo("2022-08-16T04:57:46Z");
        assertThat(d.device().id()).isEqualTo("PS71HD01MC22C00014");
        assertThat(d.device().serialNumber()).isEqualTo("PS71HD01MC22C00014");
        assertThat(d.decision().granted()).isTrue();
        assertThat(d.decision().reason()).isEqualTo("verified");
        assertThat(d.person().type()).isEqualTo("employee");
        assertThat(d.person().userId()).isEqualTo("1");
        assertThat(d.person().name()).isEqualTo("Q");
        assertThat(d.verification().recognitionScore()).isEqualTo(0.9837480783462524);
        assertThat(d.verification().mask()).isEqualTo("no-mask");
        assertThat(d.temperature().celsius()).isEqualTo(36.53308868408203);
        assertThat(d.credential().method()).isEqualTo("face");
        assertThat(d.vendor()).containsEntry("recognitionType", 1).containsEntry("mode", 0).containsEntry("pass", true);
        assertThat(d.image()).isNull();
        assertThat(e.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(e.source()).hasToString("urn:accessbridge:device:PS71HD01MC22C00014");
        assertThat(e.subject()).isEqualTo("PS71HD01MC22C00014");
    }

    @Test
    void recordWithoutUuidGetsTheSameIdWhenResentAndAnotherForAnotherRecord() {
        JsonNode original = Fixtures.json("v1/000-recognition.json");
        String first = normalizer.normalize(original, PUSH).event().id();
        String resent = normalizer.normalize(original.deepCopy(), SourceContext.of("http-push", "192.0.2.99")).event().id();
        ObjectNode later = original.deepCopy();
        ((ObjectNode) later.get("data")).put("timestamp", 1660625867);
        assertThat(resent).isEqualTo(first);
        assertThat(normalizer.normalize(later, PUSH).event().id()).isNotEqualTo(first);
    }

    @Test
    void spec001RecordMapsRecognizeStatusAndLivenessScore() {
        CanonicalEvent e = normalize("v1/001-recognition.json");
        assertThat(e.kind()).isEqualTo(EventKind.ACCESS_GRANTED);
        assertThat(e.data().verification().livenessScore()).isEqualTo(0.9073520302772522);
        assertThat(e.data().vendor()).containsEntry("recognizeStatus", 2).doesNotContainKey("recognitionType");
        assertThat(e.data().person().type()).isEqualTo("employee");
        assertThat(e.data().temperature()).isNull();
    }

    @Test
    void spec002RecordUsesItsUuidAndMapsEntryModeGroupsAndCard() {
        CanonicalEvent e = normalize("v1/002-recognition.json");
        AccessEvent d = e.data();
        assertThat(e.id()).isEqualTo("4d3987c1-a3b3-470b-9fb7-e114772c069c");
        assertThat(d.occurredAt()).isEqualTo("2023-05-29T07:01:55Z");
        assertThat(d.credential().method()).isEqualTo("face");
        assertThat(d.credential().verificationMode()).isEqualTo("face|card|qr|pin");
        assertThat(d.person().userId()).isEqualTo("5");
        assertThat(d.person().jobNumber()).isEqualTo("23385");
        assertThat(d.person().cardNumber()).isEqualTo("12345");
        assertThat(d.person().groups()).containsExactly(new AccessEvent.Group("3", "测试3"), new AccessEvent.Group("4", "测试4"));
        assertThat(d.person().idNumberHash()).isNull();
        assertThat(d.temperature()).as("bodyTemperature 0.0 means not measured").isNull();
        assertThat(d.verification().mask()).isEqualTo("not-checked");
        assertThat(d.vendor()).containsEntry("entryMode", 1).containsEntry("abnormalType", 0).containsEntry("mode", 3);
    }

    @Test
    void spec003WebSocketRecordDropsTheEncryptedIdNumberByDefault() {
        CanonicalEvent e = normalizer.normalize(Fixtures.json("v1/003-recognition.json"),
                SourceContext.of("websocket", null)).event();
        assertConforms(e.data());
        assertThat(e.id()).isEqualTo("f63cad1a-e12c-4ea6-8098-01e8240bfa5b");
        assertThat(e.data().channel()).isEqualTo("websocket");
        assertThat(e.data().person().idNumberHash()).isNull();
        assertThat(json(e)).doesNotContain("gO/i1UcxN3k=");
    }

    @Test
    void idNumberIsHashedWithTheConfiguredKeyWhenHashingIsOn() {
        PrivacyPolicy hashing = new PrivacyPolicy(false, PrivacyPolicy.IdNumberMode.HASH, "site-secret", true);
        CanonicalEvent e = new V1EventNormalizer(hashing).normalize(Fixtures.json("v1/003-recognition.json"), PUSH).event();
        CanonicalEvent other = new V1EventNormalizer(new PrivacyPolicy(false, PrivacyPolicy.IdNumberMode.HASH, "other", true))
                .normalize(Fixtures.json("v1/003-recognition.json"), PUSH).event();
        assertConforms(e.data());
        assertThat(e.data().person().idNumberHash()).matches("[0-9a-f]{64}")
                .isNotEqualTo(other.data().person().idNumberHash());
        assertThat(json(e)).doesNotContain("gO/i1UcxN3k=");
    }

    @Test
    void pinNeverLeavesTheBridge() {
        ObjectNode record = (ObjectNode) Fixtures.json("v1/002-recognition.json");
        ((ObjectNode) record.get("data").get("user")).put("pin", "864209");
        CanonicalEvent e = normalizer.normalize(record, PUSH).event();
        assertThat(json(e)).doesNotContain("864209").doesNotContain("\"pin\"");
    }

    @Test
    void namesAreLeftOutWhenConfigured() {
        PrivacyPolicy noNames = new PrivacyPolicy(false, PrivacyPolicy.IdNumberMode.DROP, null, false);
        CanonicalEvent e = new V1EventNormalizer(noNames).normalize(Fixtures.json("v1/002-recognition.json"), PUSH).event();
        assertThat(e.data().person().name()).isNull();
        assertThat(json(e)).doesNotContain("王五");
    }

    @Test
    void imagesAreNotForwardedByDefaultAndAreClaimCheckedWhenEnabled() {
        assertThat(normalizer.normalize(Fixtures.json("v1/000-recognition.json"), PUSH).image()).isNull();
        PrivacyPolicy images = new PrivacyPolicy(true, PrivacyPolicy.IdNumberMode.DROP, null, true);
        ObjectNode withJpeg = (ObjectNode) Fixtures.json("v1/000-recognition.json");
        String jpeg = java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
        ((ObjectNode) withJpeg.get("data")).put("rgb_image", jpeg);
        NormalizedEvent n = new V1EventNormalizer(images).normalize(withJpeg, PUSH);
        assertConforms(n.event().data());
        assertThat(n.image()).hasSize(6);
        assertThat(n.event().data().image().ref()).isEqualTo(ImageStore.refFor(n.event().id()));
        assertThat(json(n.event())).doesNotContain(jpeg);
        NormalizedEvent placeholder = new V1EventNormalizer(images).normalize(Fixtures.json("v1/000-recognition.json"), PUSH);
        assertThat(placeholder.image()).as("spec placeholder 'xxxxxxxxxxxxxx=' is not base64: event kept, image dropped").isNull();
        NormalizedEvent blank = new V1EventNormalizer(images).normalize(Fixtures.json("v1/002-recognition.json"), PUSH);
        assertThat(blank.image()).as("rgb_image \" \" is no image").isNull();
    }

    @Test
    void spec002AlarmWithTrailingCommaIsARaisedTamperAlarmOfTheDeviceInThePath() {
        SourceContext fromPath = PUSH.withDevice("gate-3", "hq", "Main gate", "IN");
        CanonicalEvent e = normalizer.normalize(Fixtures.json("v1/002-alarm.json"), fromPath).event();
        assertConforms(e.data());
        assertThat(e.kind()).isEqualTo(EventKind.ALARM_RAISED);
        assertThat(e.id()).isEqualTo("SPX-1684381418208-004-3Adb4v:1");
        assertThat(e.data().occurredAt()).isEqualTo("2023-05-18T03:43:53.398Z");
        assertThat(e.data().alarm()).isEqualTo(new AccessEvent.Alarm(10001, "tamper", "raised",
                "SPX-1684381418208-004-3Adb4v", null));
        assertThat(e.data().door().onvifTopic()).isEqualTo("tns1:Door/State/DoorTamper");
        assertThat(e.data().device().id()).isEqualTo("gate-3");
        assertThat(e.data().device().site()).isEqualTo("hq");
        assertThat(e.subject()).isEqualTo("Main gate");
        assertThat(e.data().direction()).as("alarms carry no attendance direction").isNull();
    }

    @Test
    void alarmRaiseAndClearAreTwoEvents() {
        ObjectNode cleared = (ObjectNode) Fixtures.json("v1/002-alarm.json");
        ((ObjectNode) cleared.get("data")).put("status", 3);
        CanonicalEvent raised = normalizer.normalize(Fixtures.json("v1/002-alarm.json"), PUSH).event();
        CanonicalEvent clear = normalizer.normalize(cleared, PUSH).event();
        assertThat(clear.kind()).isEqualTo(EventKind.ALARM_CLEARED);
        assertThat(clear.id()).isNotEqualTo(raised.id());
    }

    @Test
    void alarmWithoutDeviceIdentityFallsBackToTheSenderAddressAndFailsWithoutOne() {
        assertThat(normalizer.normalize(Fixtures.json("v1/002-alarm.json"), PUSH).event().deviceId())
                .isEqualTo("addr-192.0.2.10");
        assertThatThrownBy(() -> normalizer.normalize(Fixtures.json("v1/002-alarm.json"), SourceContext.of("websocket", null)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("cannot tell the sending device");
    }

    @Test
    void millisecondTimestampsAreToldApartFromSeconds() {
        ObjectNode ms = (ObjectNode) Fixtures.json("v1/000-recognition.json");
        ((ObjectNode) ms.get("data")).put("timestamp", 1660625866000L);
        assertThat(normalizer.normalize(ms, PUSH).event().data().occurredAt()).isEqualTo("2022-08-16T04:57:46Z");
    }

    @Test
    void aDeviceClockYearsOffIsKeptAsTheDeviceSaidItAndTheIdStaysStable() {
        // a clock reset to 1970 and one decades ahead (past 2038: more than 32 bits of seconds)
        for (long seconds : new long[] {86_400L, 3_786_912_000L}) {
            ObjectNode record = (ObjectNode) Fixtures.json("v1/000-recognition.json");
            ((ObjectNode) record.get("data")).put("timestamp", seconds);
            CanonicalEvent e = normalizer.normalize(record, PUSH).event();
            assertConforms(e.data());
            assertThat(e.time()).isEqualTo(java.time.Instant.ofEpochSecond(seconds));
            assertThat(e.data().occurredAt()).isEqualTo(java.time.Instant.ofEpochSecond(seconds).toString());
            assertThat(normalizer.normalize(record.deepCopy(), PUSH).event().id()).as("re-sent").isEqualTo(e.id());
        }
        ObjectNode record = (ObjectNode) Fixtures.json("v1/000-recognition.json");
        ((ObjectNode) record.get("data")).put("timestamp", 86_400L);
        assertThat(normalizer.normalize(record, PUSH).event().data().occurredAt()).isEqualTo("1970-01-02T00:00:00Z");
    }

    @Test
    void alarmEventTimeAndVisitorTimesAreMillisecondsAsDocumentedEvenFromAClockResetTo1970() {
        ObjectNode alarm = (ObjectNode) Fixtures.json("v1/002-alarm.json");
        ((ObjectNode) alarm.get("data")).put("event_time", 172_800_123L);
        CanonicalEvent e = normalizer.normalize(alarm, PUSH).event();
        assertConforms(e.data());
        assertThat(e.data().occurredAt()).as("13 digits or not, event_time is in ms (spec 002)")
                .isEqualTo("1970-01-03T00:00:00.123Z");
        assertThat(e.id()).isEqualTo("SPX-1684381418208-004-3Adb4v:1");

        ObjectNode future = (ObjectNode) Fixtures.json("v1/002-alarm.json");
        ((ObjectNode) future.get("data")).put("event_time", 3_786_912_000_000L);
        assertThat(normalizer.normalize(future, PUSH).event().data().occurredAt()).isEqualTo("2090-01-01T00:00:00Z");

        ObjectNode visitor = (ObjectNode) Fixtures.json("v1/002-recognition.json");
        ObjectNode user = (ObjectNode) visitor.get("data").get("user");
        user.put("guest_time_start", 90_000_000L).put("guest_time_end", 3_786_912_000_000L);
        AccessEvent.Person p = normalizer.normalize(visitor, PUSH).event().data().person();
        assertThat(p.visitorValidFrom()).isEqualTo("1970-01-02T01:00:00Z");
        assertThat(p.visitorValidUntil()).isEqualTo("2090-01-01T00:00:00Z");

        ObjectNode beyond = (ObjectNode) Fixtures.json("v1/002-alarm.json");
        ((ObjectNode) beyond.get("data")).put("event_time", 253_402_300_800_000L);
        assertThatThrownBy(() -> normalizer.normalize(beyond, PUSH)).isInstanceOf(InvalidEventException.class)
                .hasMessage("field 'event_time' is out of range");
    }

    @Test
    void deniedStrangerGetsReasonAndOnvifNotFoundTopic() {
        ObjectNode stranger = (ObjectNode) Fixtures.json("v1/000-recognition.json");
        ObjectNode data = (ObjectNode) stranger.get("data");
        data.put("recognitionType", 3).put("pass", false).remove("user");
        CanonicalEvent e = normalizer.normalize(stranger, PUSH).event();
        assertConforms(e.data());
        assertThat(e.kind()).isEqualTo(EventKind.ACCESS_DENIED);
        assertThat(e.data().decision().reason()).isEqualTo("stranger");
        assertThat(e.data().person().type()).isEqualTo("stranger");
        assertThat(e.data().door().onvifTopic()).isEqualTo("tns1:AccessControl/Denied/CredentialNotFound");
    }

    @Test
    void abnormalTypeBecomesTheDenialReason() {
        ObjectNode wrongPin = (ObjectNode) Fixtures.json("v1/002-recognition.json");
        ((ObjectNode) wrongPin.get("data")).put("abnormal_type", 70001).put("pass", false).put("entry_mode", 8);
        CanonicalEvent e = normalizer.normalize(wrongPin, PUSH).event();
        assertThat(e.data().decision()).isEqualTo(new AccessEvent.Decision(false, "wrong-pin"));
        assertThat(e.data().credential().method()).isEqualTo("face+pin");
    }

    @Test
    void identifiersLongerThan128CharactersAreRejectedWithoutTheirValue() {
        String longest = "S".repeat(128);
        ObjectNode ok = (ObjectNode) Fixtures.json("v1/003-recognition.json");
        ((ObjectNode) ok.get("data")).put("deviceSN", longest);
        assertThat(normalizer.normalize(ok, PUSH).event().deviceId()).isEqualTo(longest);

        for (String[] field : new String[][] {{"v1/003-recognition.json", "deviceSN"}, {"v1/003-recognition.json", "uuid"},
            {"v1/002-alarm.json", "trace_id"}}) {
            ObjectNode record = (ObjectNode) Fixtures.json(field[0]);
            ((ObjectNode) record.get("data")).put(field[1], "X".repeat(129));
            assertThatThrownBy(() -> normalizer.normalize(record, PUSH)).as(field[1])
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessage("field '" + field[1] + "' is longer than 128 characters");
        }
    }

    @Test
    void unknownEventTypeIsRejectedWithTheTypeInTheMessage() {
        assertThatThrownBy(() -> normalizer.normalize(RawInput.parseJson("{\"type\":7,\"data\":{}}".getBytes()), PUSH))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("unknown event type 7");
    }

    @Test
    void wrongTypesAndMissingFieldsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> normalizer.normalize(RawInput.parseJson(
                "{\"type\":0,\"data\":{\"deviceSN\":\"X\",\"timestamp\":\"yesterday\"}}".getBytes()), PUSH))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("'timestamp'");
        assertThatThrownBy(() -> normalizer.normalize(RawInput.parseJson(
                "{\"type\":0,\"data\":{\"deviceSN\":\"X\"}}".getBytes()), PUSH))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("'timestamp' is required");
        assertThatThrownBy(() -> normalizer.normalize(RawInput.parseJson("{\"type\":0,\"data\":[]}".getBytes()), PUSH))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("'data'");
        assertThatThrownBy(() -> normalizer.normalize(RawInput.parseJson("[1,2]".getBytes()), PUSH))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> RawInput.parseJson("{\"type\":0,".getBytes()))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("malformed JSON");
    }

    @Test
    void cloudEventCarriesTheCanonicalAttributes() {
        CanonicalEvent e = normalize("v1/002-recognition.json");
        CloudEvent ce = CloudEventCodec.deserialize(CloudEventCodec.serialize(e));
        assertThat(ce.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(ce.getType()).isEqualTo("io.accessbridge.access.granted");
        assertThat(ce.getId()).isEqualTo("4d3987c1-a3b3-470b-9fb7-e114772c069c");
        assertThat(ce.getSource()).hasToString("urn:accessbridge:device:PSC700C0MC22F02542");
        assertThat(ce.getDataSchema()).hasToString("urn:accessbridge:schema:access-event:1.0");
        assertThat(ce.getTime()).hasToString("2023-05-29T07:01:55Z");
        assertThat(CloudEventCodec.data(ce)).isEqualTo(e.data());
    }

    private static String json(CanonicalEvent e) {
        return new String(CloudEventCodec.serialize(e), StandardCharsets.UTF_8);
    }
}
