package io.accessbridge.target.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.Mustache;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String render(String template, Map<String, Object> model) {
        Mustache m = new JsonTemplates.JsonEscapingFactory().compile(new StringReader(template), "t");
        StringWriter out = new StringWriter();
        m.execute(out, model);
        return out.toString();
    }

    @Test
    void valuesCannotBreakOutOfTheirJsonString() throws Exception {
        String hostile = "x\", \"admin\": true, \"y\": \"\\\n\u0001\u2028";
        String out = render("{\"name\": \"{{body.name}}\"}", Map.of("body", Map.of("name", hostile)));
        JsonNode parsed = JSON.readTree(out);
        assertThat(parsed.get("name").asText()).isEqualTo(hostile);
        assertThat(parsed.has("admin")).isFalse();
        assertThat(JsonTemplates.escape("<b>&")).as("no HTML escaping").isEqualTo("<b>&");
    }

    @Test
    void theShippedTemplateRendersAGrantedEventAsJson() throws Exception {
        String template = Files.readString(Path.of("config/http-target.json.mustache"));
        Map<String, Object> event = JSON.readValue("""
                {"id":"e1","subject":"Lobby","data":{"kind":"access.granted","occurredAt":"2024-01-01T00:00:00Z",
                 "device":{"id":"d1","site":"hq"},"direction":"IN","decision":{"granted":true,"reason":"verified"},
                 "person":{"jobNumber":"42","type":"employee","name":"Secret Name"},"credential":{"method":"face"}}}
                """, Map.class);
        JsonNode out = JSON.readTree(render(template, Map.of("body", event)));
        assertThat(out.get("eventId").asText()).isEqualTo("e1");
        assertThat(out.get("employee").asText()).isEqualTo("42");
        assertThat(out.get("granted").asBoolean()).isTrue();
        assertThat(out.toString()).doesNotContain("Secret Name");
    }
}
