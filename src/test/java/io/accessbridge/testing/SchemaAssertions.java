package io.accessbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.accessbridge.canonical.AccessEvent;
import java.io.InputStream;
import java.util.Set;

/** Validates canonical data against the published JSON Schema, {@code schema/access-event-1.0.json}. */
public final class SchemaAssertions {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();

    private SchemaAssertions() {
    }

    private static JsonSchema load() {
        try (InputStream in = SchemaAssertions.class.getResourceAsStream("/schema/access-event-1.0.json")) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails with the schema's messages when {@code data} does not conform. */
    public static void assertConforms(AccessEvent data) {
        assertConforms(MAPPER.valueToTree(data));
    }

    /** Fails with the schema's messages when {@code data} does not conform. */
    public static void assertConforms(JsonNode data) {
        Set<ValidationMessage> errors = SCHEMA.validate(data);
        assertThat(errors).as("schema violations of %s", data).isEmpty();
    }
}
