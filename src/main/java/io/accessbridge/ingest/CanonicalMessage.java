package io.accessbridge.ingest;

import io.accessbridge.canonical.CloudEventCodec;
import io.accessbridge.canonical.EventHeaders;
import io.accessbridge.images.ImageStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.Message;

/**
 * Turns a normalised event into the broker message of one canonical event: the CloudEvent JSON as
 * body, the selector properties as headers, nothing else (no HTTP header of the device leaks
 * onto the broker). Stores the snapshot first when the normaliser produced one. Every publisher
 * (the {@code direct:publish} route, {@link io.accessbridge.broker.EventPublisher}) writes what
 * {@link #parts} returns, so an event looks the same on the broker whichever way it came.
 */
public final class CanonicalMessage {

    /**
     * Body and properties of one broker message.
     *
     * @param headers the message properties, {@link EventHeaders#of} (duplicate id included)
     * @param body    the CloudEvent JSON
     */
    public record Parts(Map<String, Object> headers, String body) {
    }

    private final ImageStore images;

    /** Writes snapshots to {@code images} (claim check). */
    public CanonicalMessage(ImageStore images) {
        this.images = images;
    }

    /** Stores the event's snapshot, if any, and returns the body and properties of its broker message. */
    public Parts parts(NormalizedEvent normalized) {
        if (normalized.image() != null && normalized.event().data().image() != null) {
            images.store(normalized.event().data().image().ref(), normalized.image());
        }
        return new Parts(EventHeaders.of(normalized.event()),
                new String(CloudEventCodec.serialize(normalized.event()), StandardCharsets.UTF_8));
    }

    /** Replaces body and headers of {@code message} with those of {@code normalized}. */
    public void apply(Message message, NormalizedEvent normalized) {
        Parts parts = parts(normalized);
        message.getHeaders().clear();
        message.getHeaders().putAll(parts.headers());
        message.setBody(parts.body());
    }
}
