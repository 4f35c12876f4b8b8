package io.accessbridge.ingest;

import io.accessbridge.broker.EventPublisher;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The broker step of route {@code publish-canonical-event}: sends the exchange's canonical message
 * (CloudEvent JSON body, selector properties as headers, as {@link CanonicalMessage#apply} left
 * them) persistently to the events address and returns once the broker stored it. Camel's own
 * headers ({@code Camel*}) and headers that cannot be JMS properties stay behind, as with the
 * {@code jms} component. A failure is thrown to the calling route, which answers the device.
 */
public final class EventPublishStep implements Processor {

    private final EventPublisher publisher;

    /** Publishes through {@code publisher}. */
    public EventPublishStep(EventPublisher publisher) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        publisher.publish(new CanonicalMessage.Parts(properties(in.getHeaders()), in.getMandatoryBody(String.class)));
    }

    /** The headers that travel as message properties. */
    static Map<String, Object> properties(Map<String, Object> headers) {
        Map<String, Object> properties = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (isProperty(name, value)) {
                properties.put(name, value);
            }
        });
        return properties;
    }

    private static boolean isProperty(String name, Object value) {
        if (value == null || name.isEmpty() || name.startsWith("Camel") || name.startsWith("JMS")
                || !Character.isJavaIdentifierStart(name.charAt(0))
                || !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
