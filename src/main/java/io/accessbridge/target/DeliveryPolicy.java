package io.accessbridge.target;

import io.accessbridge.canonical.EventHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry and dead-letter decisions of every {@code forward-<target>} route (bean {@code deliveryPolicy},
 * used by {@code routes/target-delivery.camel.yaml}). The target is named by the route id. Each failed
 * attempt is judged by {@link Failures}: a permanent failure is dead-lettered at once; a retryable one
 * waits per {@link RetrySettings} (the wait is handed to Camel's redelivery in the
 * {@link Exchange#REDELIVERY_DELAY} header) until the target's give-up time has passed. The JMS consumer is
 * transacted, so an event leaves the target's queue only once the target accepted it or it sits in the
 * dead-letter queue; a bridge that stops while an event waits for a retry leaves it in the queue.
 */
public final class DeliveryPolicy {

    /** Route ids of delivery routes start with this; the rest is the target's name. */
    public static final String ROUTE_PREFIX = "forward-";
    /** Exchange property: the dead-letter queue the onException block sends to. */
    public static final String DEAD_LETTER_QUEUE = "deadLetterQueue";
    /**
     * Exchange property: the verdict of the route's filter ({@code statusPropertyName} of the filter EIP);
     * false counts the event as skipped.
     */
    public static final String MATCHED = "forwarded";
    /** Exchange property: set by a target that deliberately did not deliver an event (counted as skipped). */
    public static final String SKIPPED = "deliverySkipped";
    /** Exchange property: the event id, kept after a mapping step replaced the message headers. */
    public static final String EVENT_ID = "eventId";
    /** Dead-letter property: why the target gave up (code, then the target's answer). */
    public static final String REASON = "deadLetterReason";
    /** Dead-letter property: delivery attempts made. */
    public static final String ATTEMPTS = "deadLetterAttempts";
    /** Dead-letter property: the target's name. */
    public static final String TARGET = "deadLetterTarget";
    /** Dead-letter property: the queue to replay to, fully qualified ({@code address::queue}). */
    public static final String ORIGIN = "deadLetterOrigin";
    /** Dead-letter property: when it was dead-lettered, epoch milliseconds. */
    public static final String TIME = "deadLetterTime";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryPolicy.class);
    private static final String GIVE_UP = DeliveryPolicy.class.getName() + ".giveUp";
    private static final String GIVE_UP_ATTEMPTS = DeliveryPolicy.class.getName() + ".attempts";
    private static final String CIRCUIT_STATE = ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_STATE.getName();

    private final Function<String, TargetSettings> settings;
    private final Map<String, TargetSettings> known = new ConcurrentHashMap<>();
    private final TargetStats stats;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * A policy reading each target's settings through {@code settings} (by target name).
     */
    public DeliveryPolicy(Function<String, TargetSettings> settings, TargetStats stats, Clock clock,
                          RandomGenerator random) {
        this.settings = settings;
        this.stats = stats;
        this.clock = clock;
        this.random = random;
    }

    /**
     * The {@code retryWhile} of the delivery routes: true to try again (after the wait it put in
     * {@link Exchange#REDELIVERY_DELAY}), false to dead-letter now.
     */
    public boolean retry(Exchange exchange) {
        TargetSettings target = target(exchange);
        TargetStats.Counters counters = stats.counters(target.name());
        DeliveryException failure = Failures.classify(caught(exchange));
        int attempts = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        counters.circuit(exchange.getProperty(CIRCUIT_STATE, String.class));
        if (!Failures.CIRCUIT_OPEN.equals(failure.code())) {
            counters.failed();
        }
        String event = eventId(exchange);
        if (exchange.getContext().isStopping()) {
            return false;
        }
        if (!failure.retryable()) {
            LOG.warn("Target {}: event {} refused ({}), giving up after {} attempt(s)", target.name(), event,
                    failure.code(), attempts);
            return giveUp(exchange, failure.reason(), attempts);
        }
        long elapsed = clock.millis() - exchange.getClock().getCreated();
        Duration wait = target.retry().delay(attempts, failure.retryAfter(), random);
        if (elapsed + wait.toMillis() > target.retry().giveUpAfter().toMillis()) {
            LOG.warn("Target {}: event {} still failing ({}) after {} attempt(s) in {}, giving up", target.name(),
                    event, failure.code(), attempts, Durations.format(Duration.ofMillis(elapsed)));
            return giveUp(exchange, "gave up after " + attempts + " attempts in "
                    + Durations.format(Duration.ofMillis(elapsed)) + ": " + failure.reason(), attempts);
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
        if (counters.startRetrying(exchange.getExchangeId())) {
            String id = exchange.getExchangeId();
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    counters.stopRetrying(id);
                }
            });
        }
        if (Failures.CIRCUIT_OPEN.equals(failure.code())) {
            LOG.debug("Target {}: circuit open, event {} waits {}", target.name(), event, Durations.format(wait));
        } else {
            LOG.info("Target {}: event {} attempt {} failed ({}), next attempt in {}", target.name(), event, attempts,
                    failure.code(), Durations.format(wait));
        }
        return true;
    }

    /**
     * First step of the onException block, on the original message: marks it as a dead letter of its target
     * (reason, attempts, target, origin queue, time) and drops its duplicate-detection id. When the policy
     * did not give up (the bridge is stopping and Camel abandoned the retry), the exchange is marked
     * rollback-only instead, so the event stays in the target's queue.
     */
    public void deadLetter(Exchange exchange) {
        TargetSettings target = target(exchange);
        String reason = exchange.getProperty(GIVE_UP, String.class);
        if (reason == null) {
            LOG.info("Target {}: event {} stays in queue {} (delivery interrupted)", target.name(), eventId(exchange),
                    target.queue());
            exchange.setRollbackOnly(true);
            return;
        }
        Message m = exchange.getIn();
        m.removeHeader(EventHeaders.DUPLICATE_ID);
        m.setHeader(REASON, reason);
        m.setHeader(ATTEMPTS, exchange.getProperty(GIVE_UP_ATTEMPTS, 1, Integer.class));
        m.setHeader(TARGET, target.name());
        m.setHeader(ORIGIN, target.fullyQualifiedQueue());
        m.setHeader(TIME, clock.millis());
        exchange.setProperty(DEAD_LETTER_QUEUE, target.deadLetterQueue());
    }

    /** Last step of the onException block, after the dead letter was sent (same JMS transaction). */
    public void deadLettered(Exchange exchange) {
        TargetSettings target = target(exchange);
        stats.counters(target.name()).deadLettered();
        LOG.warn("Target {}: event {} moved to dead-letter queue {}", target.name(), eventId(exchange),
                target.deadLetterQueue());
    }

    /** Last step of a delivery route: counts the event as delivered, or skipped when the route filtered it out. */
    public void completed(Exchange exchange) {
        TargetSettings target = target(exchange);
        TargetStats.Counters counters = stats.counters(target.name());
        counters.circuit(exchange.getProperty(CIRCUIT_STATE, String.class));
        Boolean matched = exchange.getProperty(MATCHED, Boolean.class);
        if (Boolean.FALSE.equals(matched) || exchange.getProperty(SKIPPED) != null) {
            counters.skipped();
        } else {
            counters.delivered();
            LOG.debug("Target {}: event {} delivered", target.name(), eventId(exchange));
        }
    }

    /** The settings of the target whose route handles {@code exchange}. */
    public TargetSettings target(Exchange exchange) {
        String route = exchange.getFromRouteId();
        if (route == null || !route.startsWith(ROUTE_PREFIX)) {
            throw new IllegalStateException("deliveryPolicy serves routes named " + ROUTE_PREFIX + "<target>, not "
                    + route);
        }
        return known.computeIfAbsent(route.substring(ROUTE_PREFIX.length()), settings);
    }

    /** The id of the event being delivered, for logs. */
    public static String eventId(Exchange exchange) {
        String id = exchange.getProperty(EVENT_ID, String.class);
        if (id == null && exchange.getUnitOfWork() != null && exchange.getUnitOfWork().getOriginalInMessage() != null) {
            id = exchange.getUnitOfWork().getOriginalInMessage().getHeader(EventHeaders.CE_ID, String.class);
        }
        if (id == null) {
            id = exchange.getIn().getHeader(EventHeaders.CE_ID, String.class);
        }
        return id == null ? "(no id)" : id;
    }

    private boolean giveUp(Exchange exchange, String reason, int attempts) {
        exchange.setProperty(GIVE_UP, reason);
        exchange.setProperty(GIVE_UP_ATTEMPTS, attempts);
        return false;
    }

    private static Throwable caught(Exchange exchange) {
        Throwable t = exchange.getException();
        return t != null ? t : exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
    }
}
