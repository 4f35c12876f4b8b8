package io.accessbridge.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryPolicyTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final TargetStats stats = new TargetStats();
    private final RetrySettings retry = new RetrySettings(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0.5,
            Duration.ofMinutes(10), Duration.ofMinutes(2));

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    private DeliveryPolicy policy(Clock clock) {
        return new DeliveryPolicy(name -> new TargetSettings(name, true, "access.events", "access.events." + name, null,
                "DLQ.access.events." + name, retry), stats, clock, new Random(7));
    }

    private Exchange failed(Throwable t, int attempt) {
        Exchange e = new DefaultExchange(camel);
        e.getExchangeExtension().setFromRouteId("forward-erpnext");
        e.setException(t);
        e.getIn().setHeader(Exchange.REDELIVERY_COUNTER, attempt);
        e.setProperty(DeliveryPolicy.EVENT_ID, "evt-1");
        return e;
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheMaximum() {
        Random random = new Random(1);
        for (int attempt = 1; attempt <= 8; attempt++) {
            long full = Math.min(1000L << (attempt - 1), 30_000L);
            long wait = retry.delay(attempt, null, random).toMillis();
            assertThat(wait).as("attempt %d", attempt).isBetween(full / 2, full);
        }
        assertThat(retry.delay(20, null, random).toMillis()).isLessThanOrEqualTo(30_000L);
    }

    @Test
    void retryAfterIsHonouredUpToItsCap() {
        assertThat(retry.delay(1, Duration.ofSeconds(45), new Random(1))).isEqualTo(Duration.ofSeconds(45));
        assertThat(retry.delay(1, Duration.ofHours(3), new Random(1))).isEqualTo(Duration.ofMinutes(2));
        assertThat(retry.delay(6, Duration.ofSeconds(1), new Random(1)).toMillis()).isGreaterThanOrEqualTo(15_000L);
    }

    @Test
    void aRetryableFailureWaitsAtLeastWhatTheTargetAskedFor() {
        Exchange e = failed(DeliveryException.retryable("http-429", null, Duration.ofSeconds(20)), 1);
        assertThat(policy(Clock.systemUTC()).retry(e)).isTrue();
        assertThat(e.getIn().getHeader(Exchange.REDELIVERY_DELAY, Long.class)).isGreaterThanOrEqualTo(20_000L);
        assertThat(stats.of("erpnext").failed()).isEqualTo(1);
        assertThat(stats.of("erpnext").retrying()).isEqualTo(1);
    }

    @Test
    void aPermanentFailureIsDeadLetteredAtOnceWithItsReasonAndAttempts() {
        Exchange e = failed(DeliveryException.permanent("unknown-employee", "no Employee"), 1);
        DeliveryPolicy policy = policy(Clock.systemUTC());
        assertThat(policy.retry(e)).isFalse();

        policy.deadLetter(e);
        assertThat(e.isRollbackOnly()).isFalse();
        assertThat(e.getIn().getHeader(DeliveryPolicy.REASON)).isEqualTo("unknown-employee: no Employee");
        assertThat(e.getIn().getHeader(DeliveryPolicy.ATTEMPTS)).isEqualTo(1);
        assertThat(e.getIn().getHeader(DeliveryPolicy.ORIGIN)).isEqualTo("access.events::access.events.erpnext");
        assertThat(e.getProperty(DeliveryPolicy.DEAD_LETTER_QUEUE)).isEqualTo("DLQ.access.events.erpnext");
        assertThat(e.getIn().getHeader("_AMQ_DUPL_ID")).as("the broker would drop a replay with the old id").isNull();
    }

    @Test
    void afterTheGiveUpTimeTheEventIsDeadLettered() {
        Exchange e = failed(new ConnectException("refused"), 9);
        Instant created = Instant.ofEpochMilli(e.getClock().getCreated());
        Clock later = Clock.fixed(created.plus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        DeliveryPolicy policy = policy(later);

        assertThat(policy.retry(e)).isFalse();
        policy.deadLetter(e);
        assertThat(e.getIn().getHeader(DeliveryPolicy.REASON, String.class))
                .startsWith("gave up after 9 attempts in 10m: unreachable-ConnectException");
    }

    @Test
    void anOpenCircuitIsNotCountedAsAFailedAttempt() {
        CallNotPermittedException open = CallNotPermittedException.createCallNotPermittedException(
                CircuitBreaker.ofDefaults("t"));
        assertThat(policy(Clock.systemUTC()).retry(failed(open, 3))).isTrue();
        assertThat(stats.of("erpnext").failed()).isZero();
    }

    @Test
    void anInterruptedDeliveryIsRolledBackNotDeadLettered() {
        Exchange e = failed(new ConnectException("refused"), 2);
        policy(Clock.systemUTC()).deadLetter(e);
        assertThat(e.isRollbackOnly()).isTrue();
        assertThat(e.getProperty(DeliveryPolicy.DEAD_LETTER_QUEUE)).isNull();
    }

    @Test
    void completedCountsDeliveredOrSkipped() {
        DeliveryPolicy policy = policy(Clock.systemUTC());
        Exchange delivered = failed(null, 0);
        delivered.setProperty(DeliveryPolicy.MATCHED, true);
        Exchange filtered = failed(null, 0);
        filtered.setProperty(DeliveryPolicy.MATCHED, false);
        policy.completed(delivered);
        policy.completed(filtered);
        assertThat(stats.of("erpnext").delivered()).isEqualTo(1);
        assertThat(stats.of("erpnext").skipped()).isEqualTo(1);
    }
}
