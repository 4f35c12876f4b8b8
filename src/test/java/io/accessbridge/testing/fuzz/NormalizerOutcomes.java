package io.accessbridge.testing.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.canonical.CloudEventCodec;
import io.accessbridge.canonical.EventHeaders;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.testing.SchemaAssertions;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The only outcomes a normaliser may have for any input: a canonical event that conforms to the
 * schema, serialises as a CloudEvent and carries neither {@code pin} nor a raw {@code id_number};
 * or an {@link InvalidEventException} whose message names a field (or says the document is not an
 * event) and never echoes the input's values. Anything else (NPE, ClassCast, NumberFormat,
 * DateTime, arithmetic...) fails the property.
 */
public final class NormalizerOutcomes {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern FIELD = Pattern.compile("field '([^']{1,64})'");
    /** Messages about the whole document rather than one field. */
    private static final List<String> DOCUMENT_PROBLEMS = List.of("body must be a JSON object",
            "v3 event must be a JSON object", "cannot tell the sending device", "unknown event type",
            "malformed JSON", "empty body", "unreadable body");
    /** Fields the normalisers require, which a message may name although the input lacks them. */
    private static final Set<String> REQUIRED = Set.of("type", "data", "timestamp", "trace_id", "status", "event_time",
            "device-id", "seqnum", "event", "state");
    /** v3's {@code event} values that look like codes are echoed by design ("unknown value 'elevator'"). */
    private static final Pattern SAFE_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private NormalizerOutcomes() {
    }

    /** What a normaliser did: exactly one of the two is set. */
    public record Outcome(NormalizedEvent event, InvalidEventException rejection) {

        /** Whether an event came out. */
        public boolean accepted() {
            return event != null;
        }
    }

    /**
     * Runs {@code normalizer} on {@code input} (the parsed document, or {@code null} when it was
     * rejected before parsing) and checks the outcome is allowed.
     *
     * @param echoedCodeFields fields whose code-like values an error message may repeat ({@code type}, {@code event})
     */
    public static Outcome check(JsonNode input, Supplier<NormalizedEvent> normalizer, Set<String> echoedCodeFields) {
        NormalizedEvent event;
        try {
            event = normalizer.get();
        } catch (InvalidEventException e) {
            checkRejection(input, e, echoedCodeFields);
            return new Outcome(null, e);
        } catch (Throwable t) {
            throw new AssertionError("the normaliser threw " + t.getClass().getName()
                    + " instead of an InvalidEventException or an event", t);
        }
        if (event == null) {
            fail("the normaliser returned null");
        }
        checkEvent(input, event);
        return new Outcome(event, null);
    }

    /**
     * Counts accepted and rejected inputs in the property's statistics (printed with its report) and
     * fails the property when fewer than {@code minAcceptedPercent} of its inputs became events, or
     * fewer than {@code minRejectedPercent} were refused: a generator that drifted to one side would
     * test little of the other.
     */
    public static void cover(Outcome outcome, double minAcceptedPercent, double minRejectedPercent) {
        net.jqwik.api.statistics.Statistics.label("outcome").collect(outcome.accepted() ? "event" : "rejected");
        net.jqwik.api.statistics.Statistics.label("outcome").coverage(c -> {
            c.check("event").percentage(p -> p >= minAcceptedPercent);
            c.check("rejected").percentage(p -> p >= minRejectedPercent);
        });
    }

    /** A rejection: a safe message that names the field, no value of the input. */
    public static void checkRejection(JsonNode input, InvalidEventException e, Set<String> echoedCodeFields) {
        String msg = e.getMessage();
        assertThat(msg).as("rejection message").isNotBlank().hasSizeLessThan(300);
        Set<String> keys = new HashSet<>();
        BadJson.keys(input, keys);
        Matcher m = FIELD.matcher(msg);
        if (m.find()) {
            String named = m.group(1);
            String last = named.contains(".") ? named.substring(named.lastIndexOf('.') + 1) : named;
            assertThat(keys.contains(last) || REQUIRED.contains(last))
                    .as("message '%s' names field '%s', which the input has or which is required", msg, named).isTrue();
        } else {
            assertThat(DOCUMENT_PROBLEMS.stream().anyMatch(msg::contains))
                    .as("message '%s' names a field or a document-level problem", msg).isTrue();
        }
        for (String value : valuesThatMustNotBeEchoed(input, echoedCodeFields)) {
            if (msg.contains(value) && !keys.contains(value)) {
                fail("rejection message '%s' echoes the input value '%s'", msg, value);
            }
        }
    }

