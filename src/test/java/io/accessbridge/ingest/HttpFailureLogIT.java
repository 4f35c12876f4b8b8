package io.accessbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.testing.LogCapture;
import io.accessbridge.testing.RunningBridge;
import io.accessbridge.testing.fuzz.RawHttp;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that fail in the HTTP server before a route sees them are logged in the bridge's words: a push
 * cut off mid-body at INFO, an oversized one at WARN with its 413, neither as Vert.x's router ERROR, and with
 * nothing of the body in the line.
 */
class HttpFailureLogIT {

    @TempDir
    Path dir;

    @Test
    void aCutOffPushAndAnOversizedOneAreLoggedWithPathAndSenderNotAsRouterErrors() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(dir, Map.of("camel.server.max-body-size", "4096"));
             LogCapture log = LogCapture.start()) {
            int port = URI.create(bridge.baseUrl()).getPort();
            byte[] record = "{\"type\":0,\"data\":{\"deviceSN\":\"SN-CUT\",\"user\":{\"name\":\"Erika Geheim\"}}}"
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(RawHttp.send(null, port, "POST", "/v1/events/cut-1", "application/json", record,
                    RawHttp.Mode.CUT_OFF)).isNull();
            byte[] big = ("{\"type\":0,\"data\":{\"remark\":\"" + "Erika Geheim ".repeat(400) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            RawHttp.Answer oversized = RawHttp.send(null, port, "POST", "/v1/events/big-1", "application/json", big,
                    RawHttp.Mode.WHOLE);
            assertThat(oversized.status()).isEqualTo(413);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.lines())
                    .anyMatch(l -> l.startsWith("INFO io.accessbridge.ingest.HttpFailureLog - POST /v1/events/cut-1 "
                            + "from 127.0.0.1: the connection closed"))
                    .anyMatch(l -> l.startsWith("WARN io.accessbridge.ingest.HttpFailureLog - POST /v1/events/big-1 "
                            + "from 127.0.0.1: body over the server's limit")));
            assertThat(log.lines()).noneMatch(l -> l.contains("Unhandled exception in router"))
                    .noneMatch(l -> l.contains("Erika"));
        }
    }
}
