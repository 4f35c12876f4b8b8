package io.accessbridge.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of bad device input: arbitrary JSON trees, values of every JSON type in the
 * fields the normalisers read, huge and NaN-like numbers, long and exotic unicode text, deep
 * nesting, timestamps of any magnitude, and mutations of the spec fixtures (drop a field, change
 * its type, add a field, nest it deeply) and of their raw bytes (truncate, flip, insert, cut).
 */
public final class BadJson {

    /** Writes JSON the way a device would (numbers as written, no pretty printing), nested as deep as asked. */
    public static final ObjectMapper WRITER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder()
                    .maxNestingDepth(100_000).build())
            .build());

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Fields the v1 normaliser reads (specs 000-003), plus the personal ones it must drop. */
    public static final List<String> V1_FIELDS = List.of("type", "data", "deviceSN", "timestamp", "pass",
            "recognitionType", "recognizeStatus", "abnormal_type", "entry_mode", "mode", "mask", "recognizeScore",
            "livenessScore", "bodyTemperature", "uuid", "user", "user_id", "name", "job_number", "ic_number",
            "id_number", "pin", "groups", "id", "guest_time_start", "guest_time_end", "rgb_image", "trace_id",
            "status", "event_time", "code", "description", "alarm_photo", "remark");

    /** Fields the v3 normaliser reads (spec 004). */
    public static final List<String> V3_FIELDS = List.of("seqnum", "timestamp", "event", "device-id", "ip-addr",
            "uid", "score", "sharp", "therm", "data", "qrcode", "state");

    /** The v3 event names of spec 004. */
    public static final List<String> V3_EVENTS = List.of("face", "card", "qrcode", "visitor", "door", "remote",
            "push", "fire", "disa", "reset", "therm");

    /** Fields whose values must never leave the bridge, nor appear in an error message. */
    public static final List<String> SENSITIVE_FIELDS = List.of("pin", "id_number");

    private BadJson() {
    }

    // ---------------------------------------------------------------- scalars

    /** Text that looks like a number to a human but not (always) to a parser. */
    public static Arbitrary<String> numericLookingText() {
        return Arbitraries.of("NaN", "-NaN", "Infinity", "-Infinity", "+Infinity", "1e400", "-1e400", "1e-400",
                "0x1F", "0x1p3", "1d", "2f", " 42 ", "4.0", "4.5", "-0", "+5", "1,000", "1_000", "١٢٣", "９",
                "9223372036854775808", "-9223372036854775809", "99999999999999999999999", "1.7976931348623157E309",
                "true", "false", "TRUE", "null", "", " ", "\t", "0", "1", "00000001", "１");
    }

    /** Unicode text without lone surrogates: ASCII, Latin, CJK, RTL, emoji, controls, zero-width, BOM. */
    public static Arbitrary<String> unicodeText(int maxLength) {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
                Tuple.of(1, Arbitraries.integers().between(0x00, 0x1f)),
                Tuple.of(2, Arbitraries.integers().between(0xa0, 0x2ff)),
                Tuple.of(2, Arbitraries.integers().between(0x4e00, 0x9fff)),
                Tuple.of(1, Arbitraries.integers().between(0x0590, 0x06ff)),
                Tuple.of(1, Arbitraries.of(0x200b, 0x200d, 0x200e, 0x202e, 0xfeff, 0xfffd, 0xffff)),
                Tuple.of(1, Arbitraries.integers().between(0x1f300, 0x1faff)));
        return codePoint.list().ofMaxSize(maxLength).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    /** A string of {@code min} to {@code max} characters (one repeated unit: cheap to make, to shrink and to print). */
    public static Arbitrary<String> longText(int min, int max) {
        return Combinators.combine(Arbitraries.integers().between(min, max), Arbitraries.of("x", "王", "😀", "0", "\\\""))
                .as((n, unit) -> unit.repeat(Math.max(1, n / unit.length())));
    }

    /** Any string: exotic unicode, numeric-looking text, now and then very long. */
    public static Arbitrary<String> anyText() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, unicodeText(24)),
                Tuple.of(3, numericLookingText()),
                Tuple.of(2, Arbitraries.strings().alpha().numeric().withChars("-_.:/").ofMinLength(1).ofMaxLength(40)),
                Tuple.of(1, longText(1_000, 20_000)));
    }

    /** Integers of every magnitude, the edges of int and long first. */
    public static Arbitrary<JsonNode> anyIntegerNode() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(-3, 8).map(i -> (JsonNode) F.numberNode(i))),
                Tuple.of(2, Arbitraries.of(10001, 20003, 40001, 70001, 99999).map(i -> (JsonNode) F.numberNode(i))),
                Tuple.of(3, Arbitraries.longs().map(l -> (JsonNode) F.numberNode(l))),
                Tuple.of(2, Arbitraries.of(Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, 4_294_967_296L,
                        4_294_967_297L, Long.MAX_VALUE, Long.MIN_VALUE, 9_007_199_254_740_993L)
                        .map(l -> (JsonNode) F.numberNode(l))),
                Tuple.of(1, Arbitraries.integers().between(19, 1_200)
                        .map(digits -> (JsonNode) F.numberNode(BigInteger.TEN.pow(digits).add(BigInteger.ONE)))));
    }

    /** Numbers that are not plain integers: fractions, negative zero, exponents beyond double. */
    public static Arbitrary<JsonNode> anyDecimalNode() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.doubles().map(d -> (JsonNode) F.numberNode(d))),
                Tuple.of(1, Arbitraries.of(-0.0, 0.5, 1.0, 4.0, 36.6, 1e15, 9e15, 1e16, Double.MAX_VALUE,
                        Double.MIN_VALUE, 1.0000000000000002).map(d -> (JsonNode) F.numberNode(d))),
                Tuple.of(2, Arbitraries.of("1e400", "-1e400", "1e-400", "1E+309", "123456789012345678901234567890.5",
                        "0.1e2", "1e18", "-5e-324").map(s -> (JsonNode) F.numberNode(new BigDecimal(s)))));
    }

    /** Any JSON scalar. */
    public static Arbitrary<JsonNode> anyScalar() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(F.nullNode())),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b))),
                Tuple.of(3, anyIntegerNode()),
                Tuple.of(2, anyDecimalNode()),
                Tuple.of(4, anyText().map(s -> (JsonNode) F.textNode(s))));
    }

    // ---------------------------------------------------------------- trees

    /** Any JSON value, nested at most {@code depth} levels, with keys mostly among {@code keys}. */
    public static Arbitrary<JsonNode> anyJson(int depth, List<String> keys) {
        if (depth <= 0) {
            return anyScalar();
        }
        Arbitrary<JsonNode> child = Arbitraries.lazy(() -> anyJson(depth - 1, keys));
        return Arbitraries.frequencyOf(
                Tuple.of(4, anyScalar()),
                Tuple.of(1, child.list().ofMaxSize(3).map(BadJson::array)),
                Tuple.of(2, object(keys, child)));
    }

    /** Objects whose keys are mostly the given field names. */
    public static Arbitrary<JsonNode> object(List<String> keys, Arbitrary<JsonNode> values) {
        Arbitrary<String> key = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of(keys)),
                Tuple.of(1, unicodeText(12)));
        return Arbitraries.maps(key, values).ofMaxSize(6).map(BadJson::objectOf);
    }

    /** A value nested {@code levels} deep in arrays and objects. */
    public static JsonNode nest(JsonNode value, int levels, boolean arrays) {
        JsonNode v = value;
        for (int i = 0; i < levels; i++) {
            if (arrays || i % 2 == 0) {
                ArrayNode a = F.arrayNode();
                a.add(v);
                v = a;
            } else {
                ObjectNode o = F.objectNode();
                o.set("data", v);
                v = o;
            }
        }
        return v;
    }

    /** Marks a field left out of a generated record. */
    private static final JsonNode ABSENT = com.fasterxml.jackson.databind.node.MissingNode.getInstance();

    /** A field that is absent now and then, has a plausible value mostly, and any value sometimes. */
    private static Arbitrary<JsonNode> field(Arbitrary<JsonNode> plausible, int absentWeight) {
        return Arbitraries.frequencyOf(
                Tuple.of(absentWeight, Arbitraries.just(ABSENT)),
                Tuple.of(12, plausible),
                Tuple.of(1, anyScalar()),
                Tuple.of(1, Arbitraries.lazy(() -> anyJson(1, List.of("id", "name", "data")))));
    }

    /** An object of the given fields; each value is produced by {@link #field} (or left out). */
    private static Arbitrary<JsonNode> record(Map<String, Arbitrary<JsonNode>> fields) {
        List<String> names = new ArrayList<>(fields.keySet());
        List<Arbitrary<JsonNode>> values = names.stream().map(fields::get).toList();
        return Combinators.combine(values).as(vs -> {
            ObjectNode o = F.objectNode();
            for (int i = 0; i < names.size(); i++) {
                if (!vs.get(i).isMissingNode()) {
                    o.set(names.get(i), vs.get(i));
                }
            }
            return o;
        });
    }

    private static Arbitrary<JsonNode> ints(int min, int max) {
        return Arbitraries.integers().between(min, max).map(i -> (JsonNode) F.numberNode(i));
    }

    private static Arbitrary<JsonNode> texts(Arbitrary<String> s) {
        return s.map(t -> (JsonNode) F.textNode(t));
    }

    /** Unix times near now, in seconds or milliseconds, sometimes as text. */
    public static Arbitrary<JsonNode> plausibleTime() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(1_500_000_000L, 1_900_000_000L).map(l -> (JsonNode) F.numberNode(l))),
                Tuple.of(2, Arbitraries.longs().between(1_500_000_000_000L, 1_900_000_000_000L).map(l -> (JsonNode) F.numberNode(l))),
                Tuple.of(1, Arbitraries.longs().between(0, 1_900_000_000L).map(l -> (JsonNode) F.textNode(Long.toString(l)))));
    }

    /** Values of pin and id_number: distinctive, so that finding them in an event or a message means a leak. */
    public static Arbitrary<JsonNode> secretValue() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().numeric().ofLength(18).map(s -> (JsonNode) F.textNode("S" + s))),
                Tuple.of(2, Arbitraries.strings().alpha().ofMinLength(6).ofMaxLength(12).map(s -> (JsonNode) F.textNode("pin-" + s))),
                Tuple.of(1, Arbitraries.longs().between(100_000_000_000L, 999_999_999_999L).map(l -> (JsonNode) F.numberNode(l))),
                Tuple.of(1, Arbitraries.of("", " ").map(t -> (JsonNode) F.textNode(t))));
    }

    private static Arbitrary<JsonNode> v1User() {
        Arbitrary<JsonNode> group = record(Map.of("id", field(Arbitraries.oneOf(ints(0, 99), texts(unicodeText(4))), 2),
                "name", field(texts(unicodeText(8)), 2)));
        Map<String, Arbitrary<JsonNode>> f = new java.util.LinkedHashMap<>();
        f.put("user_id", field(Arbitraries.oneOf(ints(0, 100_000), texts(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(8))), 2));
        f.put("name", field(texts(unicodeText(12)), 2));
        f.put("type", field(ints(0, 6), 2));
        f.put("job_number", field(texts(Arbitraries.strings().alpha().numeric().ofMaxLength(8)), 3));
        f.put("ic_number", field(texts(Arbitraries.strings().numeric().ofMaxLength(10)), 3));
        f.put("id_number", field(secretValue(), 2));
        f.put("pin", field(secretValue(), 2));
        f.put("remark", field(texts(unicodeText(10)), 4));
        f.put("guest_time_start", field(Arbitraries.oneOf(ints(0, 0), plausibleTime()), 3));
        f.put("guest_time_end", field(Arbitraries.oneOf(ints(0, 0), plausibleTime()), 3));
        f.put("groups", field(group.list().ofMaxSize(3).map(BadJson::array), 3));
        return record(f);
    }

    private static Arbitrary<JsonNode> base64ish() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)
                        .map(b -> (JsonNode) F.textNode(java.util.Base64.getEncoder().encodeToString(b)))),
                Tuple.of(1, Arbitraries.of("xxxxxxxxxxxxxx=", " ", "", "data:image/jpeg;base64,/9j/", "====", "%%%")
                        .map(t -> (JsonNode) F.textNode(t))));
    }

    /** A v1 recognition record's {@code data} with plausible values mostly (spec 000-003 fields). */
    public static Arbitrary<JsonNode> v1RecognitionData() {
        Map<String, Arbitrary<JsonNode>> f = new java.util.LinkedHashMap<>();
        f.put("deviceSN", field(texts(Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20)), 2));
        f.put("timestamp", field(plausibleTime(), 1));
        f.put("pass", field(Arbitraries.oneOf(Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b)), ints(0, 1),
                texts(Arbitraries.of("true", "false", "TRUE"))), 2));
        f.put("recognitionType", field(ints(0, 6), 3));
        f.put("recognizeStatus", field(ints(0, 7), 3));
        f.put("abnormal_type", field(Arbitraries.oneOf(ints(0, 0), Arbitraries.of(10001, 20002, 40001, 70002, 12345)
                .map(i -> (JsonNode) F.numberNode(i))), 3));
        f.put("entry_mode", field(ints(0, 13), 3));
        f.put("mode", field(ints(0, 10), 3));
        f.put("mask", field(ints(0, 3), 3));
        f.put("recognizeScore", field(Arbitraries.doubles().between(0, 1).map(d -> (JsonNode) F.numberNode(d)), 3));
        f.put("livenessScore", field(Arbitraries.doubles().between(0, 1).map(d -> (JsonNode) F.numberNode(d)), 3));
        f.put("bodyTemperature", field(Arbitraries.doubles().between(0, 45).map(d -> (JsonNode) F.numberNode(d)), 3));
        f.put("uuid", field(Arbitraries.create(java.util.UUID::randomUUID).map(u -> (JsonNode) F.textNode(u.toString())), 2));
        f.put("rgb_image", field(base64ish(), 2));
        f.put("user", field(v1User(), 2));
        return record(f);
    }

    /** A v1 alarm's {@code data} (spec 002) with plausible values mostly. */
    public static Arbitrary<JsonNode> v1AlarmData() {
        Map<String, Arbitrary<JsonNode>> f = new java.util.LinkedHashMap<>();
        f.put("deviceSN", field(texts(Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20)), 2));
        f.put("trace_id", field(texts(Arbitraries.strings().alpha().numeric().withChars('-').ofMinLength(1).ofMaxLength(30)), 1));
        f.put("status", field(ints(0, 4), 1));
        f.put("event_time", field(plausibleTime(), 1));
        f.put("code", field(Arbitraries.of(10001, 10002, 10003, 10004, 20003, 1).map(i -> (JsonNode) F.numberNode(i)), 2));
        f.put("description", field(texts(unicodeText(16)), 2));
        f.put("alarm_photo", field(base64ish(), 2));
        return record(f);
    }

    /** A v1 envelope {@code {"type":..,"data":{..}}}: a recognition or an alarm, plausible mostly, bad here and there. */
    public static Arbitrary<JsonNode> v1ShapedEnvelope() {
        Arbitrary<JsonNode> recognition = v1RecognitionData().map(d -> envelope(F.numberNode(0), d));
        Arbitrary<JsonNode> alarm = v1AlarmData().map(d -> envelope(F.numberNode(1), d));
        Arbitrary<JsonNode> odd = Combinators.combine(anyScalar(), Arbitraries.oneOf(v1RecognitionData(), v1AlarmData()))
                .as(BadJson::envelope);
        return Arbitraries.frequencyOf(Tuple.of(6, recognition), Tuple.of(3, alarm), Tuple.of(1, odd));
    }

    private static JsonNode envelope(JsonNode type, JsonNode data) {
        ObjectNode o = F.objectNode();
        o.set("type", type);
        o.set("data", data);
        return o;
    }

    /** A v3 event object (spec 004) with plausible values mostly, bad here and there. */
    public static Arbitrary<JsonNode> v3ShapedEvent() {
        Map<String, Arbitrary<JsonNode>> f = new java.util.LinkedHashMap<>();
        f.put("seqnum", field(Arbitraries.oneOf(ints(0, 1_000_000),
                texts(Arbitraries.integers().between(0, 99_999).map(String::valueOf))), 1));
        f.put("timestamp", field(plausibleTime(), 1));
        f.put("event", field(Arbitraries.frequencyOf(Tuple.of(8, texts(Arbitraries.of(V3_EVENTS))),
                Tuple.of(1, texts(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(40))),
                Tuple.of(1, texts(unicodeText(8)))), 1));
        f.put("device-id", field(texts(Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(24)), 2));
        f.put("ip-addr", field(texts(Arbitraries.of("192.168.20.20", "::1", "", "not-an-ip", "999.1.1.1")), 3));
        f.put("uid", field(texts(Arbitraries.oneOf(
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(8).map(n -> "TUID-" + n),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(8).map(n -> "0000" + n),
                unicodeText(10))), 2));
        f.put("score", field(Arbitraries.doubles().between(0, 1).map(d -> (JsonNode) F.numberNode(d)), 3));
        f.put("sharp", field(ints(0, 100), 3));
        f.put("therm", field(Arbitraries.doubles().between(0, 45).map(d -> (JsonNode) F.numberNode(d)), 3));
        f.put("data", field(texts(Arbitraries.strings().withChars("0123456789abcdefx").ofMaxLength(12)), 3));
        f.put("qrcode", field(texts(unicodeText(16)), 3));
        f.put("state", field(ints(-1, 5), 2));
        return record(f);
    }

    // ---------------------------------------------------------------- mutations

    /** One change to a JSON tree; {@code pick} chooses the place, modulo the places there are. */
    public sealed interface Mutation {
        /** Applies the mutation to {@code root} (which it may modify) and returns the new root. */
        JsonNode apply(JsonNode root);
    }

    /** Removes a field or array element. */
    public record Drop(int pick) implements Mutation {
        @Override
        public JsonNode apply(JsonNode root) {
            List<Slot> slots = slots(root);
            if (slots.isEmpty()) {
                return root;
            }
            slots.get(Math.floorMod(pick, slots.size())).remove();
            return root;
        }
    }

    /** Replaces a value (or the whole document) by another, usually of another JSON type. */
    public record Retype(int pick, JsonNode value) implements Mutation {
        @Override
        public JsonNode apply(JsonNode root) {
            List<Slot> slots = slots(root);
            int n = slots.size() + 1;
            int i = Math.floorMod(pick, n);
            if (i == slots.size()) {
                return value.deepCopy();
            }
            slots.get(i).set(value.deepCopy());
            return root;
        }
    }

    /** Sets a field of some object of the tree, a known one mostly. */
    public record Put(int pick, String key, JsonNode value) implements Mutation {
        @Override
        public JsonNode apply(JsonNode root) {
            List<ObjectNode> objects = new ArrayList<>();
            collectObjects(root, objects);
            if (!objects.isEmpty()) {
                objects.get(Math.floorMod(pick, objects.size())).set(key, value.deepCopy());
            }
            return root;
        }
    }

    /** Buries a value under {@code levels} arrays or objects. */
    public record Nest(int pick, int levels, boolean arrays) implements Mutation {
        @Override
        public JsonNode apply(JsonNode root) {
            List<Slot> slots = slots(root);
            if (slots.isEmpty()) {
                return nest(root, levels, arrays);
            }
            Slot s = slots.get(Math.floorMod(pick, slots.size()));
            s.set(nest(s.get(), levels, arrays));
            return root;
        }
    }

    /** Mutations of documents whose fields are {@code keys}. */
    public static Arbitrary<Mutation> mutation(List<String> keys) {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 10_000);
        Arbitrary<JsonNode> value = Arbitraries.frequencyOf(Tuple.of(5, anyScalar()), Tuple.of(1, anyJson(2, keys)));
        Arbitrary<String> key = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(keys)), Tuple.of(1, unicodeText(10)));
        return Arbitraries.frequencyOf(
                Tuple.of(3, pick.map(Drop::new)),
                Tuple.of(5, Combinators.combine(pick, value).as(Retype::new)),
                Tuple.of(3, Combinators.combine(pick, key, value).as(Put::new)),
                Tuple.of(1, Combinators.combine(pick, Arbitraries.integers().between(2, 1_500), Arbitraries.of(true, false))
                        .as(Nest::new)));
    }

    /** One to four mutations. */
    public static Arbitrary<List<Mutation>> mutations(List<String> keys) {
        return mutation(keys).list().ofMinSize(1).ofMaxSize(4);
    }

    /** Applies mutations to a copy of {@code doc}. */
    public static JsonNode mutate(JsonNode doc, List<Mutation> mutations) {
        JsonNode root = doc.deepCopy();
        for (Mutation m : mutations) {
            root = m.apply(root);
        }
        return root;
    }

    /** A change to raw bytes. */
    public record ByteEdit(int kind, int position, int length, byte value) {

        /** Applies the edit to a copy of {@code raw}. */
        public byte[] apply(byte[] raw) {
            int at = raw.length == 0 ? 0 : Math.floorMod(position, raw.length + 1);
            switch (Math.floorMod(kind, 5)) {
                case 0: { // truncate
                    return java.util.Arrays.copyOf(raw, at);
                }
                case 1: { // flip one byte
                    byte[] out = raw.clone();
                    if (out.length > 0) {
                        out[Math.min(at, out.length - 1)] ^= (byte) (value == 0 ? 1 : value);
                    }
                    return out;
                }
                case 2: { // insert bytes
                    byte[] ins = new byte[Math.max(1, length)];
                    java.util.Arrays.fill(ins, value);
                    return concat(java.util.Arrays.copyOf(raw, at), ins, java.util.Arrays.copyOfRange(raw, at, raw.length));
                }
                case 3: { // cut a range
                    int end = Math.min(raw.length, at + Math.max(1, length));
                    return concat(java.util.Arrays.copyOf(raw, at), java.util.Arrays.copyOfRange(raw, end, raw.length));
                }
                default: { // insert a JSON-significant token
                    String[] tokens = {"{", "}", "[", "]", ",", ":", "\"", "\\", "//", "/*", "\u0000", "\uFEFF", "\n",
                            "NaN", "1e999", "'", "\\u00", ",,", "\"pin\":\"123456\","};
                    byte[] t = tokens[Math.floorMod(length, tokens.length)].getBytes(StandardCharsets.UTF_8);
                    return concat(java.util.Arrays.copyOf(raw, at), t, java.util.Arrays.copyOfRange(raw, at, raw.length));
                }
            }
        }
    }

    /** One to three byte edits. */
    public static Arbitrary<List<ByteEdit>> byteEdits() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 100_000),
                Arbitraries.integers().between(0, 64), Arbitraries.bytes())
                .as(ByteEdit::new).list().ofMinSize(1).ofMaxSize(3);
    }

    /** Applies byte edits to a copy of {@code raw}. */
    public static byte[] edit(byte[] raw, List<ByteEdit> edits) {
        byte[] out = raw;
        for (ByteEdit e : edits) {
            out = e.apply(out);
        }
        return out;
    }

    /** The bytes a device would send for {@code json}. */
    public static byte[] bytes(JsonNode json) {
        try {
            return WRITER.writeValueAsBytes(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- tree helpers

    /** Every textual and numeric leaf of a tree, with the name of the field holding it ({@code null} in arrays). */
    public static void leaves(JsonNode node, String field, java.util.function.BiConsumer<String, JsonNode> out) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                leaves(e.getValue(), e.getKey(), out);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                leaves(item, field, out);
            }
        } else {
            out.accept(field, node);
        }
    }

    /** Every field name of a tree. */
    public static void keys(JsonNode node, java.util.Set<String> out) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(out::add);
        }
        for (JsonNode child : node) {
            keys(child, out);
        }
    }

    private static ArrayNode array(List<JsonNode> items) {
        ArrayNode a = F.arrayNode();
        items.forEach(a::add);
        return a;
    }

    private static ObjectNode objectOf(Map<String, JsonNode> fields) {
        ObjectNode o = F.objectNode();
        fields.forEach(o::set);
        return o;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A place in a tree: an object field or an array element. */
    private interface Slot {
        JsonNode get();

        void set(JsonNode value);

        void remove();
    }

    private static List<Slot> slots(JsonNode root) {
        List<Slot> out = new ArrayList<>();
        collectSlots(root, out, 0);
        return out;
    }

    private static void collectSlots(JsonNode node, List<Slot> out, int depth) {
        if (depth > 64) {
            return;
        }
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                out.add(new Slot() {
                    public JsonNode get() {
                        return o.get(name);
                    }

                    public void set(JsonNode value) {
                        o.set(name, value);
                    }

                    public void remove() {
                        o.remove(name);
                    }
                });
                collectSlots(o.get(name), out, depth + 1);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                int index = i;
                JsonNode item = a.get(i);
                out.add(new Slot() {
                    public JsonNode get() {
                        return index < a.size() ? a.get(index) : F.nullNode();
                    }

                    public void set(JsonNode value) {
                        if (index < a.size()) {
                            a.set(index, value);
                        }
                    }

                    public void remove() {
                        if (index < a.size()) {
                            a.remove(index);
                        }
                    }
                });
                collectSlots(item, out, depth + 1);
            }
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> out) {
        if (node instanceof ObjectNode o) {
            out.add(o);
        }
        if (node != null && node.isContainerNode() && out.size() < 10_000) {
            for (JsonNode child : node) {
                collectObjects(child, out);
            }
        }
    }
}
