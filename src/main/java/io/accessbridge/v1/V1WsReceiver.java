package io.accessbridge.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.accessbridge.ingest.CanonicalMessage;
import io.accessbridge.ingest.IngestProperties;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.RawInput;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.inventory.DeviceDirectory;
import io.accessbridge.status.DeviceStatusRegistry;
import org.apache.camel.Exchange;

/**
 * The v1 WebSocket channel's protocol step (spec 003) in a device route: one message of the
 * device's connection becomes the broker message of its canonical event, through the same
 * normaliser as HTTP push. The device is the one the connection belongs to (property
 * {@link #DEVICE_ID}), which also attributes alarms, whose records carry no serial number. A
 * record that also arrives by HTTP push gets the same event id and is stored once.
 */
public final class V1WsReceiver {

    /** Channel name of the WebSocket stream. */
    public static final String CHANNEL = "websocket";
    /** Exchange property: the inventory id of the device whose connection the message came on. */
    public static final String DEVICE_ID = "bridge.v1.deviceId";

    private final V1EventNormalizer normalizer;
    private final DeviceDirectory devices;
    private final CanonicalMessage canonicalMessage;
    private final DeviceStatusRegistry status;

    /**
     * @param normalizer       the v1 normaliser (shared with HTTP push)
     * @param devices          the inventory
     * @param canonicalMessage writes the broker message
     * @param status           the device status registry (quarantine counter)
     */
    public V1WsReceiver(V1EventNormalizer normalizer, DeviceDirectory devices, CanonicalMessage canonicalMessage,
                        DeviceStatusRegistry status) {
        this.normalizer = normalizer;
        this.devices = devices;
        this.canonicalMessage = canonicalMessage;
        this.status = status;
    }

    /** Normalises the message into the exchange's message; throws {@code InvalidEventException} on bad input. */
    public void normalize(Exchange exchange) {
        byte[] raw = RawInput.capture(exchange, CHANNEL);
        String deviceId = exchange.getProperty(DEVICE_ID, String.class);
        // the connection's device, also on a message that goes to quarantine
        exchange.setProperty(IngestProperties.DEVICE_ID, deviceId);
        String remote = exchange.getProperty(IngestProperties.REMOTE_ADDRESS, String.class);
        JsonNode json = RawInput.parseJson(raw);
        SourceContext ctx = SourceContext.of(CHANNEL, remote);
        SourceContext withDevice = devices.byId(deviceId)
                .map(p -> ctx.withDevice(p.id(), p.site(), p.door(), p.direction()))
                .orElse(ctx.withDevice(deviceId, null, null, null));
        NormalizedEvent normalized = normalizer.normalize(json, withDevice);
        exchange.setProperty(IngestProperties.NORMALIZED, normalized);
        canonicalMessage.apply(exchange.getMessage(), normalized);
    }

    /** Counts a message that went to quarantine. */
    public void quarantined(Exchange exchange) {
        String deviceId = exchange.getProperty(DEVICE_ID, String.class);
        if (deviceId != null) {
            status.count(deviceId, "websocket.quarantined", 1);
        }
    }
}
