package io.accessbridge.target.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.accessbridge.target.fakes.StandardWebhooksVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    // The symmetric test vector of the Standard Webhooks reference libraries.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final String PAYLOAD = "{\"test\": 2432232314}";
    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final String OTHER = "whsec_b2xkLW9sZC1vbGQtb2xkLW9sZC1vbGQtb2xkLW9sZA==";

    @Test
    void signsTheSpecificationsTestVector() {
        assertThat(new WebhookSigner(List.of(SECRET)).sign(ID, TIMESTAMP, PAYLOAD)).isEqualTo(EXPECTED);
        assertThat(new WebhookSigner(List.of(SECRET.substring("whsec_".length()))).sign(ID, TIMESTAMP, PAYLOAD))
                .as("the whsec_ prefix is optional").isEqualTo(EXPECTED);
    }

    @Test
    void anIndependentVerifierAcceptsTheSignatureAndRejectsATamperedBody() throws Exception {
        StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(SECRET, Duration.ofMinutes(5));
        Instant now = Instant.ofEpochSecond(TIMESTAMP + 10);
        String header = new WebhookSigner(List.of(SECRET)).sign(ID, TIMESTAMP, PAYLOAD);

        assertThat(verifier.expected(ID, Long.toString(TIMESTAMP), PAYLOAD.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(EXPECTED);
        assertThat(verifier.verify(ID, Long.toString(TIMESTAMP), header, PAYLOAD.getBytes(StandardCharsets.UTF_8), now))
                .isTrue();
        assertThat(verifier.verify(ID, Long.toString(TIMESTAMP), header, "{\"test\": 1}".getBytes(StandardCharsets.UTF_8),
                now)).isFalse();
        assertThat(verifier.verify(ID, Long.toString(TIMESTAMP + 1), header, PAYLOAD.getBytes(StandardCharsets.UTF_8),
                now)).as("the timestamp is signed").isFalse();
        assertThat(verifier.verify(ID, Long.toString(TIMESTAMP), header, PAYLOAD.getBytes(StandardCharsets.UTF_8),
                now.plus(Duration.ofMinutes(6)))).as("too old").isFalse();
    }

    @Test
    void duringKeyRotationEachSecretSignsAndEitherVerifies() throws Exception {
        String header = new WebhookSigner(List.of(OTHER, SECRET)).sign(ID, TIMESTAMP, PAYLOAD);
        assertThat(header.split(" ")).hasSize(2).contains(EXPECTED);
        Instant now = Instant.ofEpochSecond(TIMESTAMP);
        byte[] body = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        assertThat(new StandardWebhooksVerifier(SECRET, Duration.ofMinutes(5))
                .verify(ID, Long.toString(TIMESTAMP), header, body, now)).isTrue();
        assertThat(new StandardWebhooksVerifier(OTHER, Duration.ofMinutes(5))
                .verify(ID, Long.toString(TIMESTAMP), header, body, now)).isTrue();
    }

    @Test
    void shortOrMalformedSecretsAreRefused() {
        assertThatThrownBy(() -> new WebhookSigner(List.of("whsec_c2hvcnQ="))).hasMessageContaining("at least 24 bytes");
        assertThatThrownBy(() -> new WebhookSigner(List.of("whsec_not base64!"))).hasMessageContaining("base64");
        assertThatThrownBy(() -> new WebhookSigner(List.of())).hasMessageContaining("required");
    }

    @Test
    void webhookIdsCarryNoDots() {
        assertThat(WebhookSigner.webhookId("4d3987c1-a3b3-470b-9fb7-e114772c069c"))
                .isEqualTo("4d3987c1-a3b3-470b-9fb7-e114772c069c");
        assertThat(WebhookSigner.webhookId("gate.north:12:1700000000")).isEqualTo("gate%2Enorth:12:1700000000");
        assertThat(WebhookSigner.webhookId("a%2Eb")).as("escaping is reversible").isEqualTo("a%252Eb");
    }
}
