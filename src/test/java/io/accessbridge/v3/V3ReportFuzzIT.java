package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.bench.BridgeProcess;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.JsonFields;
import io.accessbridge.ingest.RawInput;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.inventory.DeviceDirectory;
import io.accessbridge.inventory.DeviceDirectory.DeviceProfile;
import io.accessbridge.simulator.v3.V3DeviceSimulator;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.Fixtures;
import io.accessbridge.testing.RunningBridge;
import io.accessbridge.testing.V3Bridge;
import io.accessbridge.testing.V3Inventory;
import io.accessbridge.testing.fuzz.BadJson;
import io.accessbridge.testing.fuzz.BadJson.ByteEdit;
import io.accessbridge.testing.fuzz.BadJson.Mutation;
import io.accessbridge.testing.fuzz.FuzzRun;
import io.accessbridge.testing.fuzz.GoodDeviceLoop;
import io.accessbridge.testing.fuzz.NormalizerOutcomes;
import io.accessbridge.testing.fuzz.QuarantineIndex;
import io.accessbridge.testing.fuzz.RememberSeed;
import io.accessbridge.testing.fuzz.RawHttp;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
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
 * Bad-input suite against a running bridge over real HTTP, v3 {@code event-report} (spec 004):
 * mutated envelopes ({@code action}, {@code header.reqid} missing, retyped or huge, {@code body}
 * with its event fields dropped, retyped, added or nested deep), seqnums old, current, in a gap,
 * beyond the device, negative, huge or not integers, unknown {@code event} names, the
 * {@code device-id} of the fuzzed device, of another one, of one whose report channel is off, of
 * none or of an unknown one (sent from an address of the inventory or from 127.0.0.2, which is not),
 * byte edits, text that is not JSON, wrong content types, bodies around and over a 16 KiB
 * {@code camel.server.max-body-size}, empty, trickled, chunked and cut-off bodies on a raw socket,
 * other methods; while a good v3 device reports every new event on its own.
 *
 * <p>Each answer is the one the bridge's own parser, inventory and normaliser predict:
 * {@code 200 {"retcode":0,"header":{"reqid":<as sent>}}} for a stored event,
 * {@code 400}/{@code 415} with {@code retcode} equal to the status, the reqid when it was readable and
 * {@code msg} {@code "invalid event-report: <reason>"}, {@code 403} for the device whose report
 * channel is off, {@code 413} and {@code 405} from the HTTP server. Rejected bodies are in
 * {@code access.quarantine} byte for byte, once, with the reason, channel {@code v3-report} and the
 * device when known; stored events are in {@code access.events.all} exactly once. A valid report
 * whose seqnum is not the checkpoint's makes the bridge poll the device: the test waits for the
 * backfill, and every event the device holds up to its checkpoint is stored once. A report of the
 * seqnum right after the checkpoint moves the checkpoint without a fetch, so the generated
 * reports use that seqnum only for the event the device really holds (else it would be a device
 * lying about its log, which the bridge cannot tell from a reset); such tries are skipped.
 */
