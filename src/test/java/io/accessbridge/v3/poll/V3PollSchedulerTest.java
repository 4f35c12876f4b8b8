package io.accessbridge.v3.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.v3.poll.V3PollScheduler.Outcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class V3PollSchedulerTest {

    private V3PollScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.stop();
        }
    }

    private V3PollScheduler start(int threads, long backoffInitialMs, long backoffMaxMs) {
        scheduler = new V3PollScheduler(threads, backoffInitialMs, backoffMaxMs);
        scheduler.start();
        return scheduler;
    }

    @Test
    void backoffDoublesFromTheInitialPauseUpToTheCapWithAtMostTenPercentJitter() {
        V3PollScheduler s = new V3PollScheduler(1, 100, 1000);
        for (int i = 0; i < 50; i++) {
            assertThat(s.backoffMs(1)).isBetween(100L, 110L);
            assertThat(s.backoffMs(2)).isBetween(200L, 220L);
            assertThat(s.backoffMs(4)).isBetween(800L, 880L);
            assertThat(s.backoffMs(5)).isEqualTo(1000L);
            assertThat(s.backoffMs(200)).isEqualTo(1000L);
        }
    }

    @Test
    void aDeviceThatIsBehindRunsAgainAtOnceAndACaughtUpOneWaitsForItsInterval() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        start(1, 100, 1000).register("d1", 60_000, () -> runs.incrementAndGet() < 4 ? Outcome.BEHIND : Outcome.CAUGHT_UP);

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 4);
        Thread.sleep(300);
        assertThat(runs.get()).as("caught up: the next run is an interval away").isEqualTo(4);
    }

    @Test
    void aFailedDeviceBacksOffAndAWakeRunsItAtOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        start(1, 60_000, 60_000).register("d1", 60_000, () -> {
            runs.incrementAndGet();
            return Outcome.FAILED;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);
        Thread.sleep(200);
        assertThat(runs.get()).isEqualTo(1);

        scheduler.wake("d1");

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2);
    }

    @Test
    void aWakeDuringARunRunsTheDeviceOnceMoreRightAfterIt() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch inFirstRun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(2, 100, 1000).register("d1", 60_000, () -> {
            if (runs.incrementAndGet() == 1) {
                inFirstRun.countDown();
                awaitLatch(release);
            }
            return Outcome.CAUGHT_UP;
        });
        assertThat(inFirstRun.await(5, TimeUnit.SECONDS)).isTrue();
        scheduler.wake("d1");
        scheduler.wake("d1");
        Thread.sleep(100);
        assertThat(runs.get()).as("never two runs of one device at once").isEqualTo(1);
        release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2);
        Thread.sleep(200);
        assertThat(runs.get()).as("two wakes during a run: one more run").isEqualTo(2);
    }

    @Test
    void noMoreDevicesRunAtOnceThanThreadsAndEachDeviceRunsOneAtATime() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        Map<String, AtomicInteger> perDevice = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> maxPerDevice = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        start(3, 100, 1000);
        for (int d = 0; d < 8; d++) {
            String id = "d" + d;
            perDevice.put(id, new AtomicInteger());
            maxPerDevice.put(id, new AtomicInteger());
            runs.put(id, new AtomicInteger());
            scheduler.register(id, 60_000, () -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                maxPerDevice.get(id).accumulateAndGet(perDevice.get(id).incrementAndGet(), Math::max);
                scheduler.wake(id);
                sleep(20);
                perDevice.get(id).decrementAndGet();
                running.decrementAndGet();
                return runs.get(id).incrementAndGet() < 5 ? Outcome.BEHIND : Outcome.CAUGHT_UP;
            });
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.values().stream().allMatch(n -> n.get() >= 5));
        assertThat(maxRunning.get()).isEqualTo(3);
        assertThat(maxPerDevice.values()).allMatch(n -> n.get() == 1);
    }

    @Test
    void aCancelledDeviceRunsNoMore() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        V3PollScheduler.Registration r = start(1, 100, 1000).register("d1", 50, () -> {
            runs.incrementAndGet();
            return Outcome.CAUGHT_UP;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 2);
        r.cancel();
        int after = runs.get();
        Thread.sleep(300);
        assertThat(runs.get()).isLessThanOrEqualTo(after + 1);
        assertThat(scheduler.isRegistered("d1")).isFalse();
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
