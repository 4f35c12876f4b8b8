package io.accessbridge.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.JsonFields;
import io.accessbridge.ingest.RawInput;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.privacy.PrivacyPolicy;
import io.accessbridge.privacy.PrivacyPolicy.IdNumberMode;
import io.accessbridge.testing.Fixtures;
import io.accessbridge.testing.fuzz.BadJson;
import io.accessbridge.testing.fuzz.BadJson.ByteEdit;
import io.accessbridge.testing.fuzz.BadJson.Mutation;
import io.accessbridge.testing.fuzz.NormalizerOutcomes;
import io.accessbridge.testing.fuzz.NormalizerOutcomes.Outcome;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Bad-input suite, v1 normaliser (HTTP push and WebSocket frames share it): whatever a device
 * sends, the result is a schema-conforming canonical event without pin or raw id_number, or an
 * {@link InvalidEventException} naming the field without repeating the input. Never another
 * exception.
 */
class V1EventNormalizerFuzzTest {

    private static final List<String> FIXTURES = List.of("v1/000-recognition.json", "v1/001-recognition.json",
            "v1/002-recognition.json", "v1/002-alarm.json", "v1/003-recognition.json");
    /** The v1 envelope's {@code type} is a code an error message may repeat ("unknown event type 9"). */
    private static final Set<String> ECHOED = Set.of("type");
    private static final PrivacyPolicy HASH_AND_IMAGES = new PrivacyPolicy(true, IdNumberMode.HASH, "k3y", false);

