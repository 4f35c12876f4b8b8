package io.accessbridge.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.net.SocketAddress;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

/** What the HTTP receivers (v1 push, v3 event-report) read from a device's request besides its body. */
public final class HttpInput {

    private HttpInput() {
    }

    /** The sender's IP address, or {@code null} when the HTTP server did not give one. */
    public static String remoteAddress(Exchange exchange) {
        Object addr = exchange.getMessage().getHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS);
        return addr instanceof SocketAddress sa ? sa.hostAddress() : null;
    }

    /**
     * Accepts a JSON body (or one without a content type, as some firmware sends it);
     * throws {@link UnsupportedContentTypeException} for anything else.
     */
    public static void requireJson(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String ct = contentType.toLowerCase(Locale.ROOT);
        if (!ct.startsWith("application/json") && !ct.startsWith("text/json") && !ct.startsWith("text/plain")) {
            throw new UnsupportedContentTypeException("content type must be application/json");
        }
    }

    /** A device's JSON request: its parsed body and the sender's address. */
    public record JsonRequest(JsonNode body, String remoteAddress) {
    }

    /**
     * The first step of every HTTP receiver: keeps the raw body on the exchange for quarantine
     * ({@link RawInput#capture}; a form or multipart body as {@link FormBodyCapture} kept it), records
     * the sender's address ({@link IngestProperties#REMOTE_ADDRESS}), refuses a content type that is not JSON ({@link #requireJson}) and parses the body
     * ({@link RawInput#parseJson}); throws {@link InvalidEventException} on bad input.
     */
    public static JsonRequest readJson(Exchange exchange, String channel) {
        FormBodyCapture.restore(exchange.getMessage());
        byte[] raw = RawInput.capture(exchange, channel);
        String remote = remoteAddress(exchange);
        exchange.setProperty(IngestProperties.REMOTE_ADDRESS, remote);
        requireJson(exchange);
        return new JsonRequest(RawInput.parseJson(raw), remote);
    }

    /** Input whose content type is not JSON; answered 415. */
    public static final class UnsupportedContentTypeException extends InvalidEventException {
        public UnsupportedContentTypeException(String message) {
            super(message);
        }
    }
}
