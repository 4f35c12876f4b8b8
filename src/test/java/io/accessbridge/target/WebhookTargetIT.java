package io.accessbridge.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.canonical.CanonicalEvent;
import io.accessbridge.canonical.CloudEventCodec;
import io.accessbridge.canonical.EventKind;
import io.accessbridge.target.fakes.StandardWebhooksVerifier;
import io.accessbridge.target.fakes.WebhookReceiver;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.FaultTally;
import io.accessbridge.testing.RunningBridge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Signed webhooks to access-control software: outage, recovery, rate limit, key rotation, alarm endpoint. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class WebhookTargetIT {

    /** The secret of the Standard Webhooks test vector. */
    static final String CURRENT = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String OLD = "whsec_b2xkLW9sZC1vbGQtb2xkLW9sZC1vbGQtb2xkLW9sZA==";
    static final String ALARMS = "whsec_YWxhcm0tYWxhcm0tYWxhcm0tYWxhcm0tYWxhcm0=";

    @TempDir
    static Path dir;
    private WebhookReceiver acs;
    private WebhookReceiver alarms;
    private RunningBridge bridge;
    private TargetEvents events;

    @BeforeAll
    void start() throws Exception {
        acs = new WebhookReceiver(CURRENT);
        alarms = new WebhookReceiver(ALARMS);
        Map<String, String> s = TargetTesting.settings(dir);
        s.put("bridge.target.webhook.enabled", "true");
        s.put("bridge.target.webhook.url", acs.url() + "/access-events");
        s.put("bridge.target.webhook.secret", CURRENT + " " + OLD);
        s.put("bridge.target.webhook.event-kinds", "*,!alarm.*");
        s.put("bridge.target.webhook-alarms.enabled", "true");
        s.put("bridge.target.webhook-alarms.url", alarms.url() + "/alarms");
        s.put("bridge.target.webhook-alarms.secret", ALARMS);
        bridge = RunningBridge.start(dir.resolve("data"), s);
        events = TargetEvents.publisher(bridge.brokerUrl());
    }

    @AfterAll
    void stop() throws Exception {
        events.close();
        bridge.close();
        acs.close();
        alarms.close();
    }

    private TargetCounts counts(String target) {
        return bridge.context().getRegistry().lookupByNameAndType("targetStats", TargetStats.class).of(target);
    }

    @Test
    void everyEventArrivesOnceSignedAndInOrderThroughAnOutageARecoveryAndARateLimit() throws Exception {
        Map<String, CanonicalEvent> sent = new LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
            sent.put("wh-" + i, i % 2 == 0
                    ? TargetEvents.access("wh-" + i, EventKind.ACCESS_DENIED, "lobby-in", "900" + i, "stranger",
                    Instant.parse("2024-06-09T08:00:00Z").plusSeconds(i), null)
                    : TargetEvents.granted("wh-" + i, "lobby-in", "900" + i, Instant.parse("2024-06-09T08:00:00Z").plusSeconds(i)));
        }
        acs.failNext(3);
        for (CanonicalEvent e : sent.values()) {
            events.publish(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ids(acs).containsAll(sent.keySet()));

        assertThat(ids(acs).stream().filter(sent::containsKey).toList()).as("each once, in order")
                .containsExactlyElementsOf(sent.keySet());
        assertThat(acs.requests().stream().filter(r -> "wh-1".equals(r.header("webhook-id")))).hasSize(4);
        StandardWebhooksVerifier previousKey = new StandardWebhooksVerifier(OLD, Duration.ofMinutes(5));
        for (WebhookReceiver.Delivery d : acs.accepted()) {
            if (!sent.containsKey(d.webhookId())) {
                continue;
            }
            assertThat(d.contentType()).startsWith("application/cloudevents+json");
            assertThat(d.text()).isEqualTo(new String(CloudEventCodec.serialize(sent.get(d.webhookId())),
                    StandardCharsets.UTF_8));
            assertThat(previousKey.verify(d.webhookId(), d.timestamp(), d.signature(), d.body(), Instant.now()))
                    .as("also signed with the previous key (rotation)").isTrue();
            assertThat(d.signature().split(" ")).hasSize(2);
        }
        assertThat(acs.unsigned()).isZero();

        acs.throttleNext(2);
        events.publish(TargetEvents.granted("wh-6", "lobby-in", "9006", Instant.parse("2024-06-09T09:00:00Z")));
        await().atMost(Duration.ofSeconds(30)).until(() -> ids(acs).contains("wh-6"));
        assertThat(acs.throttled()).as("one 429, then the bridge waited as Retry-After asked instead of retrying")
                .isEqualTo(1);
        assertThat(ids(acs).stream().filter(id -> id.equals("wh-6"))).hasSize(1);
        assertThat(counts("webhook").deadLettered()).isZero();
        assertThat(counts("webhook").failed()).isGreaterThanOrEqualTo(4);

        Set<String> all = new LinkedHashSet<>(sent.keySet());
        all.add("wh-6");
        try (EventCollector stored = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> stored.ids().containsAll(all));
            Thread.sleep(300);
            FaultTally.inBroker("target-down-webhook", all.size(), all,
                    stored.receivedIds(m -> all.contains(EventCollector.idOf(m)))).assertNoneLostNoneDuplicated();
        }
        // at-least-once to a target (webhook-id is the receiver's idempotency key): none missing
        FaultTally.delivered("target-down-webhook@webhook", all.size(), all,
                ids(acs).stream().filter(all::contains).toList()).assertNoneLost();
    }

    @Test
    void alarmsGoToTheirOwnEndpointSignedWithItsOwnSecret() throws Exception {
        events.publish(TargetEvents.alarm("lobby.in:alarm:7", "lobby-in", Instant.parse("2024-06-09T10:00:00Z")));
        events.publish(TargetEvents.granted("wh-after-alarm", "lobby-in", "9010", Instant.parse("2024-06-09T10:00:05Z")));

        await().atMost(Duration.ofSeconds(20)).until(() -> ids(alarms).contains("lobby%2Ein:alarm:7")
                && ids(acs).contains("wh-after-alarm"));
        assertThat(ids(acs)).doesNotContain("lobby%2Ein:alarm:7");
        assertThat(ids(alarms)).containsExactly("lobby%2Ein:alarm:7");
        assertThat(CloudEventCodec.deserialize(alarms.accepted().get(0).body()).getId())
                .as("the body keeps the event id; only webhook-id escapes its dots").isEqualTo("lobby.in:alarm:7");
        assertThat(alarms.unsigned()).isZero();
    }

    private static List<String> ids(WebhookReceiver r) {
        List<String> ids = new ArrayList<>();
        r.accepted().forEach(d -> ids.add(d.webhookId()));
        return ids;
    }
}