    @Provide
    Arbitrary<SourceContext> contexts() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(SourceContext.of(V1PushReceiver.CHANNEL, "192.0.2.10"))),
                Tuple.of(1, Arbitraries.just(SourceContext.of("websocket", null))),
                Tuple.of(1, Arbitraries.just(SourceContext.of(V1PushReceiver.CHANNEL, "2001:db8::1")
                        .withDevice("lobby-in", "hq", "Lobby", "IN"))),
                Tuple.of(1, Arbitraries.just(SourceContext.of(V1PushReceiver.CHANNEL, null)
                        .withDevice("path-id", null, null, null))));
    }

    @Provide
    Arbitrary<PrivacyPolicy> policies() {
        return Arbitraries.of(PrivacyPolicy.DEFAULT, HASH_AND_IMAGES);
    }

    @Provide
    Arbitrary<String> fixtures() {
        return Arbitraries.of(FIXTURES);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return BadJson.mutations(BadJson.V1_FIELDS);
    }

    @Provide
    Arbitrary<JsonNode> arbitraryDocuments() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, BadJson.anyJson(3, BadJson.V1_FIELDS)),
                Tuple.of(5, BadJson.v1ShapedEnvelope()));
    }

    @Provide
    Arbitrary<List<ByteEdit>> byteEdits() {
        return BadJson.byteEdits();
    }

    /** Bytes through the receiver's own parser, then the normaliser, as a push is handled. */
    private static Outcome normalizeBytes(byte[] raw, PrivacyPolicy policy, SourceContext ctx) {
        JsonNode json;
        try {
            json = RawInput.parseJson(raw);
        } catch (InvalidEventException e) {
            NormalizerOutcomes.checkRejection(null, e, ECHOED);
            return new Outcome(null, e);
        } catch (Throwable t) {
            throw new AssertionError("parsing threw " + t.getClass().getName(), t);
        }
        V1EventNormalizer normalizer = new V1EventNormalizer(policy);
        return NormalizerOutcomes.check(json, () -> normalizer.normalize(json, ctx), ECHOED);
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    void arbitraryJsonIsAnEventOrANamedRejection(@ForAll("arbitraryDocuments") JsonNode doc,
                                                 @ForAll("policies") PrivacyPolicy policy,
                                                 @ForAll("contexts") SourceContext ctx) {
        NormalizerOutcomes.cover(normalizeBytes(BadJson.bytes(doc), policy, ctx), 4, 30);
    }

    @Property(tries = 2500)
    void mutatedSpecRecordsAreEventsOrNamedRejections(@ForAll("fixtures") String fixture,
                                                      @ForAll("mutations") List<Mutation> mutations,
                                                      @ForAll("policies") PrivacyPolicy policy,
                                                      @ForAll("contexts") SourceContext ctx) {
        JsonNode doc = BadJson.mutate(Fixtures.json(fixture), mutations);
        NormalizerOutcomes.cover(normalizeBytes(BadJson.bytes(doc), policy, ctx), 8, 20);
    }

    @Property(tries = 1500)
    void mutatedSpecBytesAreEventsOrNamedRejections(@ForAll("fixtures") String fixture,
                                                    @ForAll("byteEdits") List<ByteEdit> edits,
                                                    @ForAll("contexts") SourceContext ctx) {
        NormalizerOutcomes.cover(normalizeBytes(BadJson.edit(Fixtures.bytes(fixture), edits), PrivacyPolicy.DEFAULT, ctx),
                1, 50);
    }

    @Provide
    Arbitrary<JsonNode> timestamps() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().map(l -> (JsonNode) f.numberNode(l))),
                Tuple.of(2, Arbitraries.of(0L, -1L, 1L, 99_999_999_999L, 100_000_000_000L, 253_402_300_799L,
                        253_402_300_800L, 253_402_300_799_999L, 253_402_300_800_000L, -62_135_596_800L,
                        -62_135_596_801L, -62_167_219_200L, -62_167_219_201L, -31_557_014_167_219_200L,
                        -31_557_014_167_219_201L, 31_556_889_864_403_199L, Long.MAX_VALUE, Long.MIN_VALUE)
                        .map(l -> (JsonNode) f.numberNode(l))),
                Tuple.of(1, Arbitraries.longs().map(l -> (JsonNode) f.textNode(Long.toString(l)))),
                Tuple.of(1, BadJson.anyDecimalNode()));
    }

    @Property(tries = 1000)
    void timestampsOfAnyMagnitudeAreEventsOrNamedRejections(@ForAll("fixtures") String fixture,
                                                            @ForAll("timestamps") JsonNode time,
                                                            @ForAll("timestamps") JsonNode guestStart,
                                                            @ForAll("timestamps") JsonNode guestEnd,
                                                            @ForAll("contexts") SourceContext ctx) {
        ObjectNode doc = (ObjectNode) Fixtures.json(fixture);
        ObjectNode data = (ObjectNode) doc.get("data");
        data.set(data.has("event_time") ? "event_time" : "timestamp", time);
        if (data.get("user") instanceof ObjectNode user) {
            user.set("guest_time_start", guestStart);
            user.set("guest_time_end", guestEnd);
        }
        Outcome o = normalizeBytes(BadJson.bytes(doc), PrivacyPolicy.DEFAULT, ctx);
        NormalizerOutcomes.cover(o, 10, 10);
        if (o.accepted()) {
            assertThat(o.event().event().time()).isEqualTo(java.time.Instant.parse(o.event().event().data().occurredAt()));
        }
    }

    private static final java.util.Map<String, String> VENDOR_CODES = java.util.Map.of("recognitionType",
            "recognitionType", "recognizeStatus", "recognizeStatus", "entryMode", "entry_mode", "mode", "mode",
            "abnormalType", "abnormal_type", "mask", "mask", "status", "status", "code", "code");

    @Provide
    Arbitrary<List<JsonNode>> codes() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, BadJson.anyIntegerNode()),
                Tuple.of(1, BadJson.anyIntegerNode().map(n -> (JsonNode) JsonNodeFactory.instance.textNode(n.asText()))),
                Tuple.of(2, BadJson.anyDecimalNode()),
                Tuple.of(1, BadJson.numericLookingText().map(t -> (JsonNode) JsonNodeFactory.instance.textNode(t))),
                Tuple.of(1, BadJson.anyScalar())).list().ofSize(4);
    }

    /**
     * Numbers of any magnitude and numeric-looking text in every numeric field; the device's codes
     * reach {@code vendor} and the decision losslessly: an accepted event's
     * {@code vendor.status}, {@code vendor.mode}, ... equal the integers sent, and it is granted exactly
     * when the device said {@code pass} true (no truncation of 4294967297 to 1).
     */
    @Property(tries = 1500)
    void acceptedEventsKeepTheDevicesCodesAndDecisionLosslessly(@ForAll("fixtures") String fixture,
                                                                @ForAll("codeFields") List<String> fields,
                                                                @ForAll("codes") List<JsonNode> values,
                                                                @ForAll("contexts") SourceContext ctx) {
        ObjectNode doc = (ObjectNode) Fixtures.json(fixture);
        ObjectNode data = (ObjectNode) doc.get("data");
        for (int i = 0; i < Math.min(fields.size(), values.size()); i++) {
            (fields.get(i).equals("type") ? doc : data).set(fields.get(i), values.get(i));
        }
        Outcome o = normalizeBytes(BadJson.bytes(doc), PrivacyPolicy.DEFAULT, ctx);
        NormalizerOutcomes.cover(o, 15, 10);
        if (!o.accepted()) {
            return;
        }
        JsonNode sent = RawInput.parseJson(BadJson.bytes(doc)).get("data");
        java.util.Map<String, Object> vendor = o.event().event().data().vendor();
        VENDOR_CODES.forEach((vendorKey, field) -> {
            if (vendor.containsKey(vendorKey)) {
                assertThat(((Number) vendor.get(vendorKey)).longValue()).as("vendor.%s of %s", vendorKey, sent.get(field))
                        .isEqualTo(JsonFields.integer(sent, field));
            }
        });
        if (o.event().event().data().alarm() != null) {
            assertThat(JsonFields.requiredInteger(sent, "status")).as("status of an accepted alarm").isBetween(1L, 3L);
        } else {
            JsonNode pass = sent.get("pass");
            boolean devicePass = pass != null && (pass.isBoolean() && pass.booleanValue()
                    || pass.isNumber() && pass.decimalValue().compareTo(java.math.BigDecimal.ONE) == 0
                    || pass.isTextual() && pass.asText().equalsIgnoreCase("true"));
            assertThat(o.event().event().data().decision().granted()).as("granted for pass %s", pass)
                    .isEqualTo(devicePass);
        }
    }

    @Provide
    Arbitrary<List<String>> codeFields() {
        return Arbitraries.of("status", "code", "pass", "recognitionType", "recognizeStatus", "entry_mode", "mode",
                "mask", "abnormal_type", "type", "recognizeScore", "livenessScore", "bodyTemperature")
                .list().ofMinSize(1).ofMaxSize(4);
    }
}