class V3ReportFuzzIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_BODY = 16_384;
    private static final String PATH = "/v3/events";
    private static final String FUZZ = "v3-fuzz";
    private static final String OTHER = "v3-other";
    private static final String OFF = "v3-off";
    private static final String GOOD = "v3-good";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> FIXTURES = fixtureNames();

    private static Path dataDir;
    private static V3DeviceSimulator fuzz;
    private static V3DeviceSimulator other;
    private static V3DeviceSimulator off;
    private static V3DeviceSimulator good;
    private static Map<String, V3DeviceSimulator> sims;
    private static RunningBridge bridge;
    private static V3Bridge v3;
    private static EventCollector all;
    private static QuarantineIndex quarantined;
    private static HttpClient http;
    private static DeviceDirectory inventory;
    private static GoodDevice goodDevice;
    private static InetAddress here;
    private static InetAddress elsewhere;
    private static long startedNanos;

    private static final Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
    private static final Set<String> rejectedBodies = ConcurrentHashMap.newKeySet();
    private static final Set<String> unreadBodies = ConcurrentHashMap.newKeySet();
    private static final Set<String> refusedBodies = ConcurrentHashMap.newKeySet();
    private static final Map<String, AtomicLong> answers = Collections.synchronizedMap(new TreeMap<>());
    private static final AtomicLong sent = new AtomicLong();
    private static final AtomicLong backfills = new AtomicLong();
    private static final AtomicLong silentEvents = new AtomicLong();
    private static final AtomicLong skipped = new AtomicLong();

    private static List<String> fixtureNames() {
        try {
            Path dir = Path.of(V3ReportFuzzIT.class.getResource("/fixtures/v3").toURI());
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().startsWith("spec-004-event-info"))
                        .map(p -> "v3/" + dir.relativize(p)).sorted().toList();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeContainer
    static void startBridge() throws Exception {
        startedNanos = System.nanoTime();
        here = InetAddress.getByName("127.0.0.1");
        elsewhere = InetAddress.getByName("127.0.0.2");
        dataDir = Files.createTempDirectory("v3-report-fuzz");
        fuzz = V3DeviceSimulator.builder().deviceId(FUZZ).seed(11).start();
        fuzz.addEvents(30);
        other = V3DeviceSimulator.builder().deviceId(OTHER).seed(12).start();
        other.addEvents(10);
        off = V3DeviceSimulator.builder().deviceId(OFF).seed(13).start();
        off.addEvents(5);
        good = V3DeviceSimulator.builder().deviceId(GOOD).seed(14).start();
        good.addEvents(5);
        sims = Map.of(FUZZ, fuzz, OTHER, other, OFF, off, GOOD, good);
        // every device polls only when a report wakes it (interval 10 min); all of them are on
        // 127.0.0.1, and the inventory's last one is the one that address stands for
        Path devices = V3Inventory.write(dataDir.resolve("config"), List.of(
                new V3Inventory.Entry(off, 100, 600_000, "all", false),
                new V3Inventory.Entry(other, 100, 600_000, "all"),
                new V3Inventory.Entry(good, 100, 600_000, "all"),
                new V3Inventory.Entry(fuzz, 100, 600_000, "all")));
        bridge = RunningBridge.start(dataDir, Map.of("bridge.devices.file", devices.toString(),
                "camel.server.max-body-size", String.valueOf(MAX_BODY),
                "bridge.v3.backoff.initial-ms", "100", "bridge.v3.backoff.max-ms", "500"));
        v3 = new V3Bridge(bridge);
        all = EventCollector.consume(bridge.brokerUrl(), "access.events.all");
        quarantined = QuarantineIndex.consume(bridge.brokerUrl(), "access.quarantine");
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        inventory = bridge.context().getRegistry().lookupByNameAndType("deviceInventory", DeviceDirectory.class);
        assertThat(inventory).isNotNull();
        for (V3DeviceSimulator sim : sims.values()) {
            await("first poll of " + sim.deviceId(), () -> v3.gauge(sim.deviceId(), "v3.checkpoint") == sim.max());
        }
        await("the events held at start stored", () -> all.ids().containsAll(heldIds()));
        good.setReportTarget(URI.create(bridge.baseUrl() + PATH));
        goodDevice = new GoodDevice();
        goodDevice.start();
    }

    @AfterContainer
    static void checkTheWholeRunAndStop() throws Exception {
        try {
            if (all != null) { // else the set-up failed, and its error is the one to report
                RememberSeed.naming(V3ReportFuzzIT::checkTheWholeRun);
            }
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
            if (sims != null) {
                sims.values().forEach(V3DeviceSimulator::close);
            }
            BridgeProcess.deleteTree(dataDir);
        }
    }

    /** The checks over the whole run: once each, nothing but what was predicted, the devices still served. */
    private static void checkTheWholeRun() throws Exception {
        if (goodDevice != null) {
            goodDevice.stop();
            await("the good device's reports answered",
                    () -> good.reportedSeqnums().size() + good.reportsFailed() >= goodDevice.added.get());
            assertThat(good.reportsFailed()).as("reports of the good device not answered 200").isZero();
            assertThat(good.reportedSeqnums()).as("the good device's reports").hasSize(goodDevice.added.get());
            assertThat(goodDevice.added.get()).as("events of the good device").isGreaterThan(0);
            await("the good device's checkpoint", () -> v3.gauge(GOOD, "v3.checkpoint") == good.max());
        }
        Set<String> held = heldIds();
        await("every accepted report in access.events.all", () -> all.ids().containsAll(acceptedIds));
        await("every event up to each checkpoint in access.events.all", () -> all.ids().containsAll(heldUpToCheckpoint()));
        await("every rejected body in access.quarantine",
                () -> quarantined.counts().keySet().containsAll(rejectedBodies));
        Thread.sleep(300); // late copies, if any, would arrive now
        assertThat(all.duplicates()).as("events stored more than once").isEmpty();
        Set<String> allowed = new HashSet<>(acceptedIds);
        allowed.addAll(held);
        assertThat(all.ids()).as("events stored that no report was answered 200 for and no device holds")
                .isSubsetOf(allowed);
        assertThat(all.messages()).as("reports stored for the device whose report channel is off")
                .noneMatch(m -> OFF.equals(EventCollector.property(m, "deviceId"))
                        && "v3-report".equals(EventCollector.property(m, "channel")));
        Map<String, Integer> q = quarantined.counts();
        assertThat(q.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("the same bytes quarantined twice").isEmpty();
        assertThat(q.keySet()).as("quarantined bytes that no report was answered 400/415 for").isSubsetOf(rejectedBodies);
        for (String id : sims.keySet()) {
            assertThat(v3.counter(id, "resets")).as("resets of %s", id).isZero();
            assertThat(v3.counter(id, "gaps")).as("gaps of %s", id).isZero();
            assertThat(v3.counter(id, "quarantined")).as("fetched events of %s quarantined", id).isZero();
        }
        FuzzRun.assertReady(http, bridge.baseUrl());
        System.out.printf("V3ReportFuzzIT: %d event-reports (%d tries skipped, %d events logged silently on %s,"
                        + " %d backfills); answers %s; %d reports from %s answered 200; stored %d distinct,"
                        + " quarantined %d distinct; seed %s; %.1f s%n", sent.get(), skipped.get(), silentEvents.get(),
                FUZZ, backfills.get(), answers,
                goodDevice.added.get(), GOOD, all.distinct(), q.size(), RememberSeed.seed(),
                (System.nanoTime() - startedNanos) / 1e9);
    }

    // ---------------------------------------------------------------- what is sent

    /** How a report travels. */
    enum Transport {
        /** The JDK client from 127.0.0.1, Content-Length. */
        CLIENT,
        /** A raw socket, the body at once. */
        RAW,
        /** A raw socket, the body a byte or a few per write. */
        TRICKLE,
        /** A raw socket, Transfer-Encoding: chunked. */
        CHUNKED,
        /** A raw socket that announces the body, sends half of it and closes. */
        CUT_OFF,
        /** GET, PUT, DELETE or PATCH instead of POST (JDK client). */
        OTHER_METHOD
    }

    /** What the request body is made of. */
    enum Kind {
        /** An event-report envelope assembled from the parts below. */
        ENVELOPE,
        /** Such an envelope with its bytes edited. */
        EDITED,
        /** A bare v3 event, without the envelope. */
        BARE_EVENT,
        /** Text that is not JSON. */
        NOT_JSON,
        /** Random bytes. */
        RANDOM,
        /** Nothing. */
        EMPTY
    }

    /** Where the event in {@code body} comes from. */
    enum Source {
        /** One the fuzzed device holds, as it holds it. */
        DEVICE_EVENT,
        /** Generated: a v3 fixture (mutated or not), a spec-shaped event with bad values here and there, any JSON. */
        GENERATED
    }

    /** Which {@code device-id} the body carries. */
    enum Device { KEEP, FUZZ, OTHER, OFF, UNKNOWN, ABSENT, RETYPED }

    /** Which {@code seqnum}, relative to the checkpoint and log of the device the report is for. */
    enum Seq {
        /** As the source has it. */
        KEEP,
        /** Below the checkpoint. */
        OLD,
        /** The checkpoint's. */
        CURRENT,
        /** Beyond the checkpoint + 1, within what the device holds (logs some first): a backfill. */
        GAP,
        /** Beyond anything the device holds. */
        BEYOND,
        /** The device's own event right after the checkpoint (logged first if needed). */
        NEXT_EXACT,
        NEGATIVE,
        HUGE,
        NOT_INTEGER
    }

    /**
     * One report, as a plan: the bytes are made when it is sent, from the devices' state then.
     *
     * @param silent events the fuzzed device logs (without reporting them) before this report
     */
    record Report(Transport transport, boolean fromElsewhere, String method, String contentType, Kind kind,
                  Source source, Device device, Seq seq, JsonNode action, JsonNode header, JsonNode body,
                  JsonNode deviceValue, JsonNode seqValue, List<Mutation> envelopeMutations, List<ByteEdit> edits,
                  byte[] raw, int padTo, int pick, int silent, boolean repeat) {

        @Override
        public String toString() {
            return "Report[" + transport + ("127.0.0.2".equals(remote(this)) ? " from 127.0.0.2" : "") + " " + method + ", Content-Type "
                    + contentType + ", " + kind + " " + source + " device " + device + " seqnum " + seq + ", pad "
                    + padTo + ", silent " + silent + ", repeat " + repeat + "]";
        }
    }

    private static final JsonNode ABSENT = com.fasterxml.jackson.databind.node.MissingNode.getInstance();

    @Provide
    Arbitrary<Report> reports() {
        Arbitrary<Transport> transport = Arbitraries.frequencyOf(Tuple.of(16, Arbitraries.just(Transport.CLIENT)),
                Tuple.of(5, Arbitraries.just(Transport.RAW)), Tuple.of(1, Arbitraries.just(Transport.TRICKLE)),
                Tuple.of(1, Arbitraries.just(Transport.CHUNKED)), Tuple.of(1, Arbitraries.just(Transport.CUT_OFF)),
                Tuple.of(1, Arbitraries.just(Transport.OTHER_METHOD)));
        Arbitrary<String> contentType = Arbitraries.frequencyOf(
                Tuple.of(14, Arbitraries.just("application/json")),
                Tuple.of(3, Arbitraries.of("application/json; charset=utf-8", "text/plain", "text/json", "APPLICATION/JSON",
                        "application/json;charset=ISO-8859-1", "application/jsonl")),
                Tuple.of(2, Arbitraries.just((String) null)),
                Tuple.of(3, Arbitraries.of("application/xml", "text/html", "application/octet-stream", "image/jpeg",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "%%%", "json")));
        Arbitrary<Kind> kind = Arbitraries.frequencyOf(Tuple.of(14, Arbitraries.just(Kind.ENVELOPE)),
                Tuple.of(3, Arbitraries.just(Kind.EDITED)), Tuple.of(1, Arbitraries.just(Kind.BARE_EVENT)),
                Tuple.of(1, Arbitraries.just(Kind.NOT_JSON)), Tuple.of(1, Arbitraries.just(Kind.RANDOM)),
                Tuple.of(1, Arbitraries.just(Kind.EMPTY)));
        Arbitrary<Source> source = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(Source.DEVICE_EVENT)),
                Tuple.of(7, Arbitraries.just(Source.GENERATED)));
        Arbitrary<Device> device = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(Device.KEEP)),
                Tuple.of(5, Arbitraries.just(Device.FUZZ)), Tuple.of(1, Arbitraries.just(Device.OTHER)),
                Tuple.of(3, Arbitraries.just(Device.OFF)), Tuple.of(1, Arbitraries.just(Device.UNKNOWN)),
                Tuple.of(1, Arbitraries.just(Device.ABSENT)), Tuple.of(1, Arbitraries.just(Device.RETYPED)));
        Arbitrary<Seq> seq = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(Seq.KEEP)),
                Tuple.of(2, Arbitraries.just(Seq.OLD)), Tuple.of(1, Arbitraries.just(Seq.CURRENT)),
                Tuple.of(4, Arbitraries.just(Seq.GAP)), Tuple.of(1, Arbitraries.just(Seq.BEYOND)),
                Tuple.of(1, Arbitraries.just(Seq.NEXT_EXACT)), Tuple.of(1, Arbitraries.just(Seq.NEGATIVE)),
                Tuple.of(1, Arbitraries.just(Seq.HUGE)), Tuple.of(1, Arbitraries.just(Seq.NOT_INTEGER)));
        Arbitrary<JsonNode> action = Arbitraries.frequencyOf(
                Tuple.of(14, Arbitraries.just((JsonNode) F.textNode("event-report"))),
                Tuple.of(1, Arbitraries.of("event-info", "event-fetch", "EVENT-REPORT", "event-report ", "", "event_report")
                        .map(s -> (JsonNode) F.textNode(s))),
                Tuple.of(1, BadJson.anyScalar()), Tuple.of(1, Arbitraries.just(ABSENT)));
        Arbitrary<JsonNode> reqid = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 999_999).map(i -> (JsonNode) F.textNode(Integer.toString(i)))),
                Tuple.of(3, Arbitraries.longs().map(l -> (JsonNode) F.numberNode(l))),
                Tuple.of(1, Arbitraries.integers().between(19, 200)
                        .map(d -> (JsonNode) F.numberNode(BigInteger.TEN.pow(d).add(BigInteger.ONE)))),
                Tuple.of(1, Arbitraries.integers().between(1_000, 6_000).map(n -> (JsonNode) F.textNode("r".repeat(n)))),
                Tuple.of(1, BadJson.unicodeText(20).map(s -> (JsonNode) F.textNode(s))),
                Tuple.of(2, BadJson.anyScalar()),
                Tuple.of(1, BadJson.anyJson(2, List.of("reqid", "id"))));
        Arbitrary<JsonNode> header = Arbitraries.frequencyOf(
                Tuple.of(14, reqid.map(r -> {
                    ObjectNode h = F.objectNode();
                    h.set("reqid", r);
                    return (JsonNode) h;
                })),
                Tuple.of(1, Arbitraries.just(ABSENT)), Tuple.of(1, Arbitraries.just((JsonNode) F.objectNode())),
                Tuple.of(1, BadJson.anyScalar()), Tuple.of(1, reqid.map(r -> (JsonNode) F.arrayNode().add(r))));
        Arbitrary<JsonNode> body = Arbitraries.frequencyOf(
                Tuple.of(3, Combinators.combine(Arbitraries.of(FIXTURES).map(Fixtures::json), BadJson.mutations(BadJson.V3_FIELDS))
                        .as(BadJson::mutate)),
                Tuple.of(1, Arbitraries.of(FIXTURES).map(Fixtures::json)),
                Tuple.of(3, BadJson.v3ShapedEvent()),
                Tuple.of(1, BadJson.anyJson(3, BadJson.V3_FIELDS)));
        Arbitrary<JsonNode> deviceValue = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(30)
                        .map(s -> (JsonNode) F.textNode("gate-" + s))),
                Tuple.of(1, BadJson.anyScalar()), Tuple.of(1, BadJson.anyJson(2, List.of("id", "device-id"))));
        Arbitrary<JsonNode> seqValue = Arbitraries.oneOf(BadJson.anyScalar(), BadJson.numericLookingText().map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.of(1.5, 2.0, -0.0, 1e300).map(d -> (JsonNode) F.numberNode(d)), BadJson.anyJson(1, List.of("seqnum")));
        Arbitrary<List<Mutation>> envelopeMutations = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(List.<Mutation>of())),
                Tuple.of(1, BadJson.mutations(List.of("action", "header", "reqid", "body", "seqnum", "device-id", "event",
                        "timestamp", "state"))));
        Arbitrary<byte[]> notJson = Arbitraries.oneOf(
                BadJson.unicodeText(200).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of("{", "}", "[]", "null", "0", " ", "{\"action\":\"event-report\"", "<report/>", "action=event-report")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Integer> padTo = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.of(MAX_BODY - 1, MAX_BODY, MAX_BODY + 1)),
                Tuple.of(2, Arbitraries.integers().between(MAX_BODY - 2_000, MAX_BODY + 60_000)));
        Arbitrary<Integer> silent = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.integers().between(1, 3)));
        Arbitrary<Boolean> repeat = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(false)),
                Tuple.of(1, Arbitraries.just(true)));
        Arbitrary<Boolean> fromElsewhere = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(false)),
                Tuple.of(1, Arbitraries.just(true)));
        Arbitrary<String> method = Arbitraries.of("GET", "PUT", "DELETE", "PATCH");

        Arbitrary<Tuple.Tuple8<Transport, Boolean, String, String, Kind, Source, Device, Seq>> how =
                Combinators.combine(transport, fromElsewhere, method, contentType, kind, source, device, seq).as(Tuple::of);
        Arbitrary<Tuple.Tuple8<JsonNode, JsonNode, JsonNode, JsonNode, JsonNode, List<Mutation>, List<ByteEdit>, byte[]>> what =
                Combinators.combine(action, header, body, deviceValue, seqValue, envelopeMutations, BadJson.byteEdits(),
                        notJson).as(Tuple::of);
        Arbitrary<Tuple.Tuple5<Integer, Integer, Integer, Boolean, byte[]>> rest = Combinators.combine(padTo,
                Arbitraries.integers().between(0, 1_000_000), silent, repeat,
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300)).as(Tuple::of);
        return Combinators.combine(how, what, rest).as((h, w, r) -> new Report(h.get1(), h.get2(),
                h.get1() == Transport.OTHER_METHOD ? h.get3() : "POST", h.get4(), h.get5(), h.get6(), h.get7(), h.get8(),
                w.get1(), w.get2(), w.get3(), w.get4(), w.get5(), w.get6(), w.get7(),
                h.get5() == Kind.RANDOM ? r.get5() : w.get8(), r.get1(), r.get2(), r.get3(), r.get4()));
    }

    // ---------------------------------------------------------------- making the bytes

    /** The request body of a report, from the devices' state now. */
    static byte[] materialise(Report r) {
        return switch (r.kind()) {
            case EMPTY -> new byte[0];
            case NOT_JSON, RANDOM -> r.raw();
            case BARE_EVENT -> BadJson.bytes(eventBody(r));
            case ENVELOPE -> pad(envelope(r), r.padTo());
            case EDITED -> BadJson.edit(BadJson.bytes(envelope(r)), r.edits());
        };
    }

    private static JsonNode envelope(Report r) {
        ObjectNode env = F.objectNode();
        if (!r.action().isMissingNode()) {
            env.set("action", r.action());
        }
        if (!r.header().isMissingNode()) {
            env.set("header", r.header().deepCopy());
        }
        env.set("body", eventBody(r));
        return BadJson.mutate(env, r.envelopeMutations());
    }

    /** The event: from its source, with the planned device-id and seqnum. */
    private static JsonNode eventBody(Report r) {
        JsonNode event = switch (r.source()) {
            case DEVICE_EVENT -> {
                List<ObjectNode> held = fuzz.events();
                yield held.get(Math.floorMod(r.pick(), held.size()));
            }
            case GENERATED -> r.body().deepCopy();
        };
        if (r.seq() == Seq.NEXT_EXACT) {
            long cp = v3.gauge(FUZZ, "v3.checkpoint");
            if (fuzz.max() < cp + 1) {
                logSilently(1);
            }
            return heldEvent(fuzz, cp + 1);
        }
        if (!(event instanceof ObjectNode o)) {
            return event;
        }
        switch (r.device()) {
            case KEEP -> {
            }
            case FUZZ -> o.put("device-id", FUZZ);
            case OTHER -> o.put("device-id", OTHER);
            case OFF -> o.put("device-id", OFF);
            case UNKNOWN -> o.set("device-id", r.deviceValue().isTextual() ? r.deviceValue() : F.textNode("gate-x"));
            case ABSENT -> o.remove("device-id");
            case RETYPED -> o.set("device-id", r.deviceValue());
        }
        String target = targetDevice(o, remote(r));
        V3DeviceSimulator sim = target == null ? fuzz : sims.get(target);
        long cp = target == null ? fuzz.max() : v3.gauge(target, "v3.checkpoint");
        switch (r.seq()) {
            case KEEP, NEXT_EXACT -> {
            }
            case OLD -> o.put("seqnum", cp <= 1 ? 0 : Math.floorMod(r.pick(), cp - 1) + 1);
            case CURRENT -> o.put("seqnum", cp);
            case GAP -> {
                if (sim.max() < cp + 2) {
                    logSilently(sim == fuzz ? (int) (cp + 2 - sim.max()) : 0);
                }
                long max = sim.max();
                o.put("seqnum", max < cp + 2 ? max + 2 + Math.floorMod(r.pick(), 100)
                        : cp + 2 + Math.floorMod(r.pick(), max - cp - 1));
            }
            case BEYOND -> o.put("seqnum", sim.max() + 2 + Math.floorMod(r.pick(), 10_000));
            case NEGATIVE -> o.put("seqnum", -1 - Math.floorMod(r.pick(), 1_000_000));
            case HUGE -> o.set("seqnum", List.of(F.numberNode(Long.MAX_VALUE), F.numberNode(new BigInteger("99999999999999999999")),
                    F.textNode("99999999999999999999"), F.numberNode(9.3e18)).get(Math.floorMod(r.pick(), 4)));
            case NOT_INTEGER -> o.set("seqnum", r.seqValue());
        }
        return o;
    }

    /** The device a body is reported for, as the receiver tells it; {@code null} when none of the inventory. */
    private static String targetDevice(JsonNode body, String remote) {
        try {
            return receiver().sender(body, remote).map(DeviceProfile::id).orElse(null);
        } catch (V3ReportReceiver.ReportChannelOffException e) {
            return e.deviceId();
        } catch (V3ReportReceiver.UnattributedReportException | InvalidEventException e) {
            return null;
        }
    }

    /** The bridge's own receiver on the bridge's inventory: which device a report is for, or why it is refused. */
    private static V3ReportReceiver receiver() {
        return new V3ReportReceiver(inventory, null);
    }

    private static ObjectNode heldEvent(V3DeviceSimulator sim, long seqnum) {
        return sim.events().stream().filter(e -> e.get("seqnum").asLong() == seqnum).findFirst().orElseThrow();
    }

    private static void logSilently(int n) {
        if (n > 0) {
            fuzz.addEvents(n); // the fuzzed device has no report target: these wait for a poll
            silentEvents.addAndGet(n);
        }
    }

    /** Pads a body with an unknown field (in the event, or in the envelope) to {@code size} bytes. */
    private static byte[] pad(JsonNode envelope, int size) {
        byte[] bytes = BadJson.bytes(envelope);
        if (size <= 0 || !(envelope instanceof ObjectNode env)) {
            return bytes;
        }
        ObjectNode target = env.get("body") instanceof ObjectNode b ? b : env;
        target.put("pad", "");
        int base = BadJson.bytes(envelope).length;
        target.put("pad", "p".repeat(Math.max(0, size - base)));
        return BadJson.bytes(envelope);
    }

    // ---------------------------------------------------------------- the oracle

    /**
     * What the bridge must answer and keep, worked out with its own parser, inventory and
     * normaliser, step by step as the receiver reads a report.
     *
     * @param reqid            the reqid to echo ({@code null}: none readable)
     * @param reason           the reason of a 400/415 (the answer's msg and the quarantine's)
     * @param quarantineDevice the device the quarantined body is kept for
     * @param device           the inventory device a stored report is for ({@code null}: none)
     */
    record Expected(int status, JsonNode reqid, String reason, String eventId, String quarantineDevice, String device,
                    long seqnum) {
    }

    /** The address the bridge sees the report come from (only raw sockets choose theirs). */
    private static String remote(Report r) {
        boolean raw = r.transport() != Transport.CLIENT && r.transport() != Transport.OTHER_METHOD;
        return raw && r.fromElsewhere() ? "127.0.0.2" : "127.0.0.1";
    }

    static Expected expected(Report r, byte[] bytes) {
        if (!r.method().equals("POST")) {
            return new Expected(405, null, null, null, null, null, -1);
        }
        if (bytes.length > MAX_BODY) {
            return new Expected(413, null, null, null, null, null, -1);
        }
        String ct = r.contentType();
        if (ct != null && !ct.isBlank()) {
            String lower = ct.toLowerCase(java.util.Locale.ROOT);
            if (!lower.startsWith("application/json") && !lower.startsWith("text/json") && !lower.startsWith("text/plain")) {
                return new Expected(415, null, "content type must be application/json", null, null, null, -1);
            }
        }
        String remote = remote(r);
        JsonNode reqid = null;
        String device = null;
        try {
            JsonNode request = RawInput.parseJson(bytes);
            reqid = V3ReportReceiver.reqid(request);
            JsonNode body = V3ReportReceiver.event(request);
            java.util.Optional<DeviceProfile> profile;
            try {
                profile = receiver().sender(body, remote);
            } catch (V3ReportReceiver.ReportRefusedException e) {
                return new Expected(403, reqid, e.why(), null, null, null, -1);
            }
            SourceContext ctx = SourceContext.of(V3ReportReceiver.CHANNEL, remote);
            if (profile.isPresent()) {
                DeviceProfile p = profile.get();
                ctx = ctx.withDevice(p.id(), p.site(), p.door(), p.direction());
                device = p.id();
            }
            SourceContext c = ctx;
            NormalizerOutcomes.Outcome o = NormalizerOutcomes.check(body, () -> V3EventNormalizer.normalize(body, c),
                    Set.of("event"));
            if (!o.accepted()) {
                throw o.rejection();
            }
            long seqnum = JsonFields.requiredInteger(body, "seqnum");
            JsonFields.integer(body, "timestamp");
            return new Expected(200, reqid, null, o.event().event().id(), null, device, seqnum);
        } catch (InvalidEventException e) {
            return new Expected(400, reqid, e.getMessage(), null, device, null, -1);
        }
    }

    // ---------------------------------------------------------------- the property

    @AddLifecycleHook(RememberSeed.class)
    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void everyReportIsAnsweredPerProtocolKeptAsSentOrStoredOnceAndTheGoodDeviceIsStillServed(
            @ForAll("reports") Report report) throws Exception {
        logSilently(report.silent());
        byte[] bytes = materialise(report);
        if (report.transport() != Transport.CLIENT && report.transport() != Transport.OTHER_METHOD
                && bytes.length > MAX_BODY) {
            report = withTransport(report, Transport.CLIENT); // a raw socket would race the early 413 answer
        }
        if (report.transport() == Transport.CUT_OFF && bytes.length == 0) {
            // half of nothing is nothing: Content-Length 0 is a whole request, answered and kept like any other
            report = withTransport(report, Transport.RAW);
        }
        Expected expected = expected(report, bytes);
        String text = describe(bytes);
        String answerClass = report.transport() == Transport.CUT_OFF ? "cut off" : String.valueOf(expected.status());
        Statistics.label("answer").collect(answerClass);
        Statistics.label("answer").coverage(c -> {
            // floors well below what 26 runs gave (200: 6.3-12 %, 403: 1.2-15 %, 405, 413: 2 % and more)
            c.check("200").percentage(p -> p >= 3);
            c.check("400").percentage(p -> p >= 20);
            c.check("403").percentage(p -> p >= 0.5);
            c.check("415").percentage(p -> p >= 3);
            c.check("413").percentage(p -> p >= 1);
            c.check("405").percentage(p -> p >= 1);
        });
        Statistics.label("transport").collect(report.transport());
        if (expected.status() == 200 && expected.device() != null
                && expected.seqnum() == v3.gauge(expected.device(), "v3.checkpoint") + 1) {
            // the seqnum right after the checkpoint moves it without a fetch: only for the event the device holds
            boolean held = heldIds(sims.get(expected.device())).contains(expected.eventId());
            if (!held) {
                skipped.incrementAndGet();
            }
            Assume.that(held);
        }
        int rounds = report.repeat() ? 2 : 1;
        boolean backfill = false;
        for (int round = 0; round < rounds; round++) {
            long checkpoint = expected.device() == null ? -1 : v3.gauge(expected.device(), "v3.checkpoint");
            // a report of another seqnum than the checkpoint's makes the bridge poll the device: wait for it to
            // settle (the checkpoint reaches what the device holds, or the reported seqnum when it moved there)
            boolean moves = expected.status() == 200 && expected.device() != null && expected.seqnum() != checkpoint;
            sent.incrementAndGet();
            RawHttp.Answer answer = send(report, bytes);
            if (report.transport() == Transport.CUT_OFF) {
                if (bytes.length > 1) {
                    unreadBodies.add(RawInput.sha256(java.util.Arrays.copyOf(bytes, bytes.length / 2)));
                }
                count("cut off");
                break;
            }
            count(String.valueOf(answer.status()));
            checkAnswer(report, expected, answer, text);
            if (moves) {
                V3DeviceSimulator sim = sims.get(expected.device());
                long until = expected.seqnum() == checkpoint + 1 ? expected.seqnum() : sim.max();
                backfill |= sim.max() > checkpoint && expected.seqnum() != checkpoint + 1;
                await("the checkpoint of " + expected.device() + " at " + until + " after " + text,
                        () -> v3.gauge(expected.device(), "v3.checkpoint") >= until);
            }
        }
        if (backfill) {
            backfills.incrementAndGet();
        }
        Statistics.label("backfill").collect(backfill);
        // at least one: 5 to 24 in 300 tries over 26 runs, so a percentage floor (it was 2 %) failed now and then
        Statistics.label("backfill").coverage(c -> c.check(true).count(n -> n >= 1));
        String sha = RawInput.sha256(bytes);
        switch (report.transport() == Transport.CUT_OFF ? 0 : expected.status()) {
            case 0 -> {
                // cut off: nothing answered, nothing kept (checked at the end)
            }
            case 200 -> {
                acceptedIds.add(expected.eventId());
                await("event " + expected.eventId() + " stored", () -> all.ids().contains(expected.eventId()));
            }
            case 400, 415 -> {
                // form and multipart bodies too: the bridge reads them as sent (FormBodyCapture)
                rejectedBodies.add(sha);
                await("rejected body in quarantine: " + text, () -> quarantined.contains(sha));
                QuarantineIndex.Kept kept = quarantined.kept(sha);
                assertThat(kept.bytes()).as("quarantined bytes of %s", text).isEqualTo(bytes);
                // the same bytes sent again (maybe from elsewhere, for another device) are not kept again
                FirstRejection first = firstRejections.computeIfAbsent(sha,
                        k -> new FirstRejection(expected.reason(), expected.quarantineDevice()));
                assertThat(kept.reason()).as("quarantine reason of %s", text).isEqualTo(first.reason());
                assertThat(kept.deviceId()).as("quarantined device of %s", text).isEqualTo(first.device());
                assertThat(kept.channel()).isEqualTo(V3ReportReceiver.CHANNEL);
            }
            case 403 -> {
                refusedBodies.add(sha);
                assertThat(quarantined.contains(sha)).as("a refused report is not bad input: not quarantined").isFalse();
            }
            default -> unreadBodies.add(sha);
        }
        assertThat(quarantined.counts().keySet().stream().filter(unreadBodies::contains)
                .filter(s -> !rejectedBodies.contains(s)).toList())
                .as("bodies quarantined although never read (413, 405, cut off)").isEmpty();
        assertThat(goodDevice.failures).as("problems of the good device").isEmpty();
        assertThat(good.reportsFailed()).as("reports of the good device not answered 200").isZero();
        FuzzRun.assertReady(http, bridge.baseUrl());
    }

    /** What the first rejection of some bytes kept: the reason and the device. */
    record FirstRejection(String reason, String device) {
    }

    private static final Map<String, FirstRejection> firstRejections = new ConcurrentHashMap<>();

    private static Report withTransport(Report r, Transport t) {
        return new Report(t, false, r.method(), r.contentType(), r.kind(), r.source(), r.device(), r.seq(), r.action(),
                r.header(), r.body(), r.deviceValue(), r.seqValue(), r.envelopeMutations(), r.edits(), r.raw(), r.padTo(),
                r.pick(), r.silent(), r.repeat());
    }

    private static void checkAnswer(Report report, Expected expected, RawHttp.Answer answer, String text) throws IOException {
        assertThat(answer.status()).as("status for %s %s (answer %s)", report, text, answer.body())
                .isEqualTo(expected.status());
        if (expected.status() == 413 || expected.status() == 405) {
            return; // written by the HTTP server, not the bridge
        }
        JsonNode reply = MAPPER.readTree(answer.body());
        assertThat(reply.path("retcode").isIntegralNumber()).as("retcode of %s", answer.body()).isTrue();
        assertThat(reply.path("retcode").asInt()).as("retcode of %s", answer.body())
                .isEqualTo(expected.status() == 200 ? 0 : expected.status());
        assertThat(reply.path("header").isObject()).as("header of %s", answer.body()).isTrue();
        JsonNode echoed = reply.path("header").get("reqid");
        if (expected.reqid() == null) {
            assertThat(echoed).as("reqid echoed although not readable: %s", answer.body()).isNull();
        } else {
            assertThat(echoed).as("reqid of %s for %s", answer.body(), text).isNotNull();
            if (expected.reqid().isTextual()) {
                assertThat(echoed.isTextual()).as("reqid of %s echoed as text", answer.body()).isTrue();
                assertThat(echoed.asText()).isEqualTo(expected.reqid().asText());
            } else {
                assertThat(echoed.isIntegralNumber()).as("reqid of %s echoed as a number", answer.body()).isTrue();
                assertThat(echoed.bigIntegerValue()).isEqualTo(expected.reqid().bigIntegerValue());
            }
        }
        switch (expected.status()) {
            case 200 -> assertThat(reply.has("msg")).as("msg in %s", answer.body()).isFalse();
            case 403 -> assertThat(reply.path("msg").asText()).as("msg for %s", text).contains(expected.reason());
            default -> assertThat(reply.path("msg").asText()).as("msg for %s", text)
                    .isEqualTo("invalid event-report: " + expected.reason());
        }
    }

    private static void count(String answer) {
        answers.computeIfAbsent(answer, k -> new AtomicLong()).incrementAndGet();
    }

    private static String describe(byte[] bytes) {
        String t = new String(bytes, 0, Math.min(bytes.length, 400), StandardCharsets.UTF_8);
        return bytes.length + " bytes: " + t + (bytes.length > 400 ? "..." : "");
    }

    private static RawHttp.Answer send(Report r, byte[] bytes) throws Exception {
        InetAddress from = r.fromElsewhere() ? elsewhere : here;
        return switch (r.transport()) {
            case CLIENT, OTHER_METHOD -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bridge.baseUrl() + PATH))
                        .timeout(Duration.ofSeconds(20))
                        .method(r.method(), r.method().equals("GET") || r.method().equals("DELETE")
                                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
                if (r.contentType() != null) {
                    b.header("Content-Type", r.contentType());
                }
                HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                yield new RawHttp.Answer(resp.statusCode(), resp.body());
            }
            case RAW -> RawHttp.send(from, port(), "POST", PATH, r.contentType(), bytes, RawHttp.Mode.WHOLE);
            case TRICKLE -> RawHttp.send(from, port(), "POST", PATH, r.contentType(), bytes, RawHttp.Mode.TRICKLE);
            case CHUNKED -> RawHttp.send(from, port(), "POST", PATH, r.contentType(), bytes, RawHttp.Mode.CHUNKED);
            case CUT_OFF -> RawHttp.send(from, port(), "POST", PATH, r.contentType(), bytes, RawHttp.Mode.CUT_OFF);
        };
    }

    private static int port() {
        return URI.create(bridge.baseUrl()).getPort();
    }

    // ---------------------------------------------------------------- devices and health

    /** Ids of the events a device holds. */
    private static Set<String> heldIds(V3DeviceSimulator sim) {
        Set<String> ids = new HashSet<>();
        DeviceProfile p = inventory.byId(sim.deviceId()).orElseThrow();
        SourceContext ctx = SourceContext.of("v3-fetch", "127.0.0.1").withDevice(p.id(), p.site(), p.door(), p.direction());
        for (ObjectNode e : sim.events()) {
            ids.add(V3EventNormalizer.normalize(e, ctx).event().id());
        }
        return ids;
    }

    private static Set<String> heldIds() {
        Set<String> ids = new HashSet<>();
        sims.values().forEach(s -> ids.addAll(heldIds(s)));
        return ids;
    }

    /** Ids of the events each device holds up to the bridge's checkpoint of it: all must be stored. */
    private static Set<String> heldUpToCheckpoint() {
        Set<String> ids = new HashSet<>();
        for (V3DeviceSimulator sim : sims.values()) {
            long cp = v3.gauge(sim.deviceId(), "v3.checkpoint");
            DeviceProfile p = inventory.byId(sim.deviceId()).orElseThrow();
            SourceContext ctx = SourceContext.of("v3-fetch", "127.0.0.1").withDevice(p.id(), p.site(), p.door(), p.direction());
            for (ObjectNode e : sim.events()) {
                if (e.get("seqnum").asLong() <= cp) {
                    ids.add(V3EventNormalizer.normalize(e, ctx).event().id());
                }
            }
        }
        return ids;
    }

    /** A v3 device that logs an event every few tens of milliseconds and reports each (the simulator's own reporter). */
    static final class GoodDevice extends GoodDeviceLoop {
        final AtomicInteger added = new AtomicInteger();

        GoodDevice() {
            super("good-v3-device", 40);
        }

        @Override
        protected void step() {
            good.addEvents(1);
            added.incrementAndGet();
        }
    }


    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        FuzzRun.await(what, WAIT, condition);
    }
}
