package io.accessbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.accessbridge.cli.BridgeCli;
import io.accessbridge.simulator.v1.V1RecordGenerator;
import io.accessbridge.testing.RunningBridge;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A bridge with {@code bridge.ops.token} set: the operations API and page answer 401 with a Basic challenge
 * without the token or with a wrong one, and serve with it (Bearer, or as a browser's Basic password); replay
 * is refused too; the {@code devices} command passes its {@code --token}; device pushes and {@code /observe/*}
 * do not need it.
 */
class OpsAccessIT {

    private static final String TOKEN = "ops-token-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theOperationsApiAndPageNeedTheTokenWhileDevicesAndProbesDoNot() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(dir, Map.of("bridge.ops.token", TOKEN))) {
            String base = bridge.baseUrl();
            for (String path : new String[] {"/api/status", "/api/events/recent", "/api/devices", "/status"}) {
                HttpResponse<String> none = send(get(base + path));
                assertThat(none.statusCode()).as("%s without a token", path).isEqualTo(401);
                assertThat(none.headers().firstValue("WWW-Authenticate")).as(path)
                        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm=\"access-event-bridge\""));
                assertThat(send(get(base + path).header("Authorization", "Bearer " + TOKEN + "x")).statusCode())
                        .as("%s with a wrong token", path).isEqualTo(401);
                assertThat(send(get(base + path).header("Authorization", "Bearer " + TOKEN)).statusCode())
                        .as("%s with the token", path).isEqualTo(200);
                assertThat(send(get(base + path).header("Authorization", basic("operator", TOKEN))).statusCode())
                        .as("%s with the token as a Basic password", path).isEqualTo(200);
                assertThat(send(get(base + path).header("Authorization", basic(TOKEN, "x"))).statusCode())
                        .as("%s with the token as a Basic user name", path).isEqualTo(401);
            }
            String inQuery = "?Authorization=" + java.net.URLEncoder.encode("Bearer " + TOKEN, StandardCharsets.UTF_8);
            assertThat(send(get(base + "/api/status" + inQuery)).statusCode()).as("the token in the query").isEqualTo(401);
            assertThat(send(get(base + "/api/status" + inQuery.replace("Authorization", "authorization")))
                    .statusCode()).as("the token in the query, lower case").isEqualTo(401);
            assertThat(send(get(base + "/api/status?Authorization=Bearer%20wrong").header("Authorization", "Bearer " + TOKEN))
                    .statusCode()).as("a query parameter does not override the header").isEqualTo(200);

            HttpRequest replay = HttpRequest.newBuilder(URI.create(base + "/api/targets/http/replay"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> refused = send(HttpRequest.newBuilder(replay, (n, v) -> true));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("unauthorized").doesNotContain(TOKEN);
            assertThat(send(HttpRequest.newBuilder(replay, (n, v) -> true).header("Authorization", "Bearer " + TOKEN))
                    .statusCode()).as("replay with the token reaches the API").isNotEqualTo(401);

            String record = V1RecordGenerator.seeded(9L).next("SN-ACCESS", V1RecordGenerator.Variant.FW002).json();
            assertThat(send(HttpRequest.newBuilder(URI.create(bridge.pushUrl() + "/access-1"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(record)))
                    .statusCode()).as("a device's push").isEqualTo(200);
            assertThat(send(get(base + "/observe/health/ready")).statusCode()).isEqualTo(200);
            assertThat(send(get(base + "/observe/metrics")).statusCode()).isEqualTo(200);

            assertThat(devices(base, null)).startsWith("2:").contains("answered 401").contains("--token");
            assertThat(devices(base, TOKEN)).startsWith("0:").contains("access-1");
        }
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Exit code and output of {@code devices --url base [--token t]}. */
    private static String devices(String base, String token) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BridgeCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = token == null ? cli.execute("devices", "--url", base)
                : cli.execute("devices", "--url", base, "--token", token);
        return code + ":" + out + err;
    }
}
