package io.accessbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.accessbridge.config.BridgeProperties;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked: against the Compose
 * specification's JSON Schema (from Debian's docker-compose package, installed by .ci/run), and
 * against the bridge's real settings, ports, paths and Dockerfile.
 */
class DockerComposeTest {

    /** Where Debian's docker-compose package keeps the Compose specification schema. */
    static final Path COMPOSE_SCHEMA = Path.of("/usr/lib/python3/dist-packages/compose/config/compose_spec.json");

    private static JsonNode compose;
    private static Properties settings;

    @BeforeAll
    static void load() throws Exception {
        compose = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker-compose.yml").toFile());
        settings = new Properties();
        try (InputStream in = new FileInputStream("config/application.properties")) {
            settings.load(in);
        }
    }

    @Test
    void conformsToTheComposeSpecificationSchema() throws Exception {
        boolean ci = System.getenv("CI") != null;
        if (!ci) {
            assumeTrue(Files.exists(COMPOSE_SCHEMA), "apt-get install docker-compose for the Compose schema");
        }
        assertThat(COMPOSE_SCHEMA).as("CI installs docker-compose for its schema").exists();
        com.fasterxml.jackson.databind.node.ObjectNode schemaJson =
                (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(COMPOSE_SCHEMA.toFile());
        stripDraft4Ids(schemaJson);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(schemaJson);
        Set<ValidationMessage> errors = schema.validate(compose);
        assertThat(errors).isEmpty();
    }

    /** The schema marks its parts with draft-04 {@code "id": "#/..."} strings, which 2019-09 validators refuse. */
    private static void stripDraft4Ids(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            if (o.path("id").isTextual()) {
                o.remove("id");
            }
            o.forEach(DockerComposeTest::stripDraft4Ids);
        } else if (node.isArray()) {
            node.forEach(DockerComposeTest::stripDraft4Ids);
        }
    }

    @Test
    void bridgeEnvironmentNamesRealSettings() {
        JsonNode env = compose.at("/services/bridge/environment");
        assertThat(env.isObject()).isTrue();
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = env.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.equals("BRIDGE_CONFIG")) {
                continue;
            }
            String base = name.endsWith("_FILE") ? name.substring(0, name.length() - 5) : name;
            boolean known = settings.stringPropertyNames().stream().anyMatch(k -> BridgeProperties.envName(k).equals(base));
            if (!known) {
                unknown.add(name);
            }
        }
        assertThat(unknown).as("environment variables that name no setting of config/application.properties").isEmpty();
        assertThat(env.get("BRIDGE_BROKER_URL").asText()).isEqualTo("tcp://artemis:61616");
    }

    @Test
    void portsPathsAndHealthChecksMatchTheBridge() throws Exception {
        String httpPort = settings.getProperty("bridge.http.port");
        assertThat(compose.at("/services/bridge/ports/0").asText()).endsWith(":" + httpPort);
        assertThat(compose.at("/services/bridge/healthcheck/test/1").asText()).contains("/observe/health/ready")
                .contains("/dev/tcp/127.0.0.1/" + httpPort);
        assertThat(compose.at("/services/artemis/ports/0").asText()).isEqualTo("61616:61616");

        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("WORKDIR /opt/bridge");
        List<String> volumes = new ArrayList<>();
        compose.at("/services/bridge/volumes").forEach(v -> volumes.add(v.asText()));
        assertThat(volumes).contains("./config:/opt/bridge/config:ro", "./routes:/opt/bridge/routes:ro",
                "bridge-data:/opt/bridge/data");
        assertThat(settings.getProperty("bridge.broker.data-dir")).startsWith("data/");
        assertThat(settings.getProperty("camel.main.routes-include-pattern")).isEqualTo("file:routes/*.camel.yaml");
        assertThat(Path.of("config")).isDirectory();
        assertThat(Path.of("routes")).isDirectory();
        assertThat(compose.at("/services/bridge/environment/BRIDGE_CONFIG").asText())
                .isEqualTo("/opt/bridge/config/application.properties");
    }

    @Test
    void brokerOverrideKeepsUnroutableEventsAndSizesDuplicateDetection() throws Exception {
        String mount = compose.at("/services/artemis/volumes/1").asText();
        assertThat(mount).startsWith("./config/broker/broker.xml:");
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("config/broker/broker.xml").toFile());
        assertThat(doc.getElementsByTagName("send-to-dla-on-no-route").item(0).getTextContent()).isEqualTo("true");
        assertThat(doc.getElementsByTagName("address-setting").item(0).getAttributes().getNamedItem("match")
                .getNodeValue()).isEqualTo(settings.getProperty("bridge.events.address"));
        assertThat(doc.getElementsByTagName("dead-letter-address").item(0).getTextContent())
                .isEqualTo(settings.getProperty("bridge.events.dead-letter-address"));
        assertThat(Long.parseLong(doc.getElementsByTagName("id-cache-size").item(0).getTextContent()))
                .isEqualTo(Long.parseLong(settings.getProperty("bridge.broker.id-cache-size")));
        assertThat(compose.at("/secrets/broker_password/file").asText()).isEqualTo("./secrets/broker_password");
        assertThat(Map.of("artemis", 1, "bridge", 1).keySet())
                .allMatch(s -> compose.at("/services/" + s + "/healthcheck").isObject());
    }
}
