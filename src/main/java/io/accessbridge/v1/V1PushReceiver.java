package io.accessbridge.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.accessbridge.ingest.CanonicalMessage;
import io.accessbridge.ingest.HttpInput;
import io.accessbridge.ingest.IngestProperties;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.inventory.DeviceConfig;
import io.accessbridge.inventory.DeviceDirectory;
import io.accessbridge.inventory.DeviceDirectory.DeviceProfile;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * The v1 HTTP push receiver's protocol step: reads a device's POST, tells which device sent it
 * (path segment {@code <push-path>/<device-id>}, then {@code deviceSN}, then the sender's address
 * in the inventory), normalises it, and leaves the broker message of the canonical event on the
 * exchange. The route publishes it and then calls {@link V1PushReplies#accepted}.
 */
public final class V1PushReceiver {

    /** Channel name of HTTP push. */
    public static final String CHANNEL = "http-push";

    private final String basePath;
    private final V1EventNormalizer normalizer;
    private final DeviceDirectory devices;
    private final CanonicalMessage canonicalMessage;

    /**
     * @param basePath         the push path devices are given, e.g. {@code /v1/events}
     * @param normalizer       the v1 normaliser
     * @param devices          the inventory
     * @param canonicalMessage writes the broker message
     */
    public V1PushReceiver(String basePath, V1EventNormalizer normalizer, DeviceDirectory devices,
                          CanonicalMessage canonicalMessage) {
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        this.normalizer = normalizer;
        this.devices = devices;
        this.canonicalMessage = canonicalMessage;
    }

    /** Normalises the pushed event into the exchange's message; throws {@link InvalidEventException} on bad input. */
    public void normalize(Exchange exchange) {
        HttpInput.JsonRequest request = HttpInput.readJson(exchange, CHANNEL);
        JsonNode json = request.body();
        NormalizedEvent normalized = normalizer.normalize(json,
                context(pathDeviceId(exchange), request.remoteAddress(), json));
        exchange.setProperty(IngestProperties.NORMALIZED, normalized);
        canonicalMessage.apply(exchange.getMessage(), normalized);
    }

    private SourceContext context(String pathDeviceId, String remote, JsonNode json) {
        SourceContext ctx = SourceContext.of(CHANNEL, remote);
        Optional<DeviceProfile> profile = Optional.empty();
        if (pathDeviceId != null) {
            profile = devices.byId(pathDeviceId);
            if (profile.isEmpty()) {
                return ctx.withDevice(pathDeviceId, null, null, null);
            }
        }
        if (profile.isEmpty()) {
            JsonNode sn = json.path("data").path("deviceSN");
            if (sn.isTextual()) {
                profile = devices.bySerial(sn.asText());
            }
        }
        if (profile.isEmpty() && remote != null) {
            profile = devices.byAddress(remote);
        }
        return profile.map(p -> ctx.withDevice(p.id(), p.site(), p.door(), p.direction())).orElse(ctx);
    }

    private String pathDeviceId(Exchange exchange) {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        if (uri == null) {
            return null;
        }
        int q = uri.indexOf('?');
        String path = q >= 0 ? uri.substring(0, q) : uri;
        int at = path.indexOf(basePath);
        if (at < 0) {
            return null;
        }
        String rest = path.substring(at + basePath.length());
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        if (rest.isEmpty()) {
            return null;
        }
        if (!DeviceConfig.isValidId(rest)) {
            throw new InvalidEventException("device id in the path must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        return rest;
    }

    /** Input whose content type is not JSON; answered 415. */
    public static final class UnsupportedContentTypeException extends InvalidEventException {
        public UnsupportedContentTypeException(String message) {
            super(message);
        }
    }
}
