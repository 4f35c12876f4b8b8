package io.accessbridge.target.fakes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * An access-control system's webhook endpoint: verifies each request with {@link StandardWebhooksVerifier},
 * answers 401 to a bad signature, and otherwise follows a script: a number of 500 answers (an outage), or a
 * rate limit that answers 429 with {@code Retry-After} to every request until the limit's window has passed
 * (as a real rate limiter does); then 200. Accepted deliveries are kept in arrival order.
 */
public final class WebhookReceiver extends FakeHttpServer {

    /** An accepted delivery. */
    public record Delivery(String webhookId, String timestamp, String signature, String contentType, byte[] body) {
        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final List<StandardWebhooksVerifier> verifiers;
    private final List<Delivery> accepted = new ArrayList<>();
    private final Deque<Integer> script = new ConcurrentLinkedDeque<>();
    private volatile Instant throttledUntil = Instant.MIN;
    private volatile int retryAfterSeconds;
    private volatile boolean throttleArmed;
    private volatile int throttled;
    private volatile int unsigned;

    /** A receiver trusting any of {@code secrets}. */
    public WebhookReceiver(String... secrets) {
        this.verifiers = java.util.Arrays.stream(secrets)
                .map(s -> new StandardWebhooksVerifier(s, Duration.ofMinutes(5))).toList();
    }

    /** The next {@code n} requests get 500. */
    public void failNext(int n) {
        for (int i = 0; i < n; i++) {
            script.add(500);
        }
    }

    /** The next request starts a rate limit: 429 with {@code Retry-After: seconds} until that time has passed. */
    public void throttleNext(int seconds) {
        retryAfterSeconds = seconds;
        throttleArmed = true;
    }

    /** How many 429 answers were given. */
    public int throttled() {
        return throttled;
    }

    /** How many requests failed signature verification. */
    public int unsigned() {
        return unsigned;
    }

    /** Accepted deliveries, in arrival order. */
    public synchronized List<Delivery> accepted() {
        return List.copyOf(accepted);
    }

    @Override
    protected Response handle(Request r) throws Exception {
        boolean ok = false;
        for (StandardWebhooksVerifier v : verifiers) {
            ok |= v.verify(r.header("webhook-id"), r.header("webhook-timestamp"), r.header("webhook-signature"),
                    r.body(), Instant.now());
        }
        if (!ok) {
            unsigned++;
            return Response.text(401, "bad signature", Map.of());
        }
        Integer scripted = script.poll();
        if (scripted != null) {
            return Response.text(scripted, "scripted failure", Map.of());
        }
        Instant now = Instant.now();
        if (throttleArmed) {
            throttleArmed = false;
            throttledUntil = now.plusSeconds(retryAfterSeconds);
        }
        if (now.isBefore(throttledUntil)) {
            throttled++;
            return Response.text(429, "slow down", Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
        }
        synchronized (this) {
            accepted.add(new Delivery(r.header("webhook-id"), r.header("webhook-timestamp"), r.header("webhook-signature"),
                    r.header("content-type"), r.body()));
        }
        return Response.text(204, "", Map.of());
    }
}
