package io.accessbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1Fleet;
import io.accessbridge.simulator.v1.V1Record;
import io.accessbridge.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution run with JSON logs ({@code BRIDGE_LOG_FORMAT=json}), secrets in its environment, a simulated v1
 * fleet pushing generated people's records (and a malformed one that is quarantined), a webhook target that is
 * down, and an operator's request with a wrong token: every log line is one JSON object, the target's failure is
 * logged once as a state change, and the log carries no name, user id, card, job or id number of the records, and
 * none of the secrets nor the wrong token.
 */
class LogPrivacyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PERSONAL = Set.of("name", "user_id", "ic_number", "id_number", "job_number",
            "card_number", "pin", "phone", "remark");

    @TempDir
    Path dir;

    @Test
    void jsonLogsCarryNoPersonalDataAndNoSecrets() throws Exception {
        Distribution dist = Distribution.unpack(dir);
        Path log = dir.resolve("bridge.log");
        int http = FreePorts.next();
        String hashKey = "hash-key-" + Long.toHexString(System.nanoTime());
        String webhookSecret = "whsec_" + Base64.getEncoder().encodeToString(
                ("webhook-secret-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8));
        String token = "bearer-token-" + Long.toHexString(System.nanoTime());
        Map<String, String> env = new HashMap<>();
        env.put("BRIDGE_LOG_FORMAT", "json");
        env.put("BRIDGE_HTTP_PORT", String.valueOf(http));
        env.put("BRIDGE_HTTP_HOST", "127.0.0.1");
        env.put("BRIDGE_BROKER_PORT", String.valueOf(FreePorts.next()));
        env.put("BRIDGE_PRIVACY_ID_NUMBER", "HASH");
        env.put("BRIDGE_PRIVACY_HASH_KEY", hashKey);
        env.put("BRIDGE_TARGET_WEBHOOK_ENABLED", "true");
        env.put("BRIDGE_TARGET_WEBHOOK_URL", "http://127.0.0.1:" + FreePorts.next() + "/hook");
        env.put("BRIDGE_TARGET_WEBHOOK_SECRET", webhookSecret);
        env.put("BRIDGE_TARGET_HTTP_TOKEN", token);
        String opsToken = "ops-token-" + Long.toHexString(System.nanoTime());
        String wrongOpsToken = "guessed-token-" + Long.toHexString(System.nanoTime());
        env.put("BRIDGE_OPS_TOKEN", opsToken);
        String base = "http://127.0.0.1:" + http;

        Process bridge = dist.launch(env, log);
        Set<String> personal = new TreeSet<>();
        try {
            Distribution.awaitReady(bridge, base, Duration.ofSeconds(90));
            V1DeviceSimulator.Options device = V1DeviceSimulator.Options.defaults().withServeApi(false)
                    .withRetryBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
            try (V1Fleet fleet = new V1Fleet(V1Fleet.Options.of(3).withSeed(5L).withDevice(device)).start()) {
                fleet.subscribeAll(base + "/v1/events/" + V1Fleet.SN_PLACEHOLDER, true);
                for (int i = 0; i < 25; i++) {
                    for (V1DeviceSimulator d : fleet.devices()) {
                        d.emit().ifPresent(r -> collect(r, personal));
                    }
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> fleet.stats().acknowledged() >= 75);
            }
            String malformed = "{\"type\":0,\"data\":{\"deviceSN\":\"SN-BAD\",\"user\":{\"name\":\"Quentin Privatperson\","
                    + "\"user_id\":\"U-778899\"},\"timestamp\":\"yesterday\",\"recognizeScore\":\"high\"}}";
            personal.add("Quentin Privatperson");
            personal.add("U-778899");
            HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v1/events/bad"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(malformed)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(getStatus(base, wrongOpsToken)).isEqualTo(401);
            assertThat(getStatus(base, opsToken)).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("Target webhook: FAILING"));
            Thread.sleep(3000);
        } finally {
            bridge.destroy();
            bridge.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(personal).as("generated records carry personal data to look for").hasSizeGreaterThan(30);

        Files.copy(log, Path.of("target", "log-privacy-it.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines).hasSizeGreaterThan(20);
        for (String line : lines) {
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.path("message").isTextual()).as("one JSON object per line: %s", line).isTrue();
        }
        String text = String.join("\n", lines);
        for (String value : personal) {
            assertThat(Pattern.compile("(?<![0-9A-Za-z])" + Pattern.quote(value) + "(?![0-9A-Za-z])").matcher(text).find())
                    .as("personal value %s in the log", value).isFalse();
        }
        assertThat(text).doesNotContain(hashKey).doesNotContain(webhookSecret)
                .doesNotContain(webhookSecret.substring("whsec_".length())).doesNotContain(token)
                .doesNotContain(opsToken).doesNotContain(wrongOpsToken);
        assertThat(text).as("a refused operations request is logged").contains("Operations API request refused");
        assertThat(lines.stream().filter(l -> l.contains("Target webhook: FAILING")).count())
                .as("a state change is logged once").isEqualTo(1);
        assertThat(text).contains("Quarantined input");
    }

    private static int getStatus(String base, String opsToken) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/status"))
                .header("Authorization", "Bearer " + opsToken).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The personal values of a record's person: names, ids and numbers of four characters or more. */
    private static void collect(V1Record record, Set<String> out) {
        walk(record.data(), null, out);
    }

    private static void walk(JsonNode node, String field, Set<String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(e.getValue(), e.getKey(), out);
            }
        } else if (node.isArray()) {
            node.forEach(n -> walk(n, field, out));
        } else if (field != null && PERSONAL.contains(field) && !node.isNull()) {
            String v = node.asText().strip();
            boolean digits = v.chars().allMatch(Character::isDigit);
            if (v.length() >= (digits ? 5 : 4)) {
                out.add(v);
            }
        }
    }
}
