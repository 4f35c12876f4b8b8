package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.accessbridge.simulator.v3.V3DeviceSimulator;
import io.accessbridge.simulator.v3.V3DeviceSimulator.Failure;
import io.accessbridge.simulator.v3.V3DeviceSimulator.OfflineMode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class V3EventClientTest {

    private static final String TOKEN = "tok-3c9f1e";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static HttpClient http;

    private V3DeviceSimulator sim;
    private HttpServer stub;

    @BeforeAll
    static void sharedClient() {
        http = V3EventClient.newHttpClient(Duration.ofSeconds(2));
    }

    @AfterAll
    static void closeClient() {
        http = null;
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
        if (stub != null) {
            stub.stop(0);
        }
    }

    private V3EventClient clientFor(V3DeviceSimulator.Builder b) throws IOException {
        sim = b.token(TOKEN).start();
        return new V3EventClient(http, sim.baseUri(), sim.apiVersion(), TOKEN, Duration.ofSeconds(5));
    }

    private static List<Long> seqnums(List<V3Event> events) {
        return events.stream().map(V3Event::seqnum).toList();
    }

    @Test
    void infoAndFetchAgainstTheSimulator() throws Exception {
        V3EventClient client = clientFor(V3DeviceSimulator.builder().deviceId("lobby-1").apiVersion("v3.2"));
        assertThat(client.info()).isEqualTo(new V3EventInfo(0, 0));
        assertThat(client.info().isEmpty()).isTrue();
        sim.addEvents(25);

        assertThat(client.endpoint()).isEqualTo(sim.endpoint());
        V3EventInfo info = client.info();
        assertThat(info).isEqualTo(new V3EventInfo(1, 25));
        assertThat(info.isEmpty()).isFalse();
        List<V3Event> page = client.fetch(6, 2);
        assertThat(seqnums(page)).containsExactly(6L, 7L);
        assertThat(page.get(0).json().get("device-id").asText()).isEqualTo("lobby-1");
        assertThat(page.get(0).json().toString()).isEqualTo(sim.events().get(5).toString());
        assertThat(seqnums(client.fetchAtOffset(10, 3))).containsExactly(11L, 12L, 13L);
    }

    @Test
    void pagingReadsEveryEventOnceInOrder() throws Exception {
        V3EventClient client = clientFor(V3DeviceSimulator.builder().maxFetchLimit(7));
        sim.addEvents(40);

        List<Long> all = new ArrayList<>();
        long next = client.info().min();
        long max = client.info().max();
        while (next <= max) {
            List<V3Event> page = client.fetch(next, 10);
            assertThat(page).isNotEmpty().hasSizeLessThanOrEqualTo(7);
            page.forEach(e -> all.add(e.seqnum()));
            next = page.get(page.size() - 1).seqnum() + 1;
        }

        assertThat(all).hasSize(40).doesNotHaveDuplicates().isSorted().startsWith(1L).endsWith(40L);
        assertThat(sim.requestCount("event-fetch")).isEqualTo(6);
        assertThat(sim.duplicateReqids()).isZero();
        assertThat(sim.distinctReqids()).isEqualTo(8);
    }

    @Test
    void ringBufferMinIsReportedAndOverwrittenEventsAreNotReturned() throws Exception {
        V3EventClient client = clientFor(V3DeviceSimulator.builder().capacity(20));
        sim.addEvents(50);

        assertThat(client.info()).isEqualTo(new V3EventInfo(31, 50));
        assertThat(seqnums(client.fetch(1, 5))).containsExactly(31L, 32L, 33L, 34L, 35L);
        assertThat(client.fetch(51, 5)).isEmpty();
    }

    @Test
    void wrongTokenIsARetcodeErrorThatDoesNotLeakTheToken() throws Exception {
        sim = V3DeviceSimulator.builder().token("device-side-token").start();
        sim.addEvents(3);
        V3EventClient client = new V3EventClient(http, sim.baseUri(), null, "my-secret-token", null);

        assertThatThrownBy(client::info)
                .isInstanceOf(V3ProtocolException.class)
                .hasMessageContaining("event-info")
                .hasMessageContaining("retcode " + V3DeviceSimulator.RETCODE_UNAUTHORIZED)
                .satisfies(e -> {
                    assertThat(((V3ProtocolException) e).retcode()).isEqualTo(V3DeviceSimulator.RETCODE_UNAUTHORIZED);
                    assertThat(e.getMessage()).doesNotContain("my-secret-token", "device-side-token");
                });
        assertThat(client.toString()).doesNotContain("my-secret-token");
    }

    @Test
    void wrongReqidIsRejectedAndTheNextCallWorks() throws Exception {
        V3EventClient client = clientFor(V3DeviceSimulator.builder());
        sim.addEvents(5);
        sim.failNext(1, Failure.WRONG_REQID);

        assertThatThrownBy(() -> client.fetch(1, 5))
                .isInstanceOf(V3ProtocolException.class)
                .hasMessageContaining("reqid does not match");
        assertThat(seqnums(client.fetch(1, 5))).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void retcodeHttpStatusAndMalformedJsonFailures() throws Exception {
        V3EventClient client = clientFor(V3DeviceSimulator.builder());
        sim.addEvent("card");
        String cardId = sim.events().get(0).get("data").asText();
        sim.failNext(1, Failure.RETCODE);
        sim.failNext(1, Failure.HTTP_500);
        sim.failNext(1, Failure.MALFORMED_JSON);

        assertThatThrownBy(client::info).isInstanceOfSatisfying(V3ProtocolException.class, e -> {
            assertThat(e.retcode()).isEqualTo(V3DeviceSimulator.RETCODE_INJECTED);
            assertThat(e).hasMessage("event-info: device answered retcode 99");
        });
        assertThatThrownBy(() -> client.fetch(1, 1)).isInstanceOfSatisfying(V3ProtocolException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(500);
            assertThat(e.retcode()).isNull();
            assertThat(e).hasMessage("event-fetch: HTTP status 500");
        });
        assertThatThrownBy(() -> client.fetch(1, 1)).isInstanceOf(V3ProtocolException.class)
                .hasMessage("event-fetch: reply is not well-formed JSON");
        List<V3Event> ok = client.fetch(1, 1);
        assertThat(ok).hasSize(1);
        assertThat(ok.get(0).toString()).isEqualTo("V3Event[seqnum=1]").doesNotContain(cardId);
    }

    @Test
    void offlineDeviceFailsWith503OrConnectionRefused() throws Exception {
        V3EventClient client = clientFor(V3DeviceSimulator.builder());
        sim.goOffline(OfflineMode.HTTP_503);
        assertThatThrownBy(client::info).isInstanceOfSatisfying(V3ProtocolException.class,
                e -> assertThat(e.httpStatus()).isEqualTo(503));

        sim.goOffline(OfflineMode.REFUSE_CONNECTIONS);
        assertThatThrownBy(client::info).isInstanceOf(ConnectException.class);

        sim.goOnline();
        assertThat(client.info()).isEqualTo(new V3EventInfo(0, 0));
    }

    @Test
    void slowDeviceHitsTheRequestTimeout() throws Exception {
        sim = V3DeviceSimulator.builder().token(TOKEN).start();
        sim.setReplyDelay(Duration.ofSeconds(3));
        V3EventClient client = new V3EventClient(http, sim.baseUri(), null, TOKEN, Duration.ofMillis(200));

        assertThatThrownBy(client::info).isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void argumentsAreValidated() {
        URI base = URI.create("http://127.0.0.1:9");
        assertThatThrownBy(() -> new V3EventClient(http, base, "../admin", TOKEN, null))
                .isInstanceOf(IllegalArgumentException.class);
        V3EventClient client = new V3EventClient(http, URI.create("http://127.0.0.1:9/"), null, TOKEN, null);
        assertThat(client.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9/api/v3.1/event"));
        assertThatThrownBy(() -> client.fetch(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.fetch(-1, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- envelope edge cases the simulator never produces: a stub echoing a canned reply

    private V3EventClient stubClient(Function<String, String> replyForReqid) throws IOException {
        AtomicReference<String> lastToken = new AtomicReference<>();
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        stub.createContext("/api/v3.1/event", ex -> {
            lastToken.set(ex.getRequestHeaders().getFirst("token"));
            JsonNode req = MAPPER.readTree(ex.getRequestBody().readAllBytes());
            byte[] reply = replyForReqid.apply(req.path("header").path("reqid").asText()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        stub.start();
        return new V3EventClient(http, URI.create("http://127.0.0.1:" + stub.getAddress().getPort()), "v3.1", TOKEN, null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no retcode               | {'header':{'reqid':'@'},'body':{'min':1,'max':2}}  | field 'retcode' is required",
        "retcode text             | {'retcode':'x','header':{'reqid':'@'},'body':{}}  | field 'retcode' must be an integer",
        "no header                | {'retcode':0,'body':{'min':1,'max':2}}             | 'header.reqid' is missing",
        "no body                  | {'retcode':0,'header':{'reqid':'@'}}               | field 'body' is required",
        "body not object          | {'retcode':0,'header':{'reqid':'@'},'body':[1]}    | field 'body' must be an object",
        "min missing              | {'retcode':0,'header':{'reqid':'@'},'body':{'max':2}}  | field 'min' is required",
        "max not integer          | {'retcode':0,'header':{'reqid':'@'},'body':{'min':1,'max':'two'}} | field 'max' must be an integer",
        "negative min             | {'retcode':0,'header':{'reqid':'@'},'body':{'min':-1,'max':2}} | must not be negative",
        "array reply              | [1,2]                                              | not a JSON object",
        "trailing garbage         | {'retcode':0,'header':{'reqid':'@'},'body':{'min':1,'max':2}} x | not well-formed JSON"})
    void infoEnvelopeProblems(String name, String reply, String message) throws Exception {
        V3EventClient client = stubClient(reqid -> reply.replace('\'', '"').replace("@", reqid));

        assertThatThrownBy(client::info).isInstanceOf(V3ProtocolException.class)
                .hasMessageStartingWith("event-info: ").hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no events        | {}                                  | field 'events' is required",
        "events object    | {'events':{'seqnum':1}}             | field 'events' must be an array",
        "event not object | {'events':[1]}                      | events[0] must be an object",
        "no seqnum        | {'events':[{'uid':'TUID-9'}]}       | events[0] field 'seqnum' is required",
        "seqnum text      | {'events':[{'seqnum':1},{'seqnum':'TUID-9'}]} | events[1] field 'seqnum' must be an integer"})
    void fetchBodyProblemsNeverQuoteEventContents(String name, String body, String message) throws Exception {
        V3EventClient client = stubClient(reqid ->
                ("{'retcode':0,'header':{'reqid':'" + reqid + "'},'body':" + body + "}").replace('\'', '"'));

        assertThatThrownBy(() -> client.fetch(1, 10)).isInstanceOf(V3ProtocolException.class)
                .hasMessageStartingWith("event-fetch: ").hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TUID-9"));
    }

    @Test
    void numericReqidEchoIsAcceptedAndEventsAreSorted() throws Exception {
        V3EventClient client = stubClient(reqid -> "{\"retcode\":0,\"header\":{\"reqid\":" + reqid + "},"
                + "\"body\":{\"events\":[{\"seqnum\":9},{\"seqnum\":7},{\"seqnum\":8}]}}");

        assertThat(seqnums(client.fetch(7, 3))).containsExactly(7L, 8L, 9L);
    }

    @Test
    void specEventInfoReplyVerbatimWithItsTrailingCommaIsRead() throws Exception {
        String verbatim = new String(io.accessbridge.testing.Fixtures.bytes("v3/spec-004-event-info-reply-verbatim.json"),
                StandardCharsets.UTF_8);
        V3EventClient client = stubClient(reqid -> verbatim.replace("129393", reqid));

        V3EventInfo info = client.info();
        assertThat(info.min()).isEqualTo(1);
        assertThat(info.max()).isEqualTo(9);
    }
}
