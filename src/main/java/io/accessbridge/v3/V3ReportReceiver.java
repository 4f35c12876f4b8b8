package io.accessbridge.v3;

import com.fasterxml.jackson.databind.JsonNode;
import io.accessbridge.ingest.CanonicalMessage;
import io.accessbridge.ingest.HttpInput;
import io.accessbridge.ingest.IngestProperties;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.JsonFields;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.inventory.DeviceDirectory;
import io.accessbridge.inventory.DeviceDirectory.DeviceProfile;
import io.accessbridge.v3.poll.V3Pollers;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * The protocol step of route {@code ingest-v3-report}: reads a device's {@code event-report}
 * ({@code {"action":"event-report","header":{"reqid":..},"body":{"device-id":..,"seqnum":..,...}}}),
 * tells which device sent it (the body's {@code device-id} when it is an inventory id or serial number,
 * else the sender's address when exactly one inventory device has it, else the {@code device-id} as it
 * is), normalises the event and leaves its broker message on the exchange. The route publishes it, then calls
 * {@link V3Pollers#reported} and {@link V3ReportReplies#accepted}.
 */
public final class V3ReportReceiver {

    /** Channel name of {@code event-report}. */
    public static final String CHANNEL = "v3-report";
    /** Exchange property: the request's {@code header.reqid} as sent (a JSON text or number). */
    public static final String REQID = "bridge.v3.reqid";

    private final DeviceDirectory devices;
    private final CanonicalMessage canonicalMessage;

    /**
     * @param devices          the inventory
     * @param canonicalMessage writes the broker message
     */
    public V3ReportReceiver(DeviceDirectory devices, CanonicalMessage canonicalMessage) {
        this.devices = devices;
        this.canonicalMessage = canonicalMessage;
    }

    /** Normalises the reported event into the exchange's message; throws {@link InvalidEventException} on bad input. */
    public void normalize(Exchange exchange) {
        HttpInput.JsonRequest read = HttpInput.readJson(exchange, CHANNEL);
        JsonNode request = read.body();
        String remote = read.remoteAddress();
        exchange.setProperty(REQID, reqid(request));
        JsonNode body = event(request);
        Optional<DeviceProfile> profile = sender(body, remote);
        SourceContext ctx = SourceContext.of(CHANNEL, remote);
        if (profile.isPresent()) {
            DeviceProfile p = profile.get();
            ctx = ctx.withDevice(p.id(), p.site(), p.door(), p.direction());
        }
        if (ctx.deviceId() != null) {
            exchange.setProperty(IngestProperties.DEVICE_ID, ctx.deviceId());
        }
        NormalizedEvent normalized = V3EventNormalizer.normalize(body, ctx);
        exchange.setProperty(IngestProperties.NORMALIZED, normalized);
        exchange.setProperty(V3Pollers.SEQNUM, JsonFields.requiredInteger(body, "seqnum"));
        exchange.setProperty(V3Pollers.TIMESTAMP, JsonFields.integer(body, "timestamp"));
        canonicalMessage.apply(exchange.getMessage(), normalized);
    }

    /**
     * The request's {@code header.reqid} (echoed in every answer from here on); throws
     * {@link InvalidEventException} when the request is not an object or has none.
     */
    public static JsonNode reqid(JsonNode request) {
        if (!request.isObject()) {
            throw new InvalidEventException("request must be a JSON object");
        }
        JsonNode header = request.get("header");
        JsonNode reqid = header != null && header.isObject() ? header.get("reqid") : null;
        if (reqid == null || !(reqid.isTextual() || reqid.isIntegralNumber())) {
            throw new InvalidEventException("field 'header.reqid' is required (text or integer)");
        }
        return reqid;
    }

    /** The reported event, {@code body}; throws {@link InvalidEventException} when the request is no event-report. */
    public static JsonNode event(JsonNode request) {
        JsonNode action = request.get("action");
        if (action == null || !action.isTextual() || !action.asText().equals("event-report")) {
            throw new InvalidEventException("field 'action' must be 'event-report'");
        }
        JsonNode body = request.get("body");
        if (body == null || !body.isObject()) {
            throw new InvalidEventException("field 'body' must be an object with the event");
        }
        return body;
    }

    /**
     * The inventory device that reported this event: the one the event's {@code device-id} names (inventory id,
     * else serial number), else the one device at the sender's address; empty when the inventory knows neither.
     * Throws {@link ReportRefusedException} for a report the bridge does not take: its device has the report
     * channel off, or several inventory devices share the address and the {@code device-id} names none of them.
     */
    public Optional<DeviceProfile> sender(JsonNode event, String remote) {
        String deviceId = JsonFields.text(event, "device-id");
        Optional<DeviceProfile> profile = deviceId == null ? Optional.empty() : devices.byId(deviceId);
        if (profile.isEmpty() && deviceId != null) {
            profile = devices.bySerial(deviceId);
        }
        if (profile.isEmpty() && remote != null) {
            profile = devices.byAddress(remote);
            if (profile.isEmpty() && devices.sharedAddress(remote)) {
                throw new UnattributedReportException(remote);
            }
        }
        if (profile.isPresent() && !profile.get().channels().report()) {
            throw new ReportChannelOffException(profile.get().id());
        }
        return profile;
    }

    /**
     * An {@code event-report} the bridge does not store although it is well formed: answered 403, not
     * stored and not quarantined (it is not bad input); the poller reads the event.
     */
    public abstract static class ReportRefusedException extends RuntimeException {

        private final String source;

        ReportRefusedException(String message, String source) {
            super(message, null, false, false);
            this.source = source;
        }

        /** The device's inventory id, or the address the report came from. */
        public String source() {
            return source;
        }

        /** Why, for the log (once per source) and the reply. */
        public abstract String why();
    }

    /** From a device whose inventory entry has {@code channels.report: false}. */
    public static final class ReportChannelOffException extends ReportRefusedException {

        /** For the device with this inventory id. */
        public ReportChannelOffException(String deviceId) {
            super("event-report is off for device " + deviceId + " (channels.report: false)", deviceId);
        }

        /** The device's inventory id. */
        public String deviceId() {
            return source();
        }

        @Override
        public String why() {
            return "event-report is off for this device (channels.report: false in the inventory)";
        }
    }

    /**
     * From an address several inventory devices share, with a {@code device-id} that is none of their ids or
     * serial numbers: storing it under that {@code device-id} would store the event a second time when the
     * device's poller fetches it under its inventory id.
     */
    public static final class UnattributedReportException extends ReportRefusedException {

        /** For a report from this address. */
        public UnattributedReportException(String address) {
            super("event-report from " + address + ", an address several devices share, names none of them", address);
        }

        @Override
        public String why() {
            return "several inventory devices have this address and the report's device-id is none of their ids or "
                    + "serialNumbers (set serialNumber in the inventory)";
        }
    }

    /** Input whose content type is not JSON; answered 415. */
    public static final class UnsupportedContentTypeException extends InvalidEventException {
        public UnsupportedContentTypeException(String message) {
            super(message);
        }
    }
}
