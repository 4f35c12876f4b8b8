package io.accessbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which exchange headers travel to the broker as message properties. */
class EventPublishStepTest {

    @Test
    void eventPropertiesTravelAndCamelAndInvalidHeadersStayBehind() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("_AMQ_DUPL_ID", "id-1");
        headers.put("cloudEvents_type", "io.accessbridge.access.granted");
        headers.put("deviceId", "lobby-1");
        headers.put("count", 3);
        headers.put("flag", true);
        headers.put("CamelHttpUri", "/v1/events");
        headers.put("JMSCorrelationID", "x");
        headers.put("content-type", "application/json");
        headers.put("1st", "digit first");
        headers.put("body", new byte[] {1});
        headers.put("absent", null);

        assertThat(EventPublishStep.properties(headers)).containsExactly(
                Map.entry("_AMQ_DUPL_ID", "id-1"),
                Map.entry("cloudEvents_type", "io.accessbridge.access.granted"),
                Map.entry("deviceId", "lobby-1"),
                Map.entry("count", 3),
                Map.entry("flag", true));
    }
}