    /** An event: schema, CloudEvent round trip, broker headers, no pin, no raw id_number. */
    public static void checkEvent(JsonNode input, NormalizedEvent n) {
        SchemaAssertions.assertConforms(n.event().data());
        byte[] json = CloudEventCodec.serialize(n.event());
        CloudEvent ce = CloudEventCodec.deserialize(json);
        assertThat(ce.getId()).isEqualTo(n.event().id()).isNotBlank();
        assertThat(ce.getType()).isEqualTo("io.accessbridge." + n.event().data().kind());
        try {
            // what consumers read: the data as written on the wire (a Java tree would hide "Infinity" strings)
            SchemaAssertions.assertConforms(MAPPER.readTree(ce.getData().toBytes()));
        } catch (java.io.IOException e) {
            throw new AssertionError("the CloudEvent's data is not JSON", e);
        }
        Map<String, Object> headers = EventHeaders.of(n.event());
        assertThat(headers).containsEntry(EventHeaders.DUPLICATE_ID, n.event().id());
        if (n.image() != null) {
            assertThat(n.event().data().image()).as("image bytes only with a claim check").isNotNull();
            assertThat(n.event().data().image().size()).isEqualTo(n.image().length);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("the CloudEvent is not JSON", e);
        }
        Set<String> outKeys = new HashSet<>();
        BadJson.keys(tree, outKeys);
        assertThat(outKeys).as("personal fields in the event").doesNotContain("pin", "id_number");
        String text = new String(json, StandardCharsets.UTF_8);
        String unescaped = tree.toString();
        for (String secret : sensitiveValues(input)) {
            if ((text.contains(secret) || unescaped.contains(secret) || containsDecoded(tree, secret))
                    && !otherInputValueContains(input, secret)) {
                fail("the event carries the value of pin or id_number '%s': %s", secret, text);
            }
        }
    }

    private static boolean containsDecoded(JsonNode tree, String secret) {
        boolean[] found = {false};
        BadJson.leaves(tree, null, (field, v) -> {
            if (v.isTextual() && v.asText().contains(secret)) {
                found[0] = true;
            }
        });
        return found[0];
    }

    /** Text forms of pin and id_number values distinctive enough to be looked for. */
    static List<String> sensitiveValues(JsonNode input) {
        List<String> out = new ArrayList<>();
        BadJson.leaves(input, null, (field, v) -> {
            if (field != null && BadJson.SENSITIVE_FIELDS.contains(field) && !v.isNull() && !v.isBoolean()) {
                String s = v.asText().strip();
                if (s.length() >= 6) {
                    out.add(s);
                }
            }
        });
        return out;
    }

    /** Whether a value outside pin/id_number contains {@code s} (then finding it in the event proves nothing). */
    private static boolean otherInputValueContains(JsonNode input, String s) {
        boolean[] found = {false};
        BadJson.leaves(input, null, (field, v) -> {
            if ((field == null || !BadJson.SENSITIVE_FIELDS.contains(field)) && !v.isNull()
                    && (v.asText().contains(s) || (v.isNumber() && v.toString().contains(s)))) {
                found[0] = true;
            }
        });
        return found[0] || s.matches("[0-9.eE+-]+") && s.length() < 10;
    }

    /**
     * Values an error message must not repeat: every text and number of the input that is
     * distinctive (6 characters or more, or 2 or more with a non-ASCII character), except
     * code-like values of the fields whose codes are echoed by design.
     */
    public static List<String> valuesThatMustNotBeEchoed(JsonNode input, Set<String> echoedCodeFields) {
        List<String> out = new ArrayList<>();
        Set<String> codes = new HashSet<>();
        BadJson.leaves(input, null, (field, v) -> {
            String s = v.isTextual() ? v.asText() : v.toString();
            if (field != null && echoedCodeFields.contains(field)
                    && (SAFE_CODE.matcher(s).matches() || v.isNumber() || s.strip().matches("[+-]?[0-9]+"))) {
                codes.add(s.strip());
                codes.add(s.strip().replaceFirst("^\\+", "").replaceFirst("^(-?)0+(?=[0-9])", "$1"));
            }
        });
        BadJson.leaves(input, null, (field, v) -> {
            if (v.isNull() || v.isBoolean()) {
                return;
            }
            String s = v.isTextual() ? v.asText() : v.toString();
            String stripped = s.strip();
            if (codes.stream().anyMatch(code -> code.contains(stripped))) {
                return;
            }
            boolean nonAscii = s.chars().anyMatch(c -> c > 0x7e);
            if (s.strip().length() >= 6 || nonAscii && s.strip().length() >= 2) {
                out.add(s.strip());
            }
        });
        return out;
    }
}
