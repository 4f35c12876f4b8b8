package io.accessbridge.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HttpResponsesTest {

    private final Clock clock = Clock.fixed(Instant.parse("2024-06-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void busyOrFailingTargetsAreRetriedHonouringRetryAfter() {
        DeliveryException e = HttpResponses.failure(429, "slow down", "7", clock);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(e.code()).isEqualTo("http-429");
        assertThat(HttpResponses.failure(503, "", "Sat, 01 Jun 2024 12:01:00 GMT", clock).retryAfter())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(HttpResponses.failure(500, "", null, clock).retryable()).isTrue();
        assertThat(HttpResponses.failure(408, "", null, clock).retryable()).isTrue();
    }

    @Test
    void targetLevelRefusalsAreRetriedAndEventLevelOnesAreNot() {
        for (int status : new int[] {301, 401, 403, 404, 410}) {
            assertThat(HttpResponses.failure(status, "", null, clock).retryable()).as("%d", status).isTrue();
        }
        for (int status : new int[] {400, 409, 413, 415, 422}) {
            assertThat(HttpResponses.failure(status, "", null, clock).retryable()).as("%d", status).isFalse();
        }
    }

    @Test
    void retryAfterAcceptsSecondsAndDatesAndIgnoresGarbage() {
        Instant now = clock.instant();
        assertThat(RetryAfter.parse("120", now)).contains(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse("Sat, 01 Jun 2024 11:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", now)).isEmpty();
        assertThat(RetryAfter.parse(null, now)).isEmpty();
    }

    @Test
    void longAnswersAreAbbreviatedForTheDeadLetter() {
        assertThat(HttpResponses.failure(400, "x".repeat(2000), null, clock).detail()).hasSize(503);
    }
}
