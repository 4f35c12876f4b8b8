package io.accessbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class InFlightIdsTest {

    @Test
    void aSecondCopyWaitsUntilTheFirstIsReleasedFromAnyThread() throws Exception {
        InFlightIds ids = new InFlightIds(Duration.ofSeconds(10));
        InFlightIds.Claim first = ids.claim("e-1");
        InFlightIds.Claim other = ids.claim("e-2");

        CompletableFuture<InFlightIds.Claim> second = CompletableFuture.supplyAsync(() -> {
            try {
                return ids.claim("e-1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(second).as("waiting for the first copy").isNotDone();

        CompletableFuture.runAsync(first::release).get(5, TimeUnit.SECONDS);
        InFlightIds.Claim claimed = second.get(5, TimeUnit.SECONDS);
        assertThat(claimed.id()).isEqualTo("e-1");
        first.release();
        assertThat(ids.size()).as("a repeated release leaves the new claim alone").isEqualTo(2);
        claimed.close();
        other.close();
        assertThat(ids.size()).isZero();
    }

    @Test
    void aCopyGivesUpAfterTheMaximumWait() throws Exception {
        InFlightIds ids = new InFlightIds(Duration.ofMillis(200));
        try (InFlightIds.Claim held = ids.claim("e-1")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> ids.claim("e-1")).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("e-1").hasMessageContaining("200 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(held.id()).isEqualTo("e-1");
        }
        assertThat(ids.claim("e-1").id()).isEqualTo("e-1");
    }
}
