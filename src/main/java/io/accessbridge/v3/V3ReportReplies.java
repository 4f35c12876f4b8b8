package io.accessbridge.v3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.ingest.HttpInput;
import io.accessbridge.ingest.IngestProperties;
import io.accessbridge.ingest.InvalidEventException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers of the {@code event-report} receiver, in the envelope of spec 004:
 * {@code {"retcode":0,"header":{"reqid":<as sent>}}} once the event is stored; otherwise
 * {@code retcode} equals the HTTP status and {@code msg} says what went wrong: 400 (not a valid
 * event-report), 415 (not JSON), 403 (the device's report channel is off), 503 (not stored; a v3 device does not re-send, the poller fetches
 * the event with {@code event-fetch} instead).
 */
public final class V3ReportReplies {

    private static final Logger LOG = LoggerFactory.getLogger(V3ReportReplies.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Set<String> refusedSources = ConcurrentHashMap.newKeySet();

    /** The stored event's answer. */
    public void accepted(Exchange exchange) {
        write(exchange, 200, 0, null);
    }

    /** The answer to input that is not a valid event-report: 400 (or 415 for a non-JSON content type). */
    public void rejected(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int status = cause instanceof HttpInput.UnsupportedContentTypeException ? 415 : 400;
        String reason = cause instanceof InvalidEventException ? cause.getMessage() : "invalid request";
        write(exchange, status, status, "invalid event-report: " + reason);
    }

    /**
     * The answer to a report the bridge does not take ({@link V3ReportReceiver.ReportRefusedException}: the
     * device's report channel is off, or the report cannot be put on one device): 403, nothing stored; the
     * poller reads its events. Logged once per device or address.
     */
    public void refused(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (cause instanceof V3ReportReceiver.ReportRefusedException refused) {
            if (refusedSources.add(refused.source())) {
                LOG.warn("event-report from {} refused: {}; its events are read by polling", refused.source(),
                        refused.why());
            }
            write(exchange, 403, 403, refused.why() + "; the bridge reads its events with event-fetch");
        } else {
            write(exchange, 403, 403, "event-report refused; the bridge reads its events with event-fetch");
        }
    }

    /** The answer when the event could not be stored: 503; the poller will fetch it. */
    public void unavailable(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("event-report from {} not stored, left to the poller: {}",
                exchange.getProperty(IngestProperties.REMOTE_ADDRESS),
                cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + rootMessage(cause));
        write(exchange, 503, 503, "event not stored; the bridge will fetch it with event-fetch");
    }

    private static void write(Exchange exchange, int status, int retcode, String msg) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("retcode", retcode);
        ObjectNode header = body.putObject("header");
        JsonNode reqid = exchange.getProperty(V3ReportReceiver.REQID, JsonNode.class);
        if (reqid != null) {
            header.set("reqid", reqid);
        }
        if (msg != null) {
            body.put("msg", msg);
        }
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(body.toString());
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : " " + c.getMessage());
    }
}
