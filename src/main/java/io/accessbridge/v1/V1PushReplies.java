package io.accessbridge.v1;

import io.accessbridge.ingest.HttpInput;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.ingest.IngestProperties;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.PublishOutcomeLog;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The v1 push protocol's answers: {@code {"code":200,"msg":"success","data":{"pass":..}}} once
 * the event is stored (echoing the device's own {@code pass}), and error answers that make the
 * device keep the record and retry ({@code 503}) or that say why the input was refused
 * ({@code 400}, {@code 415}). The HTTP status equals {@code code}.
 */
public final class V1PushReplies {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PublishOutcomeLog outcomes;

    /** Replies that report the broker's availability to {@code outcomes}. */
    public V1PushReplies(PublishOutcomeLog outcomes) {
        this.outcomes = outcomes;
    }

    /** The stored event's answer. */
    public void accepted(Exchange exchange) {
        outcomes.stored();
        NormalizedEvent n = exchange.getProperty(IngestProperties.NORMALIZED, NormalizedEvent.class);
        ObjectNode data = MAPPER.createObjectNode();
        Object pass = n == null || n.event().data().vendor() == null ? null : n.event().data().vendor().get("pass");
        if (pass instanceof Boolean b) {
            data.put("pass", b);
        }
        String tips = exchange.getProperty(V1Replies.CUSTOM_TIPS, String.class);
        if (tips != null) {
            data.put("customtips", tips);
        }
        Boolean override = exchange.getProperty(V1Replies.PASS_OVERRIDE, Boolean.class);
        if (override != null) {
            data.put("pass", override);
        }
        write(exchange.getMessage(), 200, "success", data);
    }

    /** The answer to input that is not a v1 event: 400 (or 415 for a non-JSON content type). */
    public void rejected(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int status = cause instanceof HttpInput.UnsupportedContentTypeException ? 415 : 400;
        String reason = cause instanceof InvalidEventException ? cause.getMessage() : "invalid event";
        write(exchange.getMessage(), status, "invalid event: " + reason, null);
    }

    /** The answer when the event could not be stored: 503, so the device keeps it and retries. */
    public void unavailable(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        outcomes.failed(V1PushReceiver.CHANNEL, cause == null ? "unknown" : rootMessage(cause));
        write(exchange.getMessage(), 503, "event not stored, retry later", null);
    }

    private static void write(Message m, int status, String msg, ObjectNode data) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("code", status);
        body.put("msg", msg);
        if (data == null) {
            body.putNull("data");
        } else {
            body.set("data", data);
        }
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(body.toString());
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : " " + c.getMessage());
    }
}
