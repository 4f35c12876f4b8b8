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
 * (as a real rate limiter does); then 200. Accepted deliveries are kept in arrival order. While
 * {@link #unavailable(int) unavailable}, every request is answered 503 with {@code Retry-After} before anything
 * else is looked at, as a proxy in front of a stopped application answers.
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
    private final List<Long> unavailableAnswers = new ArrayList<>();
    private volatile int unavailableRetryAfter;

    /** A receiver trusting any of {@code secrets}. */
    public WebhookReceiver(String... secrets) {
        this(0, secrets);
    }

    /** A receiver on loopback port {@code port} (0: a free one) trusting any of {@code secrets}. */
    public WebhookReceiver(int port, String... secrets) {
        this(port, -1, secrets);
    }

    private WebhookReceiver(int port, int retryAfterSeconds, String[] secrets) {
        super(port, false);
        this.verifiers = java.util.Arrays.stream(secrets)
                .map(s -> new StandardWebhooksVerifier(s, Duration.ofMinutes(5))).toList();
        this.unavailableRetryAfter = retryAfterSeconds;
        start();
    }

    /**
     * A receiver on loopback port {@code port} that answers its very first request already as
     * {@link #unavailable(int)} does, until {@link #available()}.
     */
    public static WebhookReceiver unavailableOn(int port, int retryAfterSeconds, String... secrets) {
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("Retry-After must not be negative");
        }
        return new WebhookReceiver(port, retryAfterSeconds, secrets);
    }

    /** From now until {@link #available()}, every request gets 503 with {@code Retry-After: retryAfterSeconds}. */
    public void unavailable(int retryAfterSeconds) {
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("Retry-After must not be negative");
        }
        unavailableRetryAfter = retryAfterSeconds;
    }

    /** Ends {@link #unavailable(int)}. */
    public void available() {
        unavailableRetryAfter = -1;
    }

    /** When each 503 of {@link #unavailable(int)} was answered: the request's arrival, {@link System#nanoTime()}. */
    public synchronized List<Long> unavailableAnswers() {
        return List.copyOf(unavailableAnswers);
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
        int retryAfter = unavailableRetryAfter;
        if (retryAfter >= 0) {
            synchronized (this) {
                unavailableAnswers.add(r.receivedAtNanos());
            }
            return Response.text(503, "Service Unavailable", Map.of("Retry-After", Integer.toString(retryAfter)));
        }
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
