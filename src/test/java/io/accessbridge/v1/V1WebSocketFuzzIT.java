package io.accessbridge.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.bench.BridgeProcess;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.RawInput;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.inventory.DeviceDirectory;
import io.accessbridge.inventory.DeviceDirectory.DeviceProfile;
import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1DeviceSimulator.FrameType;
import io.accessbridge.simulator.v1.V1Record;
import io.accessbridge.simulator.v1.V1RecordGenerator;
import io.accessbridge.simulator.v1.V1SimRuntime;
import io.accessbridge.status.DeviceState;
import io.accessbridge.status.DeviceStatus;
import io.accessbridge.status.DeviceStatusRegistry;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.Fixtures;
import io.accessbridge.testing.RunningBridge;
import io.accessbridge.testing.fuzz.BadJson;
import io.accessbridge.testing.fuzz.BadJson.ByteEdit;
import io.accessbridge.testing.fuzz.BadJson.Mutation;
import io.accessbridge.testing.fuzz.FuzzRun;
import io.accessbridge.testing.fuzz.GoodDeviceLoop;
import io.accessbridge.testing.fuzz.NormalizerOutcomes;
import io.accessbridge.testing.fuzz.QuarantineIndex;
import io.accessbridge.testing.fuzz.RememberSeed;
import io.accessbridge.v1.device.V1WebSocketClient;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Bad-input suite against a running bridge over a real WebSocket (spec 003): the bridge holds its
 * client on a simulated v1 device's {@code /v1/event}, and the device sends mutated and malformed
 * messages: spec records with fields dropped, retyped, added or nested deep, byte edits, text that
 * is not JSON or not UTF-8, empty messages, unknown types, binary frames, messages fragmented into continuation
 * frames (with pings between them), and messages near and beyond the client's 4 MiB frame and
 * message limit ({@link V1WebSocketClient#MAX_MESSAGE_BYTES}); a second device streams valid
 * records on its own connection throughout.
 *
 * <p>A WebSocket message has no answer, so the outcome of each is where it ends up, predicted with
 * the bridge's own parser and normaliser: an event in {@code access.events.all} exactly once, or
 * the message byte for byte in {@code access.quarantine} (channel {@code websocket}, the
 * normaliser's reason, the device id) once per distinct content. A message over the limit is
 * dropped without being read (nothing stored, nothing quarantined, counted as
 * {@code websocket.oversized}) and the connection stays up; a single frame over the limit makes
 * the WebSocket layer close the connection (1009, RFC 6455 7.4.1) and the bridge reconnects (the
 * device sends its next message once it has: records sent while a WebSocket is down are not
 * replayed, HTTP push is the durable channel). Binary messages are read like text ones; text that
 * is not UTF-8 is kept as received, the connection is not failed for it. Every other message
 * leaves the connection as it was: after each one the fuzzed device sends a valid record on the
 * same connection, which must be stored (messages are handled in order), and the bridge's connect
 * counter for the device must not have moved.
 */
class V1WebSocketFuzzIT {

    private static final String FUZZ = "WS-FUZZ";
    private static final String GOOD = "WS-GOOD";
    private static final int MAX = V1WebSocketClient.MAX_MESSAGE_BYTES;
    /** What the simulator's server puts in one frame when it sends a record (its own frame size limit). */
    private static final int DEVICE_FRAME = 4 * 1024 * 1024;
    private static final List<String> FIXTURES = List.of("v1/000-recognition.json", "v1/001-recognition.json",
            "v1/002-recognition.json", "v1/002-alarm.json", "v1/003-recognition.json");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Path dataDir;
    private static V1SimRuntime runtime;
    private static V1DeviceSimulator fuzz;
    private static V1DeviceSimulator good;
    private static RunningBridge bridge;
    private static EventCollector all;
    private static QuarantineIndex quarantined;
    private static HttpClient http;
    private static GoodDevice goodDevice;
    /** The bridge's own normaliser and inventory: the oracle. */
    private static V1EventNormalizer oracle;
    private static DeviceDirectory inventory;
    private static long startedNanos;

    /** Ids of events that must be stored exactly once. */
    private static final Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
    /** SHA-256 of messages that must be in quarantine exactly once. */
    private static final Set<String> rejectedBodies = ConcurrentHashMap.newKeySet();
    /** SHA-256 of messages that were never read (over the limit): not in quarantine unless also rejected. */
    private static final Set<String> unreadBodies = ConcurrentHashMap.newKeySet();
    /** Ids of events carried by messages that were never read: not stored unless also accepted. */
    private static final Set<String> unreadIds = ConcurrentHashMap.newKeySet();
    private static final Map<Outcome, AtomicLong> outcomes = Collections.synchronizedMap(new EnumMap<>(Outcome.class));
    private static final AtomicLong messagesSent = new AtomicLong();
    private static final AtomicLong quarantineSends = new AtomicLong();
    /** Messages the client must hand to the route (all but those over the limit). */
    private static final AtomicLong messagesRead = new AtomicLong();
    private static final AtomicLong oversizedSends = new AtomicLong();
    private static final AtomicLong expectedReconnects = new AtomicLong();
    private static final AtomicLong markers = new AtomicLong();
    private static final AtomicLong bytesSent = new AtomicLong();

    @BeforeContainer
    static void startBridge() throws Exception {
        startedNanos = System.nanoTime();
        dataDir = Files.createTempDirectory("v1-ws-fuzz");
        runtime = V1SimRuntime.create();
        fuzz = sim(FUZZ);
        good = sim(GOOD);
        // WebSocket only: the records are not also pushed over HTTP
        Path devices = V1DeviceBridge.inventory(dataDir, List.of(
                V1DeviceBridge.device(FUZZ, fuzz.baseUri().toString(), false, true, ""),
                V1DeviceBridge.device(GOOD, good.baseUri().toString(), false, true, "")));
        // pings far apart: a loaded machine must not make a half-open link out of a slow pong
        bridge = V1DeviceBridge.start(dataDir.resolve("data"), devices, false, Map.of(
                "bridge.v1.ws.ping-interval-ms", "2000", "bridge.v1.ws.pong-timeout-ms", "15000"));
        all = EventCollector.consume(bridge.brokerUrl(), "access.events.all");
        quarantined = QuarantineIndex.consume(bridge.brokerUrl(), "access.quarantine");
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        oracle = bridge.context().getRegistry().lookupByNameAndType("v1EventNormalizer", V1EventNormalizer.class);
        inventory = bridge.context().getRegistry().lookupByNameAndType("deviceInventory", DeviceDirectory.class);
        assertThat(oracle).isNotNull();
        assertThat(inventory).isNotNull();
        await("both devices connected", () -> connected(fuzz, FUZZ) && connected(good, GOOD));
        goodDevice = new GoodDevice();
        goodDevice.start();
    }

    private static V1DeviceSimulator sim(String serial) {
        return new V1DeviceSimulator(serial, V1DeviceSimulator.Options.defaults().withGenerator(
                V1RecordGenerator.Options.defaults().withSeed((long) serial.hashCode())
                        .withMix(V1RecordGenerator.Mix.only(V1RecordGenerator.Variant.FW002))), runtime).start();
    }

    @AfterContainer
    static void checkTheWholeRunAndStop() throws Exception {
        try {
            if (all != null) { // else the set-up failed, and its error is the one to report
                RememberSeed.naming(V1WebSocketFuzzIT::checkTheWholeRun);
            }
        } finally {
            if (all != null) {
                all.close();
            }
            if (quarantined != null) {
                quarantined.close();
            }
            V1DeviceBridge.close(bridge);
            if (fuzz != null) {
                fuzz.stop();
            }
            if (good != null) {
                good.stop();
            }
            if (runtime != null) {
                runtime.close();
            }
            BridgeProcess.deleteTree(dataDir);
        }
    }

    /** The checks over the whole run: once each, nothing but what was predicted, the devices still served. */
    private static void checkTheWholeRun() throws Exception {
        if (goodDevice != null) {
            goodDevice.stop();
            assertThat(goodDevice.failures).as("problems of the good device").isEmpty();
            assertThat(goodDevice.sent.size()).as("records of the good device").isGreaterThan(0);
            acceptedIds.addAll(goodDevice.sent);
        }
        await("every accepted record in access.events.all", () -> all.ids().containsAll(acceptedIds));
        await("every rejected message in access.quarantine",
                () -> quarantined.counts().keySet().containsAll(rejectedBodies));
        Thread.sleep(300); // late copies, if any, would arrive now
        assertThat(all.duplicates()).as("events stored more than once").isEmpty();
        assertThat(all.ids()).as("events stored that no message carried").isSubsetOf(acceptedIds);
        Set<String> neverStored = new HashSet<>(unreadIds);
        neverStored.removeAll(acceptedIds);
        assertThat(all.ids().stream().filter(neverStored::contains).toList()).as("events of messages over the limit")
                .isEmpty();
        Map<String, Integer> q = quarantined.counts();
        assertThat(q.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("the same bytes quarantined twice").isEmpty();
        assertThat(q.keySet()).as("quarantined bytes that are no message the device sent and the bridge read")
                .isSubsetOf(rejectedBodies);
        Set<String> neverRead = new HashSet<>(unreadBodies);
        neverRead.removeAll(rejectedBodies);
        assertThat(q.keySet().stream().filter(neverRead::contains).toList())
                .as("messages quarantined although never read").isEmpty();
        assertThat(counter(FUZZ, "websocket.quarantined")).as("websocket.quarantined of the fuzzed device")
                .isEqualTo(quarantineSends.get());
        assertThat(counter(FUZZ, "websocket.oversized")).as("websocket.oversized of the fuzzed device")
                .isEqualTo(oversizedSends.get());
        assertThat(counter(FUZZ, "websocket.frames")).as("messages the bridge read from the fuzzed device")
                .isEqualTo(messagesRead.get() + markers.get());
        assertThat(counter(FUZZ, "websocket.connects")).as("connections of the fuzzed device")
                .isEqualTo(1 + expectedReconnects.get());
        assertThat(counter(GOOD, "websocket.connects")).as("connections of the good device").isEqualTo(1);
        assertThat(counter(GOOD, "websocket.quarantined")).isZero();
        assertThat(state(FUZZ)).isEqualTo(DeviceState.CONNECTED);
        assertThat(state(GOOD)).isEqualTo(DeviceState.CONNECTED);
        assertThat(fuzz.maxConcurrentWsClients()).as("never two connections to the fuzzed device").isEqualTo(1);
        FuzzRun.assertReady(http, bridge.baseUrl());
        System.out.printf("V1WebSocketFuzzIT: %d messages (%d MB, %d valid markers) from %s, %d from %s;"
                        + " outcomes %s; stored %d distinct, quarantined %d distinct, %d reconnects; seed %s; %.1f s%n",
                messagesSent.get(), bytesSent.get() / 1_000_000, markers.get(), FUZZ, goodDevice.sent.size(), GOOD,
                outcomes, all.distinct(), q.size(), expectedReconnects.get(), RememberSeed.seed(),
                (System.nanoTime() - startedNanos) / 1e9);
    }

    // ---------------------------------------------------------------- what is sent

    /** How the device frames a message. */
    enum Delivery {
        /** As a device sends a record: {@code emit}, one text message (split only by the device's frame limit). */
        RECORD,
        /** One frame of any size, text or binary. */
        ONE_FRAME,
        /** Continuation frames, sometimes with pings between them. */
        FRAGMENTED
    }

    /**
     * One message.
     *
     * @param fragmentSize bytes per frame when fragmented
     * @param repeat       sent twice
     */
    record Frame(Delivery delivery, FrameType type, byte[] payload, int fragmentSize, boolean pingBetween,
                 boolean repeat) {

        /** The size of the largest frame that goes on the wire. */
        int largestFrame() {
            return switch (delivery) {
                case RECORD -> Math.min(payload.length, DEVICE_FRAME);
                case ONE_FRAME -> payload.length;
                case FRAGMENTED -> Math.min(payload.length, fragmentSize);
            };
        }

        @Override
        public String toString() {
            String text = new String(payload, 0, Math.min(payload.length, 400), StandardCharsets.UTF_8);
            return "Frame[" + delivery + " " + type + (delivery == Delivery.FRAGMENTED ? " by " + fragmentSize
                    + (pingBetween ? " with pings" : "") : "") + ", repeat " + repeat + ", " + payload.length
                    + " bytes: " + text + (payload.length > 400 ? "..." : "") + "]";
        }
    }

    @Provide
    Arbitrary<Frame> frames() {
        Arbitrary<JsonNode> fixture = Arbitraries.of(FIXTURES).map(Fixtures::json);
        Arbitrary<List<Mutation>> mutations = BadJson.mutations(BadJson.V1_FIELDS);
        Arbitrary<List<ByteEdit>> edits = BadJson.byteEdits();
        Arbitrary<byte[]> payload = Arbitraries.frequencyOf(
                Tuple.of(5, Combinators.combine(fixture, mutations).as((f, m) -> BadJson.bytes(BadJson.mutate(f, m)))),
                Tuple.of(4, BadJson.v1ShapedEnvelope().map(BadJson::bytes)),
                Tuple.of(3, Combinators.combine(Arbitraries.of(FIXTURES).map(Fixtures::bytes), edits).as(BadJson::edit)),
                Tuple.of(1, BadJson.anyJson(3, BadJson.V1_FIELDS).map(BadJson::bytes)),
                Tuple.of(2, Arbitraries.of(FIXTURES).map(Fixtures::bytes)),
                Tuple.of(2, unknownType()),
                Tuple.of(1, notJson()),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300)),
                Tuple.of(1, Arbitraries.just(new byte[0])),
                Tuple.of(3, huge()));
        Arbitrary<FrameType> type = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(FrameType.TEXT)),
                Tuple.of(1, Arbitraries.just(FrameType.BINARY)));
        Arbitrary<Delivery> delivery = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(Delivery.RECORD)),
                Tuple.of(3, Arbitraries.just(Delivery.ONE_FRAME)), Tuple.of(3, Arbitraries.just(Delivery.FRAGMENTED)));
        Arbitrary<Integer> fragment = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(1, 64)),
                Tuple.of(3, Arbitraries.integers().between(65, 4096)),
                Tuple.of(1, Arbitraries.integers().between(MAX / 4, MAX + 1)));
        Arbitrary<Boolean> ping = Arbitraries.of(true, false);
        Arbitrary<Boolean> repeat = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(false)),
                Tuple.of(1, Arbitraries.just(true)));
        // a message near the limit goes as a record, as one frame, in 3 frames or in frames as generated
        Arbitrary<Integer> bigFraming = Arbitraries.integers().between(0, 5);
        return Combinators.combine(payload, type, delivery, fragment, ping, repeat, bigFraming).as((p, t, d, frag, pg, r, big) -> {
            Delivery how = d;
            FrameType as = t;
            if (p.length > MAX / 2) {
                how = big < 2 ? Delivery.RECORD : big < 4 ? Delivery.ONE_FRAME : Delivery.FRAGMENTED;
                if (big == 4) {
                    frag = Math.max(1, p.length / 3);
                }
            }
            if (how == Delivery.RECORD && (as == FrameType.BINARY || !utf8(p))) {
                how = Delivery.ONE_FRAME; // a record is sent as text, and only text the device can hold as a string
            }
            if (how == Delivery.FRAGMENTED && p.length < 2) {
                how = Delivery.ONE_FRAME;
            }
            // at most about 200 fragments: each one is a frame on the wire
            int size = how == Delivery.FRAGMENTED ? Math.max(frag, (p.length + 199) / 200) : 0;
            return new Frame(how, as, p, size, pg, r);
        });
    }

    /** A spec record whose {@code type} is unknown or of another JSON type. */
    private static Arbitrary<byte[]> unknownType() {
        Arbitrary<JsonNode> type = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(2, 3, 7, -1, 255, 65_536).map(i -> (JsonNode) JsonNodeFactory.instance.numberNode(i))),
                Tuple.of(2, Arbitraries.of("0", "1", "alarm", "recognition", "", " 0").map(s -> (JsonNode) JsonNodeFactory.instance.textNode(s))),
                Tuple.of(2, BadJson.anyScalar()));
        return Combinators.combine(Arbitraries.of(FIXTURES).map(Fixtures::json), type).as((f, t) -> {
            ObjectNode doc = (ObjectNode) f.deepCopy();
            doc.set("type", t);
            return BadJson.bytes(doc);
        });
    }

    /** Text that is not JSON: words, unicode, a JSON record cut short or with trailing junk, whitespace. */
    private static Arbitrary<byte[]> notJson() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, BadJson.unicodeText(200).map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.of("hello", "ping", "{", "}", "[]", "null", "true", "0", " ", "\n", "\u0000",
                        "{\"type\":0,\"data\":{}}{", "{\"type\":0}garbage", "'single'", "<xml/>", "\uFEFF{}")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8))));
    }

    /** Messages near and beyond the client's limit: a valid record padded to size, or plain text. */
    private static Arbitrary<byte[]> huge() {
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(MAX - 1, MAX, MAX + 1)),
                Tuple.of(1, Arbitraries.integers().between(MAX - 200_000, MAX - 2)),
                Tuple.of(3, Arbitraries.integers().between(MAX + 2, 2 * MAX + (1 << 20))));
        return Combinators.combine(size, Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(true)),
                Tuple.of(1, Arbitraries.just(false)))).as(V1WebSocketFuzzIT::huge);
    }

    /** {@code n} bytes: a valid record (fresh uuid) padded with an unknown field, or {@code x} repeated. */
    private static byte[] huge(int n, boolean record) {
        if (!record) {
            byte[] text = new byte[n];
            java.util.Arrays.fill(text, (byte) 'x');
            return text;
        }
        ObjectNode doc = (ObjectNode) Fixtures.json("v1/003-recognition.json");
        ((ObjectNode) doc.get("data")).put("uuid", UUID.randomUUID().toString());
        String text = new String(BadJson.bytes(doc), StandardCharsets.UTF_8);
        int pad = Math.max(0, n - text.getBytes(StandardCharsets.UTF_8).length - ",\"pad\":\"\"".length());
        return (text.substring(0, text.length() - 1) + ",\"pad\":\"" + "p".repeat(pad) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static boolean utf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- the property

    /** Where a message ends up. */
    enum Outcome {
        /** An event in access.events.all. */
        STORED,
        /** The message in access.quarantine. */
        QUARANTINED,
        /** Over the message limit: dropped unread, counted; the connection stays. */
        OVERSIZED,
        /** A frame over the frame limit: the connection is closed (1009) and opened again. */
        RECONNECTED
    }

    /** What must happen, worked out with the bridge's own parser and normaliser. */
    record Expected(Outcome outcome, String eventId, String reason) {
    }

    static Expected expected(Frame frame) {
        if (frame.largestFrame() > MAX) {
            return new Expected(Outcome.RECONNECTED, null, null);
        }
        if (frame.payload().length > MAX) {
            return new Expected(Outcome.OVERSIZED, null, null);
        }
        DeviceProfile p = inventory.byId(FUZZ).orElseThrow();
        SourceContext ctx = SourceContext.of(V1WsReceiver.CHANNEL, "127.0.0.1")
                .withDevice(p.id(), p.site(), p.door(), p.direction());
        try {
            JsonNode parsed = RawInput.parseJson(frame.payload());
            NormalizerOutcomes.Outcome o = NormalizerOutcomes.check(parsed, () -> oracle.normalize(parsed, ctx),
                    Set.of("type"));
            if (o.accepted()) {
                return new Expected(Outcome.STORED, o.event().event().id(), null);
            }
            return new Expected(Outcome.QUARANTINED, null, o.rejection().getMessage());
        } catch (InvalidEventException e) {
            return new Expected(Outcome.QUARANTINED, null, e.getMessage());
        }
    }

    @AddLifecycleHook(RememberSeed.class)
    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void everyMessageEndsUpWhereTheNormaliserSaysOnceAndTheConnectionsStay(@ForAll("frames") Frame frame)
            throws Exception {
        Expected expected = throwAndCheck(frame);
        Statistics.label("outcome").collect(expected.outcome());
        Statistics.label("outcome").coverage(c -> {
            c.check(Outcome.STORED).percentage(p -> p >= 5);
            c.check(Outcome.QUARANTINED).percentage(p -> p >= 30);
            c.check(Outcome.OVERSIZED).percentage(p -> p >= 0.3);
            c.check(Outcome.RECONNECTED).percentage(p -> p >= 0.3);
        });
        Statistics.label("delivery").collect(frame.delivery());
        Statistics.label("delivery").coverage(c -> {
            c.check(Delivery.FRAGMENTED).percentage(p -> p >= 5);
            c.check(Delivery.ONE_FRAME).percentage(p -> p >= 5);
        });
    }

    // ---------------------------------------------------------------- regression cases

    /** A text message that is not UTF-8 is kept as sent (it was decoded and re-encoded with U+FFFD). */
    @Example
    void textThatIsNotUtf8IsQuarantinedAsSent() throws Exception {
        byte[] bytes = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '0', ',', '"', 'd', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertThat(throwAndCheck(new Frame(Delivery.ONE_FRAME, FrameType.TEXT, bytes, 0, false, false)).outcome())
                .isEqualTo(Outcome.QUARANTINED);
        byte[] split = BadJson.edit(Fixtures.bytes("v1/003-recognition.json"), List.of(new ByteEdit(1, 300, 0, (byte) 0x80)));
        throwAndCheck(new Frame(Delivery.FRAGMENTED, FrameType.TEXT, split, 7, true, true));
    }

    /** A message over the limit is dropped whole and counted, its tail included; the connection stays. */
    @Example
    void messageOverTheLimitIsDroppedWholeCountedAndTheConnectionStays() throws Exception {
        byte[] big = new byte[2 * MAX + 10]; // the device sends it in 3 frames: 4 MiB, 4 MiB, 10 bytes
        java.util.Arrays.fill(big, (byte) 'x');
        assertThat(throwAndCheck(new Frame(Delivery.RECORD, FrameType.TEXT, big, 0, false, false)).outcome())
                .isEqualTo(Outcome.OVERSIZED);
        byte[] record = huge(MAX + 1, true);
        assertThat(throwAndCheck(new Frame(Delivery.FRAGMENTED, FrameType.BINARY, record, 65_536, true, true)).outcome())
                .isEqualTo(Outcome.OVERSIZED);
        assertThat(throwAndCheck(new Frame(Delivery.FRAGMENTED, FrameType.TEXT, huge(MAX, true), MAX / 3, false, false))
                .outcome()).isEqualTo(Outcome.STORED);
    }

    /** A single frame over the limit: the WebSocket layer closes the connection (1009), the bridge reconnects. */
    @Example
    void frameOverTheLimitClosesTheConnectionAndTheBridgeReconnects() throws Exception {
        assertThat(throwAndCheck(new Frame(Delivery.ONE_FRAME, FrameType.TEXT, huge(MAX + 1, true), 0, false, false))
                .outcome()).isEqualTo(Outcome.RECONNECTED);
    }

    /** The bridge reads binary messages like text ones (spec 003 only has text), and joins fragments. */
    @Example
    void binaryAndFragmentedRecordsAreStored() throws Exception {
        byte[] record = Fixtures.bytes("v1/002-alarm.json");
        assertThat(throwAndCheck(new Frame(Delivery.ONE_FRAME, FrameType.BINARY, record, 0, false, false)).outcome())
                .isEqualTo(Outcome.STORED);
        // one byte per frame, so that the two bytes of every non-ASCII character are split
        assertThat(throwAndCheck(new Frame(Delivery.FRAGMENTED, FrameType.TEXT, Fixtures.bytes("v1/003-recognition.json"),
                1, true, false)).outcome()).isEqualTo(Outcome.STORED);
    }

    /** Sends one message (twice if asked), checks where it ended up; returns what was predicted. */
    private static Expected throwAndCheck(Frame frame) throws Exception {
        Expected expected = expected(frame);
        outcomes.computeIfAbsent(expected.outcome(), k -> new AtomicLong()).incrementAndGet();
        String sha = RawInput.sha256(frame.payload());
        int rounds = frame.repeat() ? 2 : 1;
        for (int round = 0; round < rounds; round++) {
            await(FUZZ + " connected", () -> connected(fuzz, FUZZ));
            long connects = counter(FUZZ, "websocket.connects");
            long oversized = counter(FUZZ, "websocket.oversized");
            send(frame);
            switch (expected.outcome()) {
                case RECONNECTED -> {
                    expectedReconnects.incrementAndGet();
                    await(FUZZ + " reconnected after a frame over the limit",
                            () -> counter(FUZZ, "websocket.connects") == connects + 1 && connected(fuzz, FUZZ));
                }
                case OVERSIZED -> {
                    oversizedSends.incrementAndGet();
                    await("message over the limit counted", () -> counter(FUZZ, "websocket.oversized") == oversized + 1);
                }
                case QUARANTINED -> {
                    quarantineSends.incrementAndGet();
                    messagesRead.incrementAndGet();
                }
                case STORED -> messagesRead.incrementAndGet();
            }
            // a valid record on the same connection: stored, hence every message before it was handled
            String marker = marker();
            await("the record after " + frame + " stored", () -> all.ids().contains(marker));
            assertThat(counter(FUZZ, "websocket.connects")).as("connections after %s", frame)
                    .isEqualTo(connects + (expected.outcome() == Outcome.RECONNECTED ? 1 : 0));
        }
        switch (expected.outcome()) {
            case STORED -> {
                acceptedIds.add(expected.eventId());
                await("event " + expected.eventId() + " stored", () -> all.ids().contains(expected.eventId()));
            }
            case QUARANTINED -> {
                rejectedBodies.add(sha);
                await("rejected message in quarantine", () -> quarantined.contains(sha));
                QuarantineIndex.Kept kept = quarantined.kept(sha);
                assertThat(kept.bytes()).as("quarantined bytes of %s", frame).isEqualTo(frame.payload());
                assertThat(kept.reason()).as("reason for %s", frame).isEqualTo(expected.reason());
                assertThat(kept.channel()).isEqualTo(V1WsReceiver.CHANNEL);
                assertThat(kept.deviceId()).isEqualTo(FUZZ);
            }
            case OVERSIZED, RECONNECTED -> {
                unreadBodies.add(sha);
                unreadIds.add(idIfValid(frame.payload()));
                assertThat(quarantined.contains(sha)).as("a message over the limit is kept").isFalse();
            }
        }
        assertThat(goodDevice.failures).as("problems of the good device").isEmpty();
        assertThat(counter(GOOD, "websocket.connects")).as("connections of the good device").isEqualTo(1);
        FuzzRun.assertReady(http, bridge.baseUrl());
        return expected;
    }

    private static String idIfValid(byte[] payload) {
        try {
            JsonNode json = RawInput.parseJson(payload);
            DeviceProfile p = inventory.byId(FUZZ).orElseThrow();
            return oracle.normalize(json, SourceContext.of(V1WsReceiver.CHANNEL, "127.0.0.1")
                    .withDevice(p.id(), p.site(), p.door(), p.direction())).event().id();
        } catch (InvalidEventException e) {
            return "none";
        }
    }

    private static void send(Frame frame) {
        messagesSent.incrementAndGet();
        bytesSent.addAndGet(frame.payload().length);
        int written = switch (frame.delivery()) {
            case RECORD -> emitWhenWritable(() -> fuzz.emit(new V1Record(V1RecordGenerator.Variant.FW002, 0, "fuzz",
                    new String(frame.payload(), StandardCharsets.UTF_8), JsonNodeFactory.instance.objectNode())))
                    != null ? fuzz.currentWsClients() : 0;
            case ONE_FRAME -> fuzz.sendMessage(frame.type(), frame.payload(), 0, false);
            case FRAGMENTED -> fuzz.sendMessage(frame.type(), frame.payload(), frame.fragmentSize(), frame.pingBetween());
        };
        assertThat(written).as("clients the device wrote %s to", frame).isEqualTo(1);
    }

    /**
     * Emits a record from the fuzzed device, again if the device dropped it because its write queue
     * to the bridge was still full of a big message (as a device does for a slow client).
     */
    private static V1Record emitWhenWritable(java.util.function.Supplier<java.util.Optional<V1Record>> emit) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long dropped = fuzz.stats().wsFramesDropped();
            V1Record r = emit.get().orElseThrow();
            if (fuzz.stats().wsFramesDropped() == dropped) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                fail("the fuzzed device could not write to the bridge for " + WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Sends a generated valid record from the fuzzed device; returns its expected event id. */
    private static String marker() {
        V1Record r = emitWhenWritable(fuzz::emit);
        markers.incrementAndGet();
        String id = idOf(r, FUZZ);
        acceptedIds.add(id);
        return id;
    }

    /** The event id of a simulator record, by the bridge's normaliser (it must accept it). */
    private static String idOf(V1Record r, String deviceId) {
        DeviceProfile p = inventory.byId(deviceId).orElseThrow();
        return oracle.normalize(RawInput.parseJson(r.json().getBytes(StandardCharsets.UTF_8)),
                SourceContext.of(V1WsReceiver.CHANNEL, "127.0.0.1").withDevice(p.id(), p.site(), p.door(), p.direction()))
                .event().id();
    }

    // ---------------------------------------------------------------- the good device and the bridge's health

    /** A device that streams valid records on its own connection; every one must be stored once. */
    static final class GoodDevice extends GoodDeviceLoop {
        final Set<String> sent = ConcurrentHashMap.newKeySet();

        GoodDevice() {
            super("good-ws-device", 20);
        }

        @Override
        protected void step() {
            if (good.currentWsClients() != 1) {
                throw new AssertionError("the good device has " + good.currentWsClients() + " WebSocket clients");
            }
            long dropped = good.stats().wsFramesDropped();
            V1Record r = good.emit().orElseThrow();
            if (good.stats().wsFramesDropped() != dropped) {
                throw new AssertionError("the bridge did not read the good device's connection: a record was dropped");
            }
            sent.add(idOf(r, GOOD));
        }
    }

    private static boolean connected(V1DeviceSimulator sim, String id) {
        return sim.currentWsClients() == 1 && state(id) == DeviceState.CONNECTED;
    }

    private static DeviceStatusRegistry registry() {
        return bridge.context().getRegistry().lookupByNameAndType("deviceStatus", DeviceStatusRegistry.class);
    }

    private static DeviceState state(String id) {
        DeviceStatus.ChannelStatus c = registry().status(id).orElseThrow().channels().get(V1WebSocketClient.CHANNEL);
        return c == null ? null : c.state();
    }

    private static long counter(String id, String name) {
        return registry().status(id).orElseThrow().counters().getOrDefault(name, 0L);
    }


    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        FuzzRun.await(what, WAIT, condition);
    }
}
