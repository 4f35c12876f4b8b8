package io.accessbridge.simulator.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.simulator.v3.V3DeviceSimulator.Failure;
import io.accessbridge.simulator.v3.V3DeviceSimulator.OfflineMode;
import io.accessbridge.simulator.v3.V3DeviceSimulator.TimestampUnit;
import io.accessbridge.v3.V3EventNormalizer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class V3DeviceSimulatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final AtomicLong REQIDS = new AtomicLong(1000);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private V3DeviceSimulator start(V3DeviceSimulator.Builder b) throws IOException {
        V3DeviceSimulator sim = b.start();
        toClose.add(sim);
        return sim;
    }

    private record Reply(int status, String reqidSent, JsonNode json, String raw) {
        int retcode() {
            return json.get("retcode").asInt();
        }

        String reqid() {
            return json.path("header").path("reqid").asText(null);
        }

        JsonNode body() {
            return json.get("body");
        }

        List<Long> seqnums() {
            return StreamSupport.stream(body().get("events").spliterator(), false)
                    .map(e -> e.get("seqnum").asLong()).toList();
        }
    }

    private static Reply call(V3DeviceSimulator sim, String token, String action, String bodyJson) throws Exception {
        String reqid = Long.toString(REQIDS.incrementAndGet());
        String request = "{\"action\":\"" + action + "\",\"header\":{\"reqid\":\"" + reqid + "\"}"
                + (bodyJson == null ? "" : ",\"body\":" + bodyJson) + "}";
        return post(sim.endpoint(), token, request, reqid);
    }

    private static Reply call(V3DeviceSimulator sim, String action, String bodyJson) throws Exception {
        return call(sim, sim.token(), action, bodyJson);
    }

    private static Reply post(URI uri, String token, String request, String reqid) throws Exception {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request));
        if (token != null) {
            rb.header("token", token);
        }
        HttpResponse<String> r = HTTP.send(rb.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (r.statusCode() == 200) {
            try {
                json = MAPPER.readTree(r.body());
            } catch (IOException e) {
                json = null;
            }
        }
        return new Reply(r.statusCode(), reqid, json, r.body());
    }

    @Test
    void emptyDeviceReportsZeroRange() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder());

        Reply info = call(sim, "event-info", null);

        assertThat(info.status()).isEqualTo(200);
        assertThat(info.retcode()).isZero();
        assertThat(info.reqid()).isEqualTo(info.reqidSent());
        assertThat(info.body().get("min").asLong()).isZero();
        assertThat(info.body().get("max").asLong()).isZero();
        assertThat(call(sim, "event-fetch", "{\"seqnum\":1}").seqnums()).isEmpty();
    }

    @Test
    void ringBufferOverwritesOldestAndMinRises() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder().capacity(5));
        sim.addEvents(12);

        Reply info = call(sim, "event-info", null);
        assertThat(info.body().get("min").asLong()).isEqualTo(8);
        assertThat(info.body().get("max").asLong()).isEqualTo(12);
        assertThat(sim.events()).extracting(e -> e.get("seqnum").asLong()).containsExactly(8L, 9L, 10L, 11L, 12L);
        assertThat(call(sim, "event-fetch", "{\"seqnum\":1,\"limit\":10}").seqnums())
                .as("overwritten seqnums are skipped").containsExactly(8L, 9L, 10L, 11L, 12L);
        assertThat(call(sim, "event-fetch", "{\"offset\":2,\"limit\":2}").seqnums()).containsExactly(10L, 11L);
        assertThat(call(sim, "event-fetch", "{\"seqnum\":13}").seqnums()).isEmpty();
    }

    @Test
    void fetchDefaultsAndParameterPrecedence() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder().maxFetchLimit(20));
        sim.addEvents(30);

        assertThat(call(sim, "event-fetch", null).seqnums()).as("no body: offset 0, limit 10")
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(call(sim, "event-fetch", "{\"seqnum\":6,\"limit\":2}").seqnums()).containsExactly(6L, 7L);
        assertThat(call(sim, "event-fetch", "{\"seqnum\":20,\"offset\":0,\"limit\":2}").seqnums())
                .as("seqnum wins over offset").containsExactly(20L, 21L);
        assertThat(call(sim, "event-fetch", "{\"seqnum\":1,\"limit\":500}").seqnums()).as("capped by maxFetchLimit")
                .hasSize(20).startsWith(1L).endsWith(20L);
    }

    @Test
    void invalidFetchParametersAreRetcodeErrors() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder());
        sim.addEvents(3);

        for (String body : List.of("{\"limit\":0}", "{\"seqnum\":\"abc\"}", "{\"offset\":-1}", "[1]")) {
            Reply r = call(sim, "event-fetch", body);
            assertThat(r.retcode()).as(body).isEqualTo(V3DeviceSimulator.RETCODE_BAD_REQUEST);
            assertThat(r.body()).as(body).isNull();
        }
    }

    @Test
    void generatedEventsCarryTheFieldsOfSpec004() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder().deviceId("dev-9").ipAddress("10.0.0.9"));
        for (String kind : V3DeviceSimulator.EVENT_KINDS) {
            sim.addEvent(kind);
        }
        JsonNode events = call(sim, "event-fetch", "{\"seqnum\":1,\"limit\":20}").body().get("events");

        assertThat(events).hasSize(V3DeviceSimulator.EVENT_KINDS.size());
        for (JsonNode e : events) {
            String kind = e.get("event").asText();
            assertThat(e.get("seqnum").isIntegralNumber()).isTrue();
            assertThat(e.get("timestamp").asLong()).as("seconds").isBetween(1_000_000_000L, 99_999_999_999L);
            assertThat(e.get("device-id").asText()).isEqualTo("dev-9");
            assertThat(e.get("ip-addr").asText()).isEqualTo("10.0.0.9");
            switch (kind) {
                case "face", "visitor" -> assertThat(e.has("uid") && e.has("score") && e.has("sharp") && e.has("state"))
                        .as(kind).isTrue();
                case "card" -> assertThat(e.get("data").asText()).matches("0x[0-9a-f]{8}");
                case "qrcode" -> assertThat(e.get("qrcode").asText()).isNotBlank();
                case "door", "remote", "push", "fire", "disa" -> assertThat(e.get("state").asInt()).isIn(0, 1);
                case "therm" -> assertThat(e.get("therm").asDouble()).isBetween(35.0, 39.0);
                case "reset" -> assertThat(e.has("state")).isFalse();
                default -> throw new AssertionError("unexpected kind " + kind);
            }
        }
        assertThat(events).extracting(e -> e.get("event").asText())
                .containsExactlyElementsOf(V3DeviceSimulator.EVENT_KINDS);
    }

    @Test
    void everyGeneratedEventNormalizes() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder().seed(99));
        sim.addEvents(300);

        SourceContext ctx = SourceContext.of("v3-fetch", "127.0.0.1");
        assertThat(sim.events()).hasSize(300)
                .allSatisfy(e -> assertThat(V3EventNormalizer.normalize(e, ctx).event().id()).startsWith("v3-sim-1:"));
        assertThat(sim.events()).extracting(e -> e.get("event").asText()).contains("face", "card", "door");
    }

    @Test
    void millisecondTimestampsOnRequest() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder().timestampUnit(TimestampUnit.MILLISECONDS));

        assertThat(sim.addEvent("face").get("timestamp").asLong()).isGreaterThan(100_000_000_000L);
    }

    @Test
    void tokenIsChecked() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder().token("right"));
        sim.addEvents(2);

        for (String token : new String[] {"wrong", null}) {
            Reply r = call(sim, token, "event-info", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.retcode()).isEqualTo(V3DeviceSimulator.RETCODE_UNAUTHORIZED);
            assertThat(r.reqid()).isEqualTo(r.reqidSent());
            assertThat(r.body()).as("no data without the token").isNull();
        }
        assertThat(call(sim, "right", "event-info", null).retcode()).isZero();
    }

    @Test
    void unknownActionsPathsAndMethods() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder());

        assertThat(call(sim, "event-delete", null).retcode()).isEqualTo(V3DeviceSimulator.RETCODE_UNKNOWN_ACTION);
        assertThat(call(sim, "event-report", "{\"seqnum\":1}").retcode())
                .as("the device sends event-report, it does not serve it").isEqualTo(V3DeviceSimulator.RETCODE_UNKNOWN_ACTION);
        assertThat(post(sim.endpoint(), sim.token(), "not json", null).retcode()).isEqualTo(V3DeviceSimulator.RETCODE_BAD_REQUEST);
        assertThat(post(sim.endpoint(), sim.token(), "{\"action\":\"event-info\"}", null).retcode())
                .as("reqid is required").isEqualTo(V3DeviceSimulator.RETCODE_BAD_REQUEST);
        assertThat(post(URI.create(sim.baseUri() + "/api/v9.9/event"), sim.token(), "{}", null).status()).isEqualTo(404);
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(sim.endpoint()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void offlineAnswers503AndKeepsLoggingEvents() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder());
        sim.addEvents(3);

        sim.goOffline();
        sim.addEvents(4);
        assertThat(call(sim, "event-info", null).status()).isEqualTo(503);
        assertThat(sim.rejectedWhileOffline()).isEqualTo(1);

        sim.goOnline();
        Reply info = call(sim, "event-info", null);
        assertThat(info.body().get("max").asLong()).isEqualTo(7);
        assertThat(sim.requestCount("event-info")).as("503s are not served requests").isEqualTo(1);
    }

    @Test
    void offlineCanRefuseConnectionsAndComesBackOnTheSamePort() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder());
        int port = sim.port();
        sim.addEvents(2);

        sim.goOffline(OfflineMode.REFUSE_CONNECTIONS);
        assertThatThrownBy(() -> call(sim, "event-info", null)).isInstanceOf(ConnectException.class);
        sim.addEvents(1);

        sim.goOnline();
        assertThat(sim.port()).isEqualTo(port);
        assertThat(call(sim, "event-info", null).body().get("max").asLong()).isEqualTo(3);
    }

    @Test
    void resetClearsTheLogAndRestartsSeqnums() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder().capacity(10));
        sim.addEvents(25);

        sim.reset();
        Reply empty = call(sim, "event-info", null);
        assertThat(empty.body().get("min").asLong()).isZero();
        assertThat(empty.body().get("max").asLong()).isZero();
        assertThat(call(sim, "event-fetch", "{\"seqnum\":16}").seqnums()).isEmpty();

        sim.addEvents(3);
        Reply info = call(sim, "event-info", null);
        assertThat(info.body().get("min").asLong()).isEqualTo(1);
        assertThat(info.body().get("max").asLong()).isEqualTo(3);
        assertThat(call(sim, "event-fetch", "{\"seqnum\":1}").seqnums()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void injectedFailuresHitTheNextCallsOnly() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder());
        sim.addEvents(2);
        sim.failNext(2, Failure.HTTP_500);
        sim.failNext(1, Failure.MALFORMED_JSON);
        sim.failNext(1, Failure.WRONG_REQID);
        sim.failNext(1, Failure.RETCODE);

        assertThat(call(sim, "event-info", null).status()).isEqualTo(500);
        assertThat(call(sim, "event-info", null).status()).isEqualTo(500);
        Reply malformed = call(sim, "event-fetch", "{\"seqnum\":1}");
        assertThat(malformed.status()).isEqualTo(200);
        assertThat(malformed.json()).isNull();
        Reply wrong = call(sim, "event-info", null);
        assertThat(wrong.retcode()).isZero();
        assertThat(wrong.reqid()).isNotEqualTo(wrong.reqidSent());
        Reply failed = call(sim, "event-info", null);
        assertThat(failed.retcode()).isEqualTo(V3DeviceSimulator.RETCODE_INJECTED);
        assertThat(failed.reqid()).isEqualTo(failed.reqidSent());

        sim.failNext(1, Failure.HTTP_500, "event-fetch");
        assertThat(call(sim, "event-info", null).status()).as("targets event-fetch only").isEqualTo(200);
        assertThat(call(sim, "event-fetch", null).status()).isEqualTo(500);

        Reply ok = call(sim, "event-info", null);
        assertThat(ok.retcode()).isZero();
        assertThat(ok.reqid()).isEqualTo(ok.reqidSent());
        assertThat(sim.requestCount("event-info")).isEqualTo(6);
        assertThat(sim.requestCount("event-fetch")).isEqualTo(2);
    }

    @Test
    void countsRequestsConcurrencyAndReqids() throws Exception {
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder().threads(4));
        sim.addEvents(5);
        call(sim, "event-info", null);
        call(sim, "event-fetch", "{\"seqnum\":1}");
        assertThat(sim.maxConcurrentRequests()).isEqualTo(1);

        sim.pauseReplies();
        List<CompletableFuture<Reply>> pending = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pending.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return call(sim, "event-info", null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.currentRequests() == 3);
        sim.resumeReplies();
        for (CompletableFuture<Reply> f : pending) {
            assertThat(f.get().retcode()).isZero();
        }

        assertThat(sim.maxConcurrentRequests()).isEqualTo(3);
        assertThat(sim.requestCount("event-info")).isEqualTo(4);
        assertThat(sim.requestCount("event-fetch")).isEqualTo(1);
        assertThat(sim.distinctReqids()).isEqualTo(5);
        assertThat(sim.duplicateReqids()).isZero();

        post(sim.endpoint(), sim.token(), "{\"action\":\"event-info\",\"header\":{\"reqid\":\"77\"}}", "77");
        post(sim.endpoint(), sim.token(), "{\"action\":\"event-info\",\"header\":{\"reqid\":\"77\"}}", "77");
        assertThat(sim.duplicateReqids()).isEqualTo(1);
    }

    @Test
    void reportsNewEventsOnlyWhileOnlineAndNeverResendsTheOfflineOnes() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        receiver.createContext("/v3/report", ex -> {
            JsonNode req = MAPPER.readTree(ex.getRequestBody().readAllBytes());
            received.add(req);
            byte[] reply = ("{\"retcode\":0,\"header\":{\"reqid\":\"" + req.path("header").path("reqid").asText() + "\"}}")
                    .getBytes();
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        receiver.start();
        toClose.add(() -> receiver.stop(0));
        URI target = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/v3/report");
        V3DeviceSimulator sim = start(V3DeviceSimulator.builder().deviceId("gate-3").reportTarget(target));

        List<ObjectNode> first = sim.addEvents(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        sim.goOffline();
        sim.addEvents(2);
        sim.goOnline();
        sim.addEvent("door");
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.reportedSeqnums().size() == 4);

        assertThat(sim.reportedSeqnums()).containsExactly(1L, 2L, 3L, 6L);
        assertThat(received).extracting(r -> r.get("body").get("seqnum").asLong()).containsExactly(1L, 2L, 3L, 6L);
        JsonNode r0 = received.get(0);
        assertThat(r0.get("action").asText()).isEqualTo("event-report");
        assertThat(r0.path("header").path("reqid").asText()).isNotBlank();
        assertThat(r0.get("body").get("device-id").asText()).isEqualTo("gate-3");
        assertThat(r0.get("body").get("event").asText()).isEqualTo(first.get(0).get("event").asText());
        assertThat(r0.get("body").get("timestamp").asLong()).isEqualTo(first.get(0).get("timestamp").asLong());
        assertThat(received).extracting(r -> r.path("header").path("reqid").asText()).doesNotHaveDuplicates();
        assertThat(sim.reportsFailed()).isZero();
    }
}
