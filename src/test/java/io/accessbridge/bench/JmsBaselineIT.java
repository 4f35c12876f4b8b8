package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.testing.TestBroker;
import jakarta.jms.JMSException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain-JMS baseline against a real broker: it sends exactly what it is asked for per pass, and a broker
 * that goes away mid-run ends it with an error instead of leaving it waiting for confirmations.
 */
@Timeout(180)
class JmsBaselineIT {

    private static final int PER_PASS = 2_000;

    @TempDir
    Path data;

    private TestBroker broker;

    @BeforeEach
    void startBroker() {
        broker = TestBroker.start(data.resolve("broker"), 0);
    }

    @AfterEach
    void stopBroker() {
        broker.stop();
    }

    @Test
    void everyPassSendsTheAskedNumberAndTheFiguresAreOrdered() throws Exception {
        JmsBaseline.Result r = JmsBaseline.run(broker.url(), 4, PER_PASS, 1500);

        assertThat(r.rate()).isPositive();
        assertThat(r.p50Millis()).isPositive().isLessThanOrEqualTo(r.p99Millis());
        try (BrokerQueues queues = BrokerQueues.open(broker.url(), null, null)) {
            long stored = queues.messageCount("bench.baseline");
            assertThat(stored).as("at least one warm-up pass and the measured one, each complete")
                    .isGreaterThanOrEqualTo(2L * PER_PASS);
            assertThat(stored % PER_PASS).as("no pass sent more or fewer than it was asked").isZero();
        }
    }

    @Test
    void aBrokerStoppedMidRunEndsTheBaselineWithAnError() throws Exception {
        CompletableFuture<JmsBaseline.Result> run = CompletableFuture.supplyAsync(() -> {
            try {
                return JmsBaseline.run(broker.url(), 10, 5_000_000, 1500);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (BrokerQueues queues = BrokerQueues.open(broker.url(), null, null)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> queues.messageCount("bench.baseline") > 100);
        }
        broker.stop();

        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> run.get(90, TimeUnit.SECONDS));
        assertThat(failed.getCause().getCause()).isInstanceOf(JMSException.class)
                .hasMessageContaining("baseline send failed");
    }
}
