package io.accessbridge.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.ingest.RawInput;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.privacy.PrivacyPolicy;
import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.v1.V1EventNormalizer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The canonical event ids a simulated v1 device's acknowledged records must have in the broker,
 * computed independently of the bridge's wiring (same normaliser, same device id from the path).
 */
public final class ExpectedIds {

    private static final V1EventNormalizer NORMALIZER = new V1EventNormalizer(PrivacyPolicy.DEFAULT);

    private ExpectedIds() {
    }

    /** Ids of every record the devices had acknowledged, each pushed to {@code .../v1/events/<serial>}. */
    public static Set<String> ofAcknowledged(List<V1DeviceSimulator> devices) {
        Set<String> ids = new HashSet<>();
        for (V1DeviceSimulator d : devices) {
            for (String key : d.acknowledgedKeys()) {
                ids.add(idOf(d.serialNumber(), key));
            }
        }
        return ids;
    }

    /** The id of one record key ({@code uuid}, {@code trace_id:status}, or the data JSON of shapes without id). */
    public static String idOf(String deviceId, String key) {
        if (!key.startsWith("{")) {
            return key;
        }
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.put("type", 0);
        envelope.set("data", RawInput.parseJson(key.getBytes(StandardCharsets.UTF_8)));
        return NORMALIZER.normalize(envelope, SourceContext.of("http-push", "127.0.0.1")
                .withDevice(deviceId, null, null, null)).event().id();
    }
}
