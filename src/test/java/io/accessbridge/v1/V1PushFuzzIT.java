package io.accessbridge.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.bench.BridgeProcess;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.RawInput;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.privacy.PrivacyPolicy;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.Fixtures;
import io.accessbridge.testing.RunningBridge;
import io.accessbridge.testing.fuzz.BadJson;
import io.accessbridge.testing.fuzz.BadJson.ByteEdit;
import io.accessbridge.testing.fuzz.BadJson.Mutation;
import io.accessbridge.testing.fuzz.FormBodies;
import io.accessbridge.testing.fuzz.FormBodies.Form;
import io.accessbridge.testing.fuzz.FuzzRun;
import io.accessbridge.testing.fuzz.GoodDeviceLoop;
import io.accessbridge.testing.fuzz.NormalizerOutcomes;
import io.accessbridge.testing.fuzz.QuarantineIndex;
import io.accessbridge.testing.fuzz.RawHttp;
import io.accessbridge.testing.fuzz.RawHttp.Answer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Bad-input suite against a running bridge over real HTTP: mutated and malformed v1 pushes, wrong
 * content types, form and multipart bodies, bodies beyond {@code camel.server.max-body-size}, empty
 * bodies, bodies trickled byte by byte over a raw socket or cut off, other methods, odd device paths;
 * while a good device keeps pushing valid records. Every answer follows the v1 protocol (200 only for
 * events the normaliser accepts, 400/415 with {@code code} equal to the status, 413 and 405 from the HTTP
 * server), every rejected body is in {@code access.quarantine} exactly as sent and once, every
 * accepted record is in {@code access.events.all} exactly once, and the bridge stays ready.
 */
