package io.accessbridge.target;

import io.accessbridge.canonical.AccessEvent;
import io.accessbridge.canonical.CloudEventCodec;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;

/** Reads the canonical event a delivery route consumed (the CloudEvent JSON body), once per exchange. */
public final class EventBodies {

    private static final String PARSED = EventBodies.class.getName() + ".parsed";

    private EventBodies() {
    }

    /**
     * A consumed event: the CloudEvent, its canonical data and the JSON exactly as stored.
     *
     * @param cloudEvent the CloudEvent
     * @param data       its canonical data
     * @param json       the structured-mode JSON as published
     */
    public record Parsed(CloudEvent cloudEvent, AccessEvent data, String json) {
    }

    /**
     * The event in the exchange's body (parsed on first use and kept on the exchange); also records the
     * event id for {@link DeliveryPolicy#eventId}. A body that is not a canonical event is a permanent failure.
     */
    public static Parsed parse(Exchange exchange) {
        Parsed parsed = exchange.getProperty(PARSED, Parsed.class);
        if (parsed != null) {
            return parsed;
        }
        String json = exchange.getIn().getBody(String.class);
        if (json == null) {
            throw DeliveryException.permanent("not-an-event", "empty message body");
        }
        try {
            CloudEvent ce = CloudEventCodec.deserialize(json.getBytes(StandardCharsets.UTF_8));
            parsed = new Parsed(ce, CloudEventCodec.data(ce), json);
        } catch (RuntimeException e) {
            throw DeliveryException.permanent("not-an-event", e.getClass().getSimpleName());
        }
        exchange.setProperty(PARSED, parsed);
        exchange.setProperty(DeliveryPolicy.EVENT_ID, parsed.cloudEvent().getId());
        return parsed;
    }
}
