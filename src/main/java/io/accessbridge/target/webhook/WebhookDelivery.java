package io.accessbridge.target.webhook;

import io.accessbridge.canonical.CloudEventCodec;
import io.accessbridge.target.DeliveryException;
import io.accessbridge.target.EventBodies;
import io.accessbridge.target.HttpResponses;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The steps of a webhook route (beans {@code webhookDelivery} and {@code webhookAlarmsDelivery}):
 * {@link #sign} before each attempt (so every retry carries a fresh {@code webhook-timestamp}, as the
 * specification requires), {@link #checkResponse} after it.
 */
public final class WebhookDelivery {

    private final WebhookSigner signer;
    private final Clock clock;

    /** Signs with {@code signer} (null when no secret is set: the target cannot deliver), timestamps from {@code clock}. */
    public WebhookDelivery(WebhookSigner signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    /**
     * Route step: the body becomes the UTF-8 bytes of the CloudEvent JSON as stored; the headers become exactly
     * {@code Content-Type: application/cloudevents+json}, {@code webhook-id} (the event id),
     * {@code webhook-timestamp} (now, Unix seconds) and {@code webhook-signature}.
     */
    public void sign(Exchange exchange) {
        if (signer == null) {
            throw DeliveryException.retryable("no-signing-secret", null);
        }
        EventBodies.Parsed event = EventBodies.parse(exchange);
        Message m = exchange.getIn();
        String id = WebhookSigner.webhookId(event.cloudEvent().getId());
        long timestamp = clock.instant().getEpochSecond();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.CONTENT_TYPE, CloudEventCodec.CONTENT_TYPE + "; charset=utf-8");
        m.setHeader("webhook-id", id);
        m.setHeader("webhook-timestamp", Long.toString(timestamp));
        m.setHeader("webhook-signature", signer.sign(id, timestamp, event.json()));
        m.setBody(event.json().getBytes(StandardCharsets.UTF_8));
    }

    /** Route step after the call: 2xx is delivered, anything else fails per {@link HttpResponses}. */
    public void checkResponse(Exchange exchange) {
        HttpResponses.check(exchange.getIn(), clock);
    }
}
