package io.accessbridge.ingest;

import io.accessbridge.canonical.CloudEventCodec;
import io.accessbridge.canonical.EventHeaders;
import io.accessbridge.images.ImageStore;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Message;

/**
 * Turns a Camel message into the broker message of one canonical event: the CloudEvent JSON as
 * body, the selector properties as headers, nothing else (no HTTP header of the device leaks
 * onto the broker). Stores the snapshot first when the normaliser produced one.
 */
public final class CanonicalMessage {

    private final ImageStore images;

    /** Writes snapshots to {@code images} (claim check). */
    public CanonicalMessage(ImageStore images) {
        this.images = images;
    }

    /** Replaces body and headers of {@code message} with those of {@code normalized}. */
    public void apply(Message message, NormalizedEvent normalized) {
        if (normalized.image() != null && normalized.event().data().image() != null) {
            images.store(normalized.event().data().image().ref(), normalized.image());
        }
        message.getHeaders().clear();
        message.getHeaders().putAll(EventHeaders.of(normalized.event()));
        message.setBody(new String(CloudEventCodec.serialize(normalized.event()), StandardCharsets.UTF_8));
    }
}
