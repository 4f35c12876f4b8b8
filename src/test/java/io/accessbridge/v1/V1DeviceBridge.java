package io.accessbridge.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.testing.RunningBridge;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test support for v1 device ITs: writes a {@code devices.yaml}, starts the real bridge with it
 * and fast WebSocket/subscription timings, and reads {@code GET /api/devices}.
 */
final class V1DeviceBridge {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private V1DeviceBridge() {
    }

    /** Settings with fast timings for tests (still over real sockets). */
    static Map<String, String> fastSettings(Path devicesFile, String publicUrl) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("bridge.devices.file", devicesFile.toString());
        if (publicUrl != null) {
            s.put("bridge.public-url", publicUrl);
        }
        s.put("bridge.v1.subscription.check-interval-ms", "60000");
        s.put("bridge.v1.device-api.timeout-ms", "2000");
        s.put("bridge.v1.ws.connect-timeout-ms", "2000");
        s.put("bridge.v1.ws.handshake-timeout-ms", "10000");
        s.put("bridge.v1.ws.ping-interval-ms", "400");
        s.put("bridge.v1.ws.pong-timeout-ms", "1000");
        s.put("bridge.v1.ws.reconnect-initial-ms", "50");
        s.put("bridge.v1.ws.reconnect-max-ms", "400");
        s.put("bridge.v1.ws.busy-backoff-ms", "300");
        s.put("bridge.v1.ws.closing-timeout-ms", "1000");
        return s;
    }

    /** Starts a bridge whose HTTP port is known before start, so its public URL can be configured. */
    static RunningBridge start(Path data, Path devicesFile, boolean withPublicUrl, Map<String, String> extra) {
        Map<String, String> defaults = RunningBridge.defaults(data);
        String publicUrl = withPublicUrl ? "http://127.0.0.1:" + defaults.get("bridge.http.port") : null;
        Map<String, String> s = new LinkedHashMap<>(defaults);
        s.putAll(fastSettings(devicesFile, publicUrl));
        s.putAll(extra);
        return RunningBridge.start(data, s);
    }

    /** Writes an inventory of the given device entries (YAML flow mappings, one per device). */
    static Path inventory(Path dir, List<String> entries) throws IOException {
        StringBuilder sb = new StringBuilder("devices:\n");
        for (String e : entries) {
            sb.append("  - ").append(e).append('\n');
        }
        return Files.writeString(dir.resolve("devices.yaml"), sb.toString());
    }

    /** One v1 device entry. */
    static String device(String id, String address, boolean push, boolean websocket, String extra) {
        return "{id: " + id + ", generation: v1, address: '" + address + "', serialNumber: " + id
                + ", door: 'Door " + id + "', channels: {push: " + push + ", websocket: " + websocket + "}"
                + (extra == null || extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    /**
     * Stops a bridge; its own pooled broker connections are closed first, so that the embedded
     * broker's graceful shutdown does not wait for them.
     */
    static void close(RunningBridge bridge) throws Exception {
        if (bridge == null) {
            return;
        }
        Object pool = bridge.context().getRegistry().lookupByName("jmsConnectionFactory");
        if (pool instanceof org.messaginghub.pooled.jms.JmsPoolConnectionFactory p) {
            p.stop();
        }
        bridge.close();
    }

    /** {@code GET /api/devices} of the bridge, by device id. */
    static Map<String, JsonNode> status(RunningBridge bridge) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(bridge.baseUrl() + "/api/devices"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("status endpoint answered " + r.statusCode());
            }
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            for (JsonNode n : MAPPER.readTree(r.body())) {
                byId.put(n.get("deviceId").asText(), n);
            }
            return byId;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** State of a channel of a device ({@code UNKNOWN} when not reported yet). */
    static String state(RunningBridge bridge, String deviceId, String channel) {
        JsonNode c = status(bridge).get(deviceId).path("channels").path(channel);
        return c.isMissingNode() ? "UNKNOWN" : c.get("state").asText();
    }

    /** Reason of a channel's state, or "". */
    static String reason(RunningBridge bridge, String deviceId, String channel) {
        return status(bridge).get(deviceId).path("channels").path(channel).path("reason").asText("");
    }

    /** A counter of a device (0 when absent). */
    static long counter(RunningBridge bridge, String deviceId, String counter) {
        return status(bridge).get(deviceId).path("counters").path(counter).asLong(0);
    }
}
