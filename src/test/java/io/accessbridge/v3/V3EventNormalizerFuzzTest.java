package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.canonical.AccessEvent;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.JsonFields;
import io.accessbridge.ingest.RawInput;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.testing.Fixtures;
import io.accessbridge.testing.fuzz.BadJson;
import io.accessbridge.testing.fuzz.BadJson.ByteEdit;
import io.accessbridge.testing.fuzz.BadJson.Mutation;
import io.accessbridge.testing.fuzz.NormalizerOutcomes;
import io.accessbridge.testing.fuzz.NormalizerOutcomes.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Bad-input suite, v3 normaliser (events of {@code event-fetch} replies and {@code event-report}
 * bodies): whatever a device returns, the result is a schema-conforming canonical event or an
 * {@link InvalidEventException} naming the field without repeating the input. Never another
 * exception.
 */
class V3EventNormalizerFuzzTest {

    /** v3's {@code event} names an unknown code in the message by design ("unknown value 'elevator'"). */
    private static final Set<String> ECHOED = Set.of("event");
    private static final List<String> FIXTURES = fixtureNames();

    private static List<String> fixtureNames() {
        try {
            Path dir = Path.of(V3EventNormalizerFuzzTest.class.getResource("/fixtures/v3").toURI());
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(p -> p.toString().endsWith(".json")).map(p -> "v3/" + dir.relativize(p))
                        .sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Provide
    Arbitrary<SourceContext> contexts() {
        return Arbitraries.of(
                SourceContext.of("v3-fetch", "192.168.20.21"),
                SourceContext.of("v3-fetch", "192.168.20.21").withDevice("lobby-1", "hq", "Lobby turnstile", "IN"),
                SourceContext.of("v3-report", "10.0.0.7"),
                SourceContext.of("v3-report", null));
    }

    @Provide
    Arbitrary<String> fixtures() {
        return Arbitraries.of(FIXTURES);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return BadJson.mutations(BadJson.V3_FIELDS);
    }

    @Provide
    Arbitrary<List<ByteEdit>> byteEdits() {
        return BadJson.byteEdits();
    }

    @Provide
    Arbitrary<JsonNode> arbitraryDocuments() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, BadJson.anyJson(3, BadJson.V3_FIELDS)),
                Tuple.of(5, BadJson.v3ShapedEvent()));
    }

    /** Bytes through the bridge's device JSON reader, then the normaliser. */
    private static Outcome normalizeBytes(byte[] raw, SourceContext ctx) {
        JsonNode json;
        try {
            json = RawInput.parseJson(raw);
        } catch (InvalidEventException e) {
            NormalizerOutcomes.checkRejection(null, e, ECHOED);
            return new Outcome(null, e);
        } catch (Throwable t) {
            throw new AssertionError("parsing threw " + t.getClass().getName(), t);
        }
        return NormalizerOutcomes.check(json, () -> V3EventNormalizer.normalize(json, ctx), ECHOED);
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    void arbitraryJsonIsAnEventOrANamedRejection(@ForAll("arbitraryDocuments") JsonNode doc,
                                                 @ForAll("contexts") SourceContext ctx) {
        NormalizerOutcomes.cover(normalizeBytes(BadJson.bytes(doc), ctx), 4, 30);
    }

    @Property(tries = 2500)
    void mutatedFixturesAreEventsOrNamedRejections(@ForAll("fixtures") String fixture,
                                                   @ForAll("mutations") List<Mutation> mutations,
                                                   @ForAll("contexts") SourceContext ctx) {
        NormalizerOutcomes.cover(normalizeBytes(BadJson.bytes(BadJson.mutate(Fixtures.json(fixture), mutations)), ctx), 4, 30);
    }

    @Property(tries = 1500)
    void mutatedFixtureBytesAreEventsOrNamedRejections(@ForAll("fixtures") String fixture,
                                                       @ForAll("byteEdits") List<ByteEdit> edits,
                                                       @ForAll("contexts") SourceContext ctx) {
        NormalizerOutcomes.cover(normalizeBytes(BadJson.edit(Fixtures.bytes(fixture), edits), ctx), 0.5, 50);
    }

    @Provide
    Arbitrary<JsonNode> numbers() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return Arbitraries.frequencyOf(
                Tuple.of(4, BadJson.anyIntegerNode()),
                Tuple.of(2, Arbitraries.of(0L, -1L, 99_999_999_999L, 100_000_000_000L, 253_402_300_799_999L,
                        253_402_300_800_000L, Long.MAX_VALUE).map(l -> (JsonNode) f.numberNode(l))),
                Tuple.of(1, BadJson.anyIntegerNode().map(n -> (JsonNode) f.textNode(n.asText()))),
                Tuple.of(1, BadJson.anyDecimalNode()),
                Tuple.of(1, BadJson.numericLookingText().map(t -> (JsonNode) f.textNode(t))));
    }

    /**
     * Seqnums, timestamps, states and scores of any magnitude: an accepted event keeps the
     * device's seqnum and timestamp losslessly (in its id and {@code vendor}), and is granted
     * exactly when {@code state} is 4 for a credential event.
     */
    @Property(tries = 1500)
    void acceptedEventsKeepSeqnumTimestampAndStateLosslessly(@ForAll("fixtures") String fixture,
                                                             @ForAll("numbers") JsonNode seqnum,
                                                             @ForAll("numbers") JsonNode timestamp,
                                                             @ForAll("numbers") JsonNode state,
                                                             @ForAll("numbers") JsonNode score,
                                                             @ForAll("numberFields") List<String> fields,
                                                             @ForAll("contexts") SourceContext ctx) {
        JsonNode doc = Fixtures.json(fixture);
        if (!(doc instanceof ObjectNode o)) {
            return;
        }
        List<JsonNode> values = List.of(seqnum, timestamp, state, score);
        for (int i = 0; i < fields.size(); i++) {
            o.set(fields.get(i), values.get(i % values.size()));
        }
        Outcome outcome = normalizeBytes(BadJson.bytes(o), ctx);
        NormalizerOutcomes.cover(outcome, 10, 10);
        if (!outcome.accepted()) {
            return;
        }
        JsonNode sent = RawInput.parseJson(BadJson.bytes(o));
        long seq = JsonFields.requiredInteger(sent, "seqnum");
        long ts = JsonFields.requiredInteger(sent, "timestamp");
        AccessEvent data = outcome.event().event().data();
        assertThat(data.vendor()).containsEntry("seqnum", seq).containsEntry("timestamp", ts);
        assertThat(outcome.event().event().id()).endsWith(":" + seq + ":" + ts);
        assertThat(seq).isNotNegative();
        if (data.decision() != null) {
            Long st = JsonFields.integer(sent, "state");
            assertThat(data.decision().granted()).as("granted for state %s", sent.get("state"))
                    .isEqualTo(st != null && st == 4);
        }
    }

    @Provide
    Arbitrary<List<String>> numberFields() {
        return Arbitraries.of("seqnum", "timestamp", "state", "score", "sharp", "therm").list().ofMinSize(1).ofMaxSize(4);
    }
}
