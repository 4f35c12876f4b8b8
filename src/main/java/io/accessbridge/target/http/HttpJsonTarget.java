package io.accessbridge.target.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.target.DeliveryException;
import io.accessbridge.target.EventBodies;
import io.accessbridge.target.HttpResponses;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Steps of the generic HTTP JSON target (bean {@code httpJsonTarget}): {@link #toModel} gives the template the
 * whole CloudEvent as {@code body} ({@code {{body.id}}}, {@code {{body.subject}}},
 * {@code {{body.data.person.jobNumber}}}, ...), {@link #toRequest} checks that the rendered body is JSON and
 * makes it the request, {@link #checkResponse} judges the answer like every HTTP target.
 */
public final class HttpJsonTarget {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;

    /** Answers judged with {@code clock} for {@code Retry-After} dates. */
    public HttpJsonTarget(Clock clock) {
        this.clock = clock;
    }

    /** Route step: the body becomes the consumed CloudEvent as a map, for the template. */
    @SuppressWarnings("unchecked")
    public void toModel(Exchange exchange) throws JsonProcessingException {
        EventBodies.Parsed event = EventBodies.parse(exchange);
        Message m = exchange.getIn();
        m.getHeaders().clear();
        m.setBody(JSON.readValue(event.json(), Map.class));
    }

    /** Route step after the template: the rendered text must be a JSON document; it becomes the POST body. */
    public void toRequest(Exchange exchange) {
        Message m = exchange.getIn();
        String rendered = m.getBody(String.class);
        try {
            JsonNode parsed = JSON.readTree(rendered == null ? "" : rendered);
            if (parsed == null || !(parsed.isObject() || parsed.isArray())) {
                throw DeliveryException.permanent("template-not-json", "the template did not render a JSON object");
            }
        } catch (JsonProcessingException e) {
            throw DeliveryException.permanent("template-not-json", "the rendered body is not JSON: "
                    + e.getOriginalMessage());
        }
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        m.setBody(rendered.getBytes(StandardCharsets.UTF_8));
    }

    /** Route step after the call: 2xx is delivered, anything else fails per {@link HttpResponses}. */
    public void checkResponse(Exchange exchange) {
        HttpResponses.check(exchange.getIn(), clock);
    }
}
