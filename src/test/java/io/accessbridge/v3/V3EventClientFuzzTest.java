package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.ingest.VendorJson;
import io.accessbridge.testing.fuzz.BadJson;
import io.accessbridge.testing.fuzz.BadJson.ByteEdit;
import io.accessbridge.testing.fuzz.BadJson.Mutation;
import io.accessbridge.testing.fuzz.ScriptedHttpServer;
import io.accessbridge.testing.fuzz.ScriptedHttpServer.Answer;
import io.accessbridge.testing.fuzz.ScriptedHttpServer.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Bad-input suite, v3 device replies: {@link V3EventClient} against a raw-socket stub that answers
 * {@code event-info} and {@code event-fetch} with arbitrary and mutated replies (malformed JSON,
 * wrong or missing reqid, retcode errors, wrong types, statuses, truncated, chunked, huge, slow
 * and missing bodies, broken status lines and headers). The only outcomes allowed: the parsed
 * reply, a {@link V3ProtocolException} naming the action, or another {@link IOException}; never
 * another exception, never the token or the reply's contents in a message. A well-formed reply
 * is always accepted and read exactly.
 */
class V3EventClientFuzzTest {

    private static final String TOKEN = "tok-Zq7w9Kp2Lm4Xv8";
    private static final String REQID = "@REQID@";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> REPLY_FIELDS = List.of("retcode", "header", "reqid", "body", "min", "max",
            "events", "seqnum", "timestamp", "event", "uid", "retmsg");

    private static ScriptedHttpServer stub;
    private static HttpClient http;
    private static V3EventClient patient;
    private static V3EventClient impatient;

    @BeforeContainer
    static void start() throws IOException {
        stub = ScriptedHttpServer.start();
        http = V3EventClient.newHttpClient(Duration.ofSeconds(2));
        patient = new V3EventClient(http, URI.create(stub.baseUrl()), null, TOKEN, Duration.ofSeconds(20));
        impatient = new V3EventClient(http, URI.create(stub.baseUrl()), null, TOKEN, Duration.ofMillis(250));
    }

    @AfterContainer
    static void stop() throws IOException {
        stub.close();
    }

    /** What the bridge asks. */
    enum Call { INFO, FETCH, FETCH_AT_OFFSET }

    /** How the reply travels. */
    enum Framing {
        /** Content-Length, all at once. */
        LENGTH,
        /** Transfer-Encoding: chunked, in pieces. */
        CHUNKED,
        /** No length: the body ends when the device closes. */
        CLOSE_DELIMITED,
        /** Content-Length, in ten pieces a few ms apart (well within the timeout). */
        SLOW_OK,
        /** Content-Length larger than the body, then the device closes. */
        TRUNCATED,
        /** The device closes without answering. */
        NO_ANSWER,
        /** A status line that is not HTTP. */
        BAD_STATUS_LINE,
        /** Headers that contradict themselves or are not headers. */
        BAD_HEADERS,
        /** Chunk sizes that are not hex, or a chunked body cut short. */
        BAD_CHUNKS,
        /** A 100 Continue nobody asked for, then the reply. */
        INTERIM_100
    }

    /** How the reply's {@code header.reqid} relates to the request's. */
    enum Echo { TEXT, NUMBER, OTHER, TOKEN, ABSENT }

