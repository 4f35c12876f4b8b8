package io.accessbridge.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code GET /api/devices}: the device status registry as JSON, one object per device:
 * {@code deviceId}, {@code generation}, {@code channels} (per channel {@code state}, {@code since}
 * and {@code reason}), {@code lastEventAt}, {@code eventsStored}, {@code counters}, {@code gauges}.
 * Times are RFC 3339 UTC. No personal data: ids, states, reasons and numbers only.
 */
public final class DeviceStatusApi {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DeviceStatusRegistry registry;

    /** Serves {@code registry}. */
    public DeviceStatusApi(DeviceStatusRegistry registry) {
        this.registry = registry;
    }

    /** Writes the list of every device's status as the response. */
    public void list(Exchange exchange) {
        ArrayNode list = MAPPER.createArrayNode();
        for (DeviceStatus s : registry.all()) {
            list.add(toJson(s));
        }
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader("Cache-Control", "no-store");
        m.setBody(list.toString());
    }

    /** The JSON object of one device's status. */
    public static ObjectNode toJson(DeviceStatus s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("deviceId", s.deviceId());
        o.put("generation", s.generation());
        ObjectNode channels = o.putObject("channels");
        s.channels().forEach((name, c) -> {
            ObjectNode ch = channels.putObject(name);
            ch.put("state", c.state().name());
            ch.put("since", c.since().toString());
            if (c.reason() == null) {
                ch.putNull("reason");
            } else {
                ch.put("reason", c.reason());
            }
        });
        if (s.lastEventAt() == null) {
            o.putNull("lastEventAt");
        } else {
            o.put("lastEventAt", s.lastEventAt().toString());
        }
        o.put("eventsStored", s.eventsStored());
        ObjectNode counters = o.putObject("counters");
        s.counters().forEach(counters::put);
        ObjectNode gauges = o.putObject("gauges");
        s.gauges().forEach(gauges::put);
        return o;
    }
}