class V1PushFuzzIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Small, so that oversized bodies are cheap to send. */
    private static final int MAX_BODY = 16_384;
    private static final List<String> FIXTURES = List.of("v1/000-recognition.json", "v1/001-recognition.json",
            "v1/002-recognition.json", "v1/002-alarm.json", "v1/003-recognition.json");
    private static final V1EventNormalizer ORACLE = new V1EventNormalizer(PrivacyPolicy.DEFAULT);
    private static final String BASE_PATH = "/v1/events";
    /** Content types the HTTP server would decode as a form if the bridge did not keep the body first. */
    private static final List<String> FORM_TYPES = List.of(FormBodies.URLENCODED, FormBodies.MULTIPART);
    /** The answer to every form or multipart push (it is not JSON). */
    private static final String FORM_REPLY =
            "{\"code\":415,\"msg\":\"invalid event: content type must be application/json\",\"data\":null}";

    private static Path dataDir;
    private static RunningBridge bridge;
    private static EventCollector all;
    private static HttpClient http;
    private static GoodDevice goodDevice;

    /** Ids answered 200 (they must be stored exactly once). */
    private static final Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
    /** SHA-256 of bodies answered 400/415 (each must be in quarantine exactly once). */
    private static final Set<String> rejectedBodies = ConcurrentHashMap.newKeySet();
    /** SHA-256 of bodies never read (413, 405, cut off): not in quarantine unless also rejected. */
    private static final Set<String> unreadBodies = ConcurrentHashMap.newKeySet();
    private static QuarantineIndex quarantined;

    @BeforeContainer
    static void startBridge() throws Exception {
        dataDir = Files.createTempDirectory("v1-push-fuzz");
        bridge = RunningBridge.start(dataDir, Map.of("camel.server.max-body-size", String.valueOf(MAX_BODY)));
        all = EventCollector.consume(bridge.brokerUrl(), "access.events.all");
        quarantined = QuarantineIndex.consume(bridge.brokerUrl(), "access.quarantine");
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        goodDevice = new GoodDevice();
        goodDevice.start();
    }

    @AfterContainer
    static void checkTheWholeRunAndStop() throws Exception {
        try {
            if (goodDevice == null) {
                return; // the set-up failed, and its error is the one to report
            }
            goodDevice.stop();
            assertThat(goodDevice.failures).as("answers to the good device other than 200").isEmpty();
            assertThat(goodDevice.stored.size()).as("records of the good device").isGreaterThan(0);
            acceptedIds.addAll(goodDevice.stored);
            await("every accepted record in access.events.all", () -> all.ids().containsAll(acceptedIds));
            await("every rejected body in access.quarantine",
                    () -> quarantined.counts().keySet().containsAll(rejectedBodies));
            Thread.sleep(300); // late copies, if any, would arrive now
            assertThat(all.duplicates()).as("events stored more than once").isEmpty();
            assertThat(all.ids()).as("events stored that no push was answered 200 for").isSubsetOf(acceptedIds);
            Map<String, Integer> q = quarantined.counts();
            assertThat(q.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                    .as("the same bytes quarantined twice").isEmpty();
            Set<String> neverRead = new HashSet<>(unreadBodies);
            neverRead.removeAll(rejectedBodies);
            assertThat(q.keySet()).as("bodies quarantined although never read (413, 405, cut off)")
                    .doesNotContainAnyElementsOf(neverRead);
            FuzzRun.assertReady(http, bridge.baseUrl());
        } finally {
            if (all != null) {
                all.close();
            }
            if (quarantined != null) {
                quarantined.close();
            }
            if (bridge != null) {
                bridge.close();
            }
            BridgeProcess.deleteTree(dataDir);
        }
    }

    // ---------------------------------------------------------------- what is sent

    /** How a push travels. */
    enum Transport {
        /** The JDK client, Content-Length. */
        POST,
        /** A raw socket, the body one byte (or a few) per write with pauses. */
        TRICKLE,
        /** A raw socket that announces the body, sends half of it and closes. */
        CUT_OFF,
        /** GET, PUT, DELETE or PATCH instead of POST. */
        OTHER_METHOD
    }

    /**
     * One bad (or not so bad) push.
     *
     * @param contentType {@code null} for no Content-Type header
     * @param repeat      sent twice, as a device that got no 200 does
     */
    record Push(Transport transport, byte[] body, String contentType, String path, String method, boolean repeat) {

        @Override
        public String toString() {
            String text = new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8);
            return "Push[" + transport + " " + method + " " + path + ", Content-Type " + contentType + ", repeat "
                    + repeat + ", " + body.length + " bytes: " + text + (body.length > 400 ? "..." : "") + "]";
        }
    }

    @Provide
    Arbitrary<Push> pushes() {
        Arbitrary<JsonNode> fixture = Arbitraries.of(FIXTURES).map(Fixtures::json);
        Arbitrary<List<Mutation>> mutations = BadJson.mutations(BadJson.V1_FIELDS);
        Arbitrary<List<ByteEdit>> edits = BadJson.byteEdits();
        Arbitrary<byte[]> body = Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(fixture, mutations).as((f, m) -> BadJson.bytes(BadJson.mutate(f, m)))),
                Tuple.of(4, BadJson.v1ShapedEnvelope().map(BadJson::bytes)),
                Tuple.of(2, Combinators.combine(Arbitraries.of(FIXTURES).map(Fixtures::bytes), edits).as(BadJson::edit)),
                Tuple.of(1, BadJson.anyJson(3, BadJson.V1_FIELDS).map(BadJson::bytes)),
                Tuple.of(1, Arbitraries.of(FIXTURES).map(Fixtures::bytes)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300)),
                Tuple.of(1, Arbitraries.just(new byte[0])),
                Tuple.of(1, oversized()));
        Arbitrary<String> contentType = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just("application/json")),
                Tuple.of(4, Arbitraries.of("application/json; charset=utf-8", "text/plain", "text/json",
                        "APPLICATION/JSON", "application/json;charset=ISO-8859-1", "application/jsonl")),
                Tuple.of(2, Arbitraries.just((String) null)),
                Tuple.of(3, Arbitraries.of("application/xml", "text/html", "application/octet-stream", "image/jpeg",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
                        "application/cloudevents+json", "%%%", "json")));
        Arbitrary<String> path = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(BASE_PATH)),
                Tuple.of(3, Arbitraries.just(BASE_PATH + "/fuzz-device")),
                Tuple.of(3, Arbitraries.of(BASE_PATH + "/", BASE_PATH + "/a/b", BASE_PATH + "/" + "x".repeat(65),
                        BASE_PATH + "/%C3%A9t%C3%A9", BASE_PATH + "/ok.id_1-2?q=1", BASE_PATH + "?debug=1",
                        BASE_PATH + "/..%2F..", BASE_PATH + "/x%00y", BASE_PATH + "//double", BASE_PATH + "/a%20b")));
        Arbitrary<Transport> transport = Arbitraries.frequencyOf(
                Tuple.of(24, Arbitraries.just(Transport.POST)), Tuple.of(1, Arbitraries.just(Transport.TRICKLE)),
                Tuple.of(1, Arbitraries.just(Transport.CUT_OFF)), Tuple.of(2, Arbitraries.just(Transport.OTHER_METHOD)));
        Arbitrary<String> method = Arbitraries.of("GET", "PUT", "DELETE", "PATCH");
        Arbitrary<Boolean> repeat = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(false)),
                Tuple.of(1, Arbitraries.just(true)));
        Arbitrary<Push> anyBody = Combinators.combine(transport, body, contentType, path, method, repeat)
                .as((t, b, ct, p, m, r) -> new Push(t, t == Transport.TRICKLE || t == Transport.CUT_OFF ? shorten(b) : b,
                        ct, p, t == Transport.OTHER_METHOD ? m : "POST", r));
        Arbitrary<Form> form = Arbitraries.frequencyOf(
                Tuple.of(8, FormBodies.forms(Arbitraries.of(FIXTURES).map(Fixtures::bytes))),
                Tuple.of(1, Arbitraries.integers().between(MAX_BODY + 1, 60_000).map(FormBodies::oversizedMultipart)),
                Tuple.of(1, Arbitraries.integers().between(MAX_BODY + 1, 60_000).map(FormBodies::oversizedForm)));
        Arbitrary<Push> formBody = Combinators.combine(transport, form, path, method, repeat).as((t, f, p, m, r) ->
                new Push(t, t == Transport.TRICKLE || t == Transport.CUT_OFF ? shorten(f.body()) : f.body(),
                        f.contentType(), p, t == Transport.OTHER_METHOD ? m : "POST", r));
        return Arbitraries.frequencyOf(Tuple.of(6, anyBody), Tuple.of(1, formBody));
    }

    /** Trickled bodies stay small: a byte per write costs time. */
    private static byte[] shorten(byte[] body) {
        return body.length <= 600 ? body : java.util.Arrays.copyOf(body, 600);
    }

    /** A JSON record padded to around the size limit, and beyond it. */
    private static Arbitrary<byte[]> oversized() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(MAX_BODY - 1, MAX_BODY, MAX_BODY + 1)),
                Tuple.of(2, Arbitraries.integers().between(MAX_BODY + 1, 120_000)))
                .map(size -> {
                    ObjectNode doc = (ObjectNode) Fixtures.json("v1/003-recognition.json");
                    ((ObjectNode) doc.get("data")).put("uuid", UUID.randomUUID().toString());
                    byte[] base = BadJson.bytes(doc);
                    String text = new String(base, StandardCharsets.UTF_8);
                    int pad = Math.max(0, size - base.length - ",\"pad\":\"\"".length());
                    byte[] out = (text.substring(0, text.length() - 1) + ",\"pad\":\"" + "p".repeat(pad) + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    return out;
                });
    }

    // ---------------------------------------------------------------- the property

    /** What the bridge must answer, worked out with the bridge's own parser and normaliser. */
    record Expected(int status, String eventId) {
    }

    static Expected expected(Push push) {
        if (!push.method().equals("POST")) {
            return new Expected(405, null);
        }
        if (push.body().length > MAX_BODY) {
            return new Expected(413, null);
        }
        String ct = push.contentType();
        if (ct != null && !ct.isBlank()) {
            String lower = ct.toLowerCase();
            if (!lower.startsWith("application/json") && !lower.startsWith("text/json") && !lower.startsWith("text/plain")) {
                return new Expected(415, null);
            }
        }
        try {
            JsonNode json = RawInput.parseJson(push.body());
            SourceContext ctx = SourceContext.of(V1PushReceiver.CHANNEL, "127.0.0.1");
            String deviceId = pathDeviceId(push.path());
            if (deviceId != null) {
                ctx = ctx.withDevice(deviceId, null, null, null);
            }
            NormalizedEvent event = ORACLE.normalize(json, ctx);
            return new Expected(200, event.event().id());
        } catch (InvalidEventException e) {
            return new Expected(400, null);
        }
    }

    /** The device id a push path names, as the receiver reads it; throws for an invalid one. */
    private static String pathDeviceId(String path) {
        int q = path.indexOf('?');
        String rest = (q >= 0 ? path.substring(0, q) : path).substring(BASE_PATH.length());
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        if (rest.isEmpty()) {
            return null;
        }
        if (rest.contains("/") || !rest.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new InvalidEventException("device id in the path");
        }
        return rest;
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void everyPushIsAnsweredPerProtocolKeptAsSentAndTheGoodDeviceIsStillServed(@ForAll("pushes") Push push)
            throws Exception {
        if (push.transport() == Transport.CUT_OFF && push.body().length == 0) {
            // half of nothing is nothing: Content-Length 0 is a whole request, answered and kept like any other
            push = new Push(Transport.POST, push.body(), push.contentType(), push.path(), push.method(), push.repeat());
        }
        Expected expected = expected(push);
        String answerClass = push.transport() == Transport.CUT_OFF ? "cut off" : String.valueOf(expected.status());
        Statistics.label("answer").collect(answerClass);
        Statistics.label("answer").coverage(c -> {
            c.check("200").percentage(p -> p >= 5);
            c.check("400").percentage(p -> p >= 20);
            c.check("415").percentage(p -> p >= 3);
            c.check("413").percentage(p -> p >= 1);
            c.check("405").percentage(p -> p >= 1);
        });
        Statistics.label("form").collect(isForm(push.contentType()) ? "form " + answerClass : "other");
        Statistics.label("form").coverage(c -> {
            // about 30 and 7 of 300 on average; the example below sends every kind of form body anyway
            c.check("form 415").percentage(p -> p >= 3);
            c.check("form 413").percentage(p -> p > 0);
        });
        Statistics.label("transport").collect(push.transport());
        Statistics.label("transport").coverage(c -> {
            c.check(Transport.TRICKLE).percentage(p -> p >= 0.5);
            c.check(Transport.CUT_OFF).percentage(p -> p >= 0.5);
        });
        int rounds = push.repeat() ? 2 : 1;
        for (int round = 0; round < rounds; round++) {
            Answer answer = send(push);
            if (push.transport() == Transport.CUT_OFF) {
                if (push.body().length > 1) {
                    unreadBodies.add(RawInput.sha256(java.util.Arrays.copyOf(push.body(), push.body().length / 2)));
                }
                break;
            }
            checkAnswer(push, expected, answer);
        }
        switch (push.transport() == Transport.CUT_OFF ? 0 : expected.status()) {
            case 0 -> {
                // cut off: nothing was answered, nothing may be kept (checked at the end)
            }
            case 200 -> {
                acceptedIds.add(expected.eventId());
                await("event " + expected.eventId() + " stored", () -> all.ids().contains(expected.eventId()));
            }
            case 400, 415 -> {
                if (push.body().length > 0) {
                    assertQuarantined(push.body());
                }
            }
            default -> {
                if (push.body().length > 0) {
                    unreadBodies.add(RawInput.sha256(push.body()));
                }
            }
        }
        assertThat(goodDevice.failures).as("answers to the good device other than 200").isEmpty();
        goodDevice.pushOne();
        FuzzRun.assertReady(http, bridge.baseUrl());
    }

    /**
     * Every kind of form and multipart body (see {@link FormBodies#cases}), each sent twice with
     * Content-Length to the push path with and without a device id, and form bodies sent chunked, trickled
     * over a raw socket and after {@code Expect: 100-continue}: answered 415 in the v1 shape, kept in
     * {@code access.quarantine} byte for byte and once; over the size limit (announced or chunked): 413 and
     * not kept.
     */
    @Example
    void formAndMultipartBodiesAreAnswered415AndKeptAsSentOnce() throws Exception {
        List<Form> cases = new ArrayList<>(FormBodies.cases(Fixtures.bytes("v1/001-recognition.json")));
        for (Form form : cases) {
            for (String path : List.of(BASE_PATH, BASE_PATH + "/fuzz-device")) {
                for (int round = 0; round < 2; round++) {
                    Push push = new Push(Transport.POST, form.body(), form.contentType(), path, "POST", false);
                    checkFormAnswer(form, send(push));
                }
            }
            if (form.body().length > 0) {
                QuarantineIndex.Kept kept = assertQuarantined(form.body());
                assertThat(kept.reason()).as("reason for %s", form)
                        .isEqualTo("content type must be application/json");
            }
        }
        Form multipart = cases.stream().filter(f -> f.what().contains("file part")).findFirst().orElseThrow();
        Form chunked = new Form("multipart sent chunked", multipart.contentType(),
                java.util.Arrays.copyOf(multipart.body(), multipart.body().length - 1));
        checkFormAnswer(chunked, sendChunked(chunked));
        assertQuarantined(chunked.body());
        Form trickled = new Form("multipart trickled", multipart.contentType(),
                java.util.Arrays.copyOf(multipart.body(), 580));
        checkFormAnswer(trickled, send(new Push(Transport.TRICKLE, trickled.body(), trickled.contentType(), BASE_PATH,
                "POST", false)));
        assertQuarantined(trickled.body());
        Form expecting = new Form("form sent with Expect: 100-continue", FormBodies.URLENCODED,
                "type=recognition&expect=100-continue".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> continued = http.send(HttpRequest.newBuilder(URI.create(bridge.baseUrl() + BASE_PATH))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", expecting.contentType()).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(expecting.body())).build(), HttpResponse.BodyHandlers.ofString());
        checkFormAnswer(expecting, new Answer(continued.statusCode(), continued.body()));
        assertQuarantined(expecting.body());

        List<Form> oversized = List.of(FormBodies.oversizedMultipart(MAX_BODY), FormBodies.oversizedForm(MAX_BODY),
                FormBodies.oversizedMultipart(5 * MAX_BODY));
        for (Form form : oversized) {
            assertThat(form.body().length).isGreaterThan(MAX_BODY);
            unreadBodies.add(RawInput.sha256(form.body()));
            assertThat(send(new Push(Transport.POST, form.body(), form.contentType(), BASE_PATH, "POST", false)).status())
                    .as("status for %s", form).isEqualTo(413);
        }
        Form bigChunked = FormBodies.oversizedMultipart(3 * MAX_BODY);
        unreadBodies.add(RawInput.sha256(bigChunked.body()));
        assertThat(sendChunked(bigChunked).status()).as("status for %s sent chunked", bigChunked).isEqualTo(413);

        Thread.sleep(300); // late copies, if any, would arrive now
        Map<String, Integer> q = quarantined.counts();
        for (Form form : cases) {
            if (form.body().length > 0) {
                assertThat(q.get(RawInput.sha256(form.body()))).as("copies of %s", form).isEqualTo(1);
            }
        }
        for (Form form : oversized) {
            assertThat(q).as("%s kept although never read", form).doesNotContainKey(RawInput.sha256(form.body()));
        }
        assertThat(q).doesNotContainKey(RawInput.sha256(bigChunked.body()));
        FuzzRun.assertReady(http, bridge.baseUrl());
    }

    private static void checkFormAnswer(Form form, Answer answer) throws IOException {
        assertThat(answer.status()).as("status for %s (body %s)", form, answer.body()).isEqualTo(415);
        assertThat(MAPPER.readTree(answer.body())).as("answer to %s", form).isEqualTo(MAPPER.readTree(FORM_REPLY));
    }

    /** POST with Transfer-Encoding: chunked (the JDK client does not know the length of a stream). */
    private static Answer sendChunked(Form form) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(bridge.baseUrl() + BASE_PATH))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(form.body())))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** Waits for the body in {@code access.quarantine} and checks the copy is byte for byte the body sent. */
    private static QuarantineIndex.Kept assertQuarantined(byte[] body) throws Exception {
        String sha = RawInput.sha256(body);
        rejectedBodies.add(sha);
        await("rejected body in quarantine", () -> quarantined.contains(sha));
        QuarantineIndex.Kept kept = quarantined.kept(sha);
        assertThat(kept.bytes()).isEqualTo(body);
        assertThat(kept.reason()).isNotBlank();
        assertThat(kept.channel()).isEqualTo(V1PushReceiver.CHANNEL);
        return kept;
    }

    private static boolean isForm(String contentType) {
        return contentType != null && FORM_TYPES.stream().anyMatch(contentType.trim().toLowerCase()::startsWith);
    }

    private static void checkAnswer(Push push, Expected expected, Answer answer) throws IOException {
        assertThat(answer.status()).as("status for %s (body %s)", push, answer.body()).isEqualTo(expected.status());
        if (expected.status() == 413 || expected.status() == 405) {
            return; // written by the HTTP server, not the bridge
        }
        JsonNode reply = MAPPER.readTree(answer.body());
        assertThat(reply.path("code").asInt()).as("code of %s", answer.body()).isEqualTo(expected.status());
        if (isForm(push.contentType())) {
            assertThat(reply).as("answer to %s", push).isEqualTo(MAPPER.readTree(FORM_REPLY));
        }
        if (expected.status() == 200) {
            assertThat(reply.path("msg").asText()).isEqualTo("success");
            assertThat(reply.path("data").isObject()).isTrue();
        } else {
            String msg = reply.path("msg").asText();
            assertThat(msg).startsWith("invalid event: ");
            assertThat(reply.get("data").isNull()).isTrue();
            JsonNode sent = parsedOrNull(push.body());
            for (String value : NormalizerOutcomes.valuesThatMustNotBeEchoed(sent, Set.of("type"))) {
                if (msg.contains(value)) {
                    fail("the answer '%s' repeats the pushed value '%s'", msg, value);
                }
            }
        }
    }

    private static JsonNode parsedOrNull(byte[] body) {
        try {
            return RawInput.parseJson(body);
        } catch (InvalidEventException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- transport

    private static Answer send(Push push) throws Exception {
        return switch (push.transport()) {
            case POST, OTHER_METHOD -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bridge.baseUrl() + push.path()))
                        .timeout(Duration.ofSeconds(20))
                        .method(push.method(), push.method().equals("GET") || push.method().equals("DELETE")
                                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(push.body()));
                if (push.contentType() != null) {
                    b.header("Content-Type", push.contentType());
                }
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                yield new Answer(r.statusCode(), r.body());
            }
            case TRICKLE -> RawHttp.send(null, port(), "POST", push.path(), push.contentType(), push.body(),
                    RawHttp.Mode.TRICKLE);
            case CUT_OFF -> RawHttp.send(null, port(), "POST", push.path(), push.contentType(), push.body(),
                    RawHttp.Mode.CUT_OFF);
        };
    }

    private static int port() {
        return URI.create(bridge.baseUrl()).getPort();
    }

    // ---------------------------------------------------------------- the good device and the bridge's health

    /** A device that pushes valid records, one in flight, as real devices do; counts every answer. */
    static final class GoodDevice extends GoodDeviceLoop {
        final Set<String> stored = ConcurrentHashMap.newKeySet();
        private final byte[] template = Fixtures.bytes("v1/003-recognition.json");

        GoodDevice() {
            super("good-device", 15);
        }

        @Override
        protected void step() throws Exception {
            pushOne();
        }

        /** Pushes one valid record and checks the answer is 200 with code 200. */
        void pushOne() throws Exception {
            String uuid = UUID.randomUUID().toString();
            byte[] record = new String(template, StandardCharsets.UTF_8)
                    .replace("f63cad1a-e12c-4ea6-8098-01e8240bfa5b", uuid).getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(bridge.pushUrl() + "/good-device"))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(record)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || MAPPER.readTree(r.body()).path("code").asInt() != 200) {
                failures.add(r.statusCode() + " " + r.body());
            } else {
                stored.add(uuid);
            }
        }
    }


    // ---------------------------------------------------------------- broker side



    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        FuzzRun.await(what, Duration.ofSeconds(15), condition);
    }
}