    /**
     * A scripted device reply.
     *
     * @param info      whether the body is an event-info body (else an event-fetch body)
     * @param events    the events of a fetch body (valid seqnums; mutations may break them)
     * @param padBytes  a large unknown string field added to the reply (huge bodies), 0 for none
     * @param specStyle written like spec 004's examples: comments and trailing commas
     * @param variant   picks among broken status lines, headers and chunkings
     */
    record Reply(boolean info, long min, long max, List<JsonNode> events, JsonNode retcode, Echo echo,
                 List<Mutation> mutations, List<ByteEdit> edits, int status, Framing framing, int padBytes,
                 boolean tokenInBody, boolean specStyle, int variant) {

        @Override
        public String toString() {
            return "Reply[info=" + info + ", min=" + min + ", max=" + max + ", events=" + events.size()
                    + " " + events.stream().map(e -> e.path("seqnum").toString()).toList() + ", retcode=" + retcode
                    + ", echo=" + echo + ", mutations=" + mutations + ", edits=" + edits + ", status=" + status
                    + ", framing=" + framing + ", padBytes=" + padBytes + ", tokenInBody=" + tokenInBody
                    + ", specStyle=" + specStyle + ", variant=" + variant + "]";
        }

        /** The same reply with the body shape of {@code call} (an info body for event-info). */
        Reply shapedFor(Call call) {
            return new Reply(call == Call.INFO, min, max, events, retcode, echo, mutations, edits, status, framing,
                    padBytes, tokenInBody, specStyle, variant);
        }

        /** Whether the client must accept it, and what it must read. */
        boolean wellFormedFor(Call call) {
            return mutations.isEmpty() && edits.isEmpty() && status == 200
                    && Set.of(Framing.LENGTH, Framing.CHUNKED, Framing.CLOSE_DELIMITED, Framing.SLOW_OK).contains(framing)
                    && (echo == Echo.TEXT || echo == Echo.NUMBER) && retcode.isIntegralNumber() && retcode.asLong() == 0
                    && info == (call == Call.INFO) && !hasOverlongNumber();
        }

        /**
         * Whether an event holds a number of more than 1,000 characters: the JSON reader refuses those
         * (Jackson's {@code StreamReadConstraints}), so such a reply is malformed to the bridge.
         */
        private boolean hasOverlongNumber() {
            boolean[] found = {false};
            events.forEach(e -> BadJson.leaves(e, null,
                    (field, v) -> found[0] |= v.isNumber() && v.toString().length() > 1000));
            return found[0];
        }

        /** The reply tree with the reqid placeholder. */
        JsonNode tree() {
            ObjectNode reply = F.objectNode();
            reply.set("retcode", retcode);
            ObjectNode header = reply.putObject("header");
            if (echo != Echo.ABSENT) {
                header.put("reqid", REQID);
            }
            ObjectNode body = reply.putObject("body");
            if (info) {
                body.put("min", min).put("max", max);
            } else {
                body.putArray("events").addAll(events);
            }
            if (tokenInBody) {
                reply.put("retmsg", "token " + TOKEN + " accepted");
            }
            return BadJson.mutate(reply, mutations);
        }

        /** The reply body for one request. */
        byte[] body(String reqid) {
            String json = new String(BadJson.bytes(tree()), StandardCharsets.UTF_8);
            String replacement = switch (echo) {
                case TEXT -> '"' + reqid + '"';
                case NUMBER -> reqid;
                case OTHER -> '"' + Long.toString(Long.parseLong(reqid) + 1) + '"';
                case TOKEN -> '"' + TOKEN + '"';
                case ABSENT -> '"' + REQID + '"';
            };
            json = json.replace('"' + REQID + '"', replacement);
            if (padBytes > 0 && json.startsWith("{")) {
                json = "{\"pad\":\"" + "x".repeat(padBytes) + "\"" + (json.equals("{}") ? "" : ",") + json.substring(1);
            }
            if (specStyle && json.endsWith("}") && !json.equals("{}")) {
                json = "/* spec 004 */\n" + json.substring(0, json.length() - 1) + ",\n// end of reply\n}";
            }
            return BadJson.edit(json.getBytes(StandardCharsets.UTF_8), edits);
        }

        /** The bytes on the wire and their pacing. */
        Answer answer(Request request) {
            String reqid = requestReqid(request);
            byte[] body = body(reqid);
            byte[] lengthFramed = ScriptedHttpServer.response(status, "application/json", body);
            return switch (framing) {
                case LENGTH -> Answer.of(lengthFramed);
                case SLOW_OK -> new Answer(split(lengthFramed, 10), 5, 0);
                case CHUNKED -> new Answer(List.of(concat(head(status, "Transfer-Encoding: chunked\r\n"),
                        chunked(body, 1 + variant % 700, true))), 0, 0);
                case CLOSE_DELIMITED -> Answer.of(concat(head(status, ""), body));
                case TRUNCATED -> Answer.of(concat(head(status, "Content-Length: " + (body.length + 1 + variant % 5000)
                        + "\r\n"), body));
                case NO_ANSWER -> new Answer(List.of(), 0, 0);
                case BAD_STATUS_LINE -> {
                    String[] lines = {"HTTP/1.1 abc OK", "FOO 200 OK", "HTTP/1.1 -200 OK", "HTTP/1.1", "",
                            "\u0000\u0001\u0002", "HTTP/1.1 2OO OK", "{\"retcode\":0}"};
                    yield Answer.of(concat((lines[variant % lines.length] + "\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), body));
                }
                case BAD_HEADERS -> {
                    String[] headers = {"Content-Length: abc\r\n", "Content-Length: -5\r\n",
                            "Content-Length: " + body.length + "\r\nContent-Length: " + (body.length + 7) + "\r\n",
                            "Content-Length " + body.length + "\r\n", "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
                            "X-Big: " + "y".repeat(70_000) + "\r\nContent-Length: " + body.length + "\r\n",
                            "Content-Length: 99999999999999999999\r\n"};
                    yield Answer.of(concat(head(status, headers[variant % headers.length]), body));
                }
                case BAD_CHUNKS -> {
                    byte[] chunks = switch (variant % 3) {
                        case 0 -> concat("zz\r\n".getBytes(StandardCharsets.ISO_8859_1), body);
                        case 1 -> chunked(body, 64, false);
                        default -> concat((Integer.toHexString(body.length + 100) + "\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1), body);
                    };
                    yield Answer.of(concat(head(status, "Transfer-Encoding: chunked\r\n"), chunks));
                }
                case INTERIM_100 -> Answer.of(concat("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                        lengthFramed));
            };
        }
    }

    private static String requestReqid(Request request) {
        try {
            return VendorJson.MAPPER.readTree(request.body()).path("header").path("reqid").asText();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] head(int status, String headers) {
        return ("HTTP/1.1 " + status + (status == 200 ? " OK" : " Error") + "\r\nContent-Type: application/json\r\n"
                + headers + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] chunked(byte[] body, int size, boolean terminate) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += size) {
            int n = Math.min(size, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        if (terminate) {
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    private static List<byte[]> split(byte[] bytes, int pieces) {
        List<byte[]> out = new ArrayList<>();
        int size = Math.max(1, (bytes.length + pieces - 1) / pieces);
        for (int at = 0; at < bytes.length; at += size) {
            out.add(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + size)));
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<Boolean> mostly() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(true)), Tuple.of(1, Arbitraries.just(false)));
    }

    @Provide
    Arbitrary<Call> calls() {
        return Arbitraries.of(Call.class);
    }

    private static Arbitrary<JsonNode> fetchedEvent() {
        return Combinators.combine(BadJson.v3ShapedEvent(), Arbitraries.longs().between(0, 10_000_000))
                .as((e, seq) -> {
                    ObjectNode o = (ObjectNode) e;
                    o.put("seqnum", seq);
                    o.put("uid", "TUID-" + (900_000 + seq));
                    return o;
                });
    }

    @Provide
    Arbitrary<Reply> replies() {
        Arbitrary<JsonNode> retcode = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just(F.numberNode(0))),
                Tuple.of(2, Arbitraries.of(1, -1, 401, 1001, 65535).map(i -> (JsonNode) F.numberNode(i))),
                Tuple.of(1, BadJson.anyScalar()));
        Arbitrary<Integer> status = Arbitraries.frequencyOf(
                Tuple.of(14, Arbitraries.just(200)),
                Tuple.of(1, Arbitraries.of(201, 204, 301, 302, 400, 401, 403, 404, 500, 502, 503, 599)));
        Arbitrary<Framing> framing = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(Framing.LENGTH)), Tuple.of(3, Arbitraries.just(Framing.CHUNKED)),
                Tuple.of(2, Arbitraries.just(Framing.CLOSE_DELIMITED)), Tuple.of(1, Arbitraries.just(Framing.SLOW_OK)),
                Tuple.of(2, Arbitraries.just(Framing.TRUNCATED)), Tuple.of(1, Arbitraries.just(Framing.NO_ANSWER)),
                Tuple.of(2, Arbitraries.just(Framing.BAD_STATUS_LINE)), Tuple.of(2, Arbitraries.just(Framing.BAD_HEADERS)),
                Tuple.of(2, Arbitraries.just(Framing.BAD_CHUNKS)), Tuple.of(1, Arbitraries.just(Framing.INTERIM_100)));
        Arbitrary<Echo> echo = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(Echo.TEXT)),
                Tuple.of(3, Arbitraries.just(Echo.NUMBER)), Tuple.of(1, Arbitraries.just(Echo.OTHER)),
                Tuple.of(1, Arbitraries.just(Echo.TOKEN)), Tuple.of(1, Arbitraries.just(Echo.ABSENT)));
        Arbitrary<List<Mutation>> mutations = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(List.of())), Tuple.of(2, BadJson.mutations(REPLY_FIELDS)));
        Arbitrary<List<ByteEdit>> edits = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(List.of())), Tuple.of(1, BadJson.byteEdits()));
        Arbitrary<Integer> pad = Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(100_000, 6_000_000)));
        Arbitrary<long[]> range = Arbitraries.longs().between(0, 1_000_000).list().ofSize(2)
                .map(l -> new long[] {Math.min(l.get(0), l.get(1)), Math.max(l.get(0), l.get(1))});
        Arbitrary<Object[]> shape = Combinators.combine(Arbitraries.of(true, false), range,
                fetchedEvent().list().ofMaxSize(12), retcode, echo, mutations, edits)
                .as((info, r, events, rc, e, m, ed) -> new Object[] {info, r, events, rc, e, m, ed});
        Arbitrary<Object[]> wire = Combinators.combine(status, framing, pad, Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 10_000))
                .as((s, f, p, tok, spec, v) -> new Object[] {s, f, p, tok, spec, v});
        return Combinators.combine(shape, wire).as((a, b) -> new Reply((Boolean) a[0], ((long[]) a[1])[0],
                ((long[]) a[1])[1], castList(a[2]), (JsonNode) a[3], (Echo) a[4], castList(a[5]), castList(a[6]),
                (Integer) b[0], (Framing) b[1], (Integer) b[2], (Boolean) b[3], (Boolean) b[4], (Integer) b[5]));
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> castList(Object o) {
        return (List<T>) o;
    }

    // ---------------------------------------------------------------- properties

    private static Object call(V3EventClient client, Call call) throws IOException, InterruptedException {
        return switch (call) {
            case INFO -> client.info();
            case FETCH -> client.fetch(1, 100);
            case FETCH_AT_OFFSET -> client.fetchAtOffset(0, 100);
        };
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void everyReplyIsReadExactlyOrASafeIOException(@ForAll("replies") Reply generated, @ForAll("calls") Call call,
                                                   @ForAll("mostly") boolean shapedForTheCall) throws Exception {
        Reply reply = shapedForTheCall ? generated.shapedFor(call) : generated;
        stub.answerWith(reply::answer);
        Statistics.label("reply").collect(reply.wellFormedFor(call) ? "well-formed" : "bad");
        Statistics.label("reply").coverage(c -> {
            c.check("well-formed").percentage(p -> p >= 10);
            c.check("bad").percentage(p -> p >= 40);
        });
        Object result;
        try {
            result = call(patient, call);
        } catch (V3ProtocolException e) {
            assertSafe(e, reply);
            String action = call == Call.INFO ? "event-info: " : "event-fetch: ";
            assertThat(e.getMessage()).startsWith(action);
            if (e.getMessage().contains("HTTP status")) {
                assertThat(e.httpStatus()).isEqualTo(reply.status()).isNotEqualTo(200);
            }
            assertThat(reply.wellFormedFor(call)).as("a well-formed reply was refused: %s", e.getMessage()).isFalse();
            checkRequest(call);
            return;
        } catch (IOException e) {
            assertSafe(e, reply);
            assertThat(reply.wellFormedFor(call)).as("a well-formed reply failed: %s", e).isFalse();
            return;
        } catch (InterruptedException e) {
            throw new AssertionError("interrupted", e);
        } catch (Throwable t) {
            throw new AssertionError("the client threw " + t.getClass().getName()
                    + " instead of a V3ProtocolException or an IOException", t);
        }
        checkRequest(call);
        assertThat(reply.status()).as("accepted a reply with HTTP status %s", reply.status()).isEqualTo(200);
        assertThat(reply.echo()).as("accepted a reply with reqid %s", reply.echo()).isIn(Echo.TEXT, Echo.NUMBER);
        assertThat(reply.framing()).as("accepted a reply framed %s", reply.framing())
                .isNotIn(Framing.TRUNCATED, Framing.NO_ANSWER, Framing.BAD_CHUNKS);
        if (reply.wellFormedFor(call)) {
            if (call == Call.INFO) {
                assertThat(result).isEqualTo(new V3EventInfo(reply.min(), reply.max()));
            } else {
                List<Long> served = reply.events().stream().map(e -> e.get("seqnum").asLong()).sorted().toList();
                @SuppressWarnings("unchecked")
                List<V3Event> events = (List<V3Event>) result;
                assertThat(events.stream().map(V3Event::seqnum).toList()).isEqualTo(served);
            }
        }
        if (result instanceof List<?> events) {
            List<Long> seqnums = events.stream().map(e -> ((V3Event) e).seqnum()).toList();
            assertThat(seqnums).isSorted().allMatch(s -> s >= 0);
        }
    }

    /** The client asked as spec 004 says: POST, the token header, the action, a digits-only reqid. */
    private static void checkRequest(Call call) throws IOException {
        Request request = stub.lastRequest();
        assertThat(request).isNotNull();
        assertThat(request.requestLine()).startsWith("POST /api/v3.1/event ");
        assertThat(request.header("token")).isEqualTo(TOKEN);
        JsonNode body = VendorJson.MAPPER.readTree(request.body());
        assertThat(body.path("action").asText()).isEqualTo(call == Call.INFO ? "event-info" : "event-fetch");
        assertThat(body.path("header").path("reqid").asText()).matches("[0-9]{1,19}");
    }

    /** No token, no reply content (user ids, padding) in the message or any cause's. */
    private static void assertSafe(IOException e, Reply reply) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String text = String.valueOf(t.getMessage());
            assertThat(text).as("message of %s", t.getClass().getName()).doesNotContain(TOKEN).doesNotContain("TUID-9")
                    .doesNotContain("xxxxxxxx");
            assertThat(text.length()).as("message length").isLessThan(500);
        }
        if (e instanceof V3ProtocolException p) {
            assertThat(p.getMessage()).isNotBlank();
        }
    }

    // ---------------------------------------------------------------- slow and silent devices

    /** A device that trickles its reply or never answers. */
    record Stall(boolean answerNothing, int pieces, long pauseMillis) {
    }

    @Provide
    Arbitrary<Stall> stalls() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(5, 40),
                Arbitraries.longs().between(40, 120)).as(Stall::new);
    }

    /**
     * A device that never answers, or trickles a well-formed reply so slowly that it ends long after
     * the request timeout, makes the call fail with {@link HttpTimeoutException} (the timeout covers
     * the whole reply, as {@link V3EventClient} documents): one slow device cannot hold a poller.
     */
    @Property(tries = 8, edgeCases = EdgeCasesMode.NONE)
    void slowOrSilentDevicesTimeOut(@ForAll("stalls") Stall stall, @ForAll("calls") Call call) throws Exception {
        stub.answerWith(request -> {
            String reqid = requestReqid(request);
            String body = call == Call.INFO
                    ? "{\"retcode\":0,\"header\":{\"reqid\":\"" + reqid + "\"},\"body\":{\"min\":1,\"max\":2}}"
                    : "{\"retcode\":0,\"header\":{\"reqid\":\"" + reqid + "\"},\"body\":{\"events\":[]}}";
            byte[] bytes = ScriptedHttpServer.response(200, "application/json", body.getBytes(StandardCharsets.UTF_8));
            if (stall.answerNothing()) {
                return new Answer(List.of(), 0, 1_500);
            }
            // headers at once, then the body a few bytes at a time: done only after pieces * pause >= 1.5 s
            long pause = Math.max(stall.pauseMillis(), 1_500 / stall.pieces() + 1);
            int headEnd = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
            List<byte[]> chunks = new ArrayList<>();
            chunks.add(java.util.Arrays.copyOf(bytes, headEnd));
            chunks.addAll(split(java.util.Arrays.copyOfRange(bytes, headEnd, bytes.length), stall.pieces()));
            return new Answer(chunks, pause, 0);
        });
        try {
            Object result = call(impatient, call);
            fail("a reply that ends long after the 250 ms timeout was accepted: %s", result);
        } catch (HttpTimeoutException e) {
            assertSafe(e, null);
        }
    }
}
