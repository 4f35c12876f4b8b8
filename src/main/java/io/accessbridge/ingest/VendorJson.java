package io.accessbridge.ingest;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON reader for device input. Vendor documents (and so, presumably, firmware) write JSON
 * with trailing commas (spec 002's alarm, spec 004's replies) and comments (spec 004): both are
 * accepted, as the specs README asks ("accept every variant").
 */
public final class VendorJson {

    /** A lenient, thread-safe reader; use it for every byte a device sends. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private VendorJson() {
    }
}
