package io.accessbridge.v1.device;

import io.accessbridge.config.BridgeProperties;
import java.time.Duration;

/**
 * Settings of the per-device v1 services (WebSocket client, subscription keeper, frame
 * publishing), from {@code config/application.properties}.
 *
 * @param publicUrl             {@code bridge.public-url}: the URL devices reach the bridge at, or {@code null}
 * @param pushPath              {@code bridge.v1.push.path}: the push path each device is subscribed to
 * @param subscriptionInterval  {@code bridge.v1.subscription.check-interval-ms}: how often a device's
 *                              subscription is read back and corrected
 * @param apiTimeout            {@code bridge.v1.device-api.timeout-ms}: answer time allowed to a device's HTTP API
 * @param connectTimeout        {@code bridge.v1.ws.connect-timeout-ms}: TCP (and TLS) connect time allowed
 * @param handshakeTimeout      {@code bridge.v1.ws.handshake-timeout-ms}: WebSocket upgrade answer time allowed;
 *                              no other connection is tried meanwhile
 * @param pingInterval          {@code bridge.v1.ws.ping-interval-ms}: a ping is sent this often
 * @param pongTimeout           {@code bridge.v1.ws.pong-timeout-ms}: a link that has not answered a ping within
 *                              this time is half-open and is closed
 * @param reconnectInitial      {@code bridge.v1.ws.reconnect-initial-ms}: first reconnect delay
 * @param reconnectMax          {@code bridge.v1.ws.reconnect-max-ms}: longest reconnect delay
 * @param busyBackoff           {@code bridge.v1.ws.busy-backoff-ms}: least delay after a device refused the
 *                              connection because it has its 3 clients (HTTP 503)
 * @param closingTimeout        {@code bridge.v1.ws.closing-timeout-ms}: time a closing connection waits for the
 *                              device's close before the TCP connection is cut
 * @param publishRetry          {@code bridge.v1.ws.publish-retry-ms}: how long a WebSocket event whose publish
 *                              failed is kept in memory and retried
 * @param maxPendingFrames      {@code bridge.v1.ws.max-pending-frames}: WebSocket events kept per device while
 *                              they wait to be published; beyond that the oldest is dropped and counted
 * @param publishThreads        {@code bridge.v1.ws.publish-threads}: threads publishing WebSocket events for all devices
 */
public record V1DeviceSettings(String publicUrl, String pushPath, Duration subscriptionInterval, Duration apiTimeout,
                               Duration connectTimeout, Duration handshakeTimeout, Duration pingInterval,
                               Duration pongTimeout, Duration reconnectInitial, Duration reconnectMax,
                               Duration busyBackoff, Duration closingTimeout, Duration publishRetry,
                               int maxPendingFrames, int publishThreads) {

    /** Reads the settings; defaults as documented in {@code config/application.properties}. */
    public static V1DeviceSettings from(BridgeProperties p) {
        return new V1DeviceSettings(
                p.optional("bridge.public-url").orElse(null),
                p.string("bridge.v1.push.path", "/v1/events"),
                ms(p, "bridge.v1.subscription.check-interval-ms", 300_000),
                ms(p, "bridge.v1.device-api.timeout-ms", 5_000),
                ms(p, "bridge.v1.ws.connect-timeout-ms", 5_000),
                ms(p, "bridge.v1.ws.handshake-timeout-ms", 10_000),
                ms(p, "bridge.v1.ws.ping-interval-ms", 15_000),
                ms(p, "bridge.v1.ws.pong-timeout-ms", 10_000),
                ms(p, "bridge.v1.ws.reconnect-initial-ms", 1_000),
                ms(p, "bridge.v1.ws.reconnect-max-ms", 60_000),
                ms(p, "bridge.v1.ws.busy-backoff-ms", 30_000),
                ms(p, "bridge.v1.ws.closing-timeout-ms", 2_000),
                ms(p, "bridge.v1.ws.publish-retry-ms", 60_000),
                p.integer("bridge.v1.ws.max-pending-frames", 1_000),
                p.integer("bridge.v1.ws.publish-threads", 8));
    }

    /** Checks the values make sense; the message names the setting. */
    public V1DeviceSettings {
        positive(subscriptionInterval, "bridge.v1.subscription.check-interval-ms");
        positive(apiTimeout, "bridge.v1.device-api.timeout-ms");
        positive(connectTimeout, "bridge.v1.ws.connect-timeout-ms");
        positive(handshakeTimeout, "bridge.v1.ws.handshake-timeout-ms");
        positive(pingInterval, "bridge.v1.ws.ping-interval-ms");
        positive(pongTimeout, "bridge.v1.ws.pong-timeout-ms");
        positive(reconnectInitial, "bridge.v1.ws.reconnect-initial-ms");
        positive(closingTimeout, "bridge.v1.ws.closing-timeout-ms");
        if (reconnectMax.compareTo(reconnectInitial) < 0) {
            throw new IllegalStateException("setting bridge.v1.ws.reconnect-max-ms must be at least bridge.v1.ws.reconnect-initial-ms");
        }
        if (maxPendingFrames < 1 || publishThreads < 1) {
            throw new IllegalStateException("settings bridge.v1.ws.max-pending-frames and bridge.v1.ws.publish-threads must be at least 1");
        }
    }

    private static Duration ms(BridgeProperties p, String key, long dflt) {
        return Duration.ofMillis(p.longValue(key, dflt));
    }

    private static void positive(Duration d, String key) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalStateException("setting " + key + " must be a positive number of milliseconds");
        }
    }
}
