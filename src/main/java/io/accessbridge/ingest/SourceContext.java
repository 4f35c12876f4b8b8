package io.accessbridge.ingest;

/**
 * What the bridge knows about where a raw event came from, apart from the event itself.
 * Receivers fill it from the request and the device inventory; normalizers only read it.
 *
 * @param channel       {@code http-push}, {@code websocket}, {@code v3-fetch} or {@code v3-report}
 * @param deviceId      the inventory id of the sending device, when the receiver could tell it
 *                      (path segment, WebSocket connection, poller); else {@code null}
 * @param remoteAddress the sender's IP address, when there is one
 * @param site          the device's site, from the inventory
 * @param door          the door or access point name, from the inventory
 * @param direction     attendance direction {@code IN} / {@code OUT}, or {@code null}
 */
public record SourceContext(String channel, String deviceId, String remoteAddress, String site, String door,
                            String direction) {

    /** A context that knows only the channel and the sender's address. */
    public static SourceContext of(String channel, String remoteAddress) {
        return new SourceContext(channel, null, remoteAddress, null, null, null);
    }

    /** The same context for a known device. */
    public SourceContext withDevice(String id, String site, String door, String direction) {
        return new SourceContext(channel, id, remoteAddress, site, door, direction);
    }
}
