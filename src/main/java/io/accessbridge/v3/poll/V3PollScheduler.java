package io.accessbridge.v3.poll;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces the polls of all v3 devices on one pool of {@code bridge.v3.max-concurrent-polls} threads,
 * so that no more devices than that are polled at once, however many there are.
 *
 * <p>Each device has one task, scheduled once at a time, so at most one poll of a device runs at any
 * moment. After a run the task is scheduled again: at once when the device is still behind or was
 * woken up meanwhile, after the device's interval when it caught up, and after an exponential,
 * capped, slightly jittered backoff when the run failed. {@link #wake} runs a device's task at once
 * (an {@code event-report} beyond the checkpoint asks for a backfill), also during a backoff.
 * Devices that are due together are served in the order they became due.
 */
public final class V3PollScheduler extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(V3PollScheduler.class);

    /** What a device's poll found; decides when it runs next. */
    public enum Outcome {
        /** The checkpoint reached the device's newest event: next run after the interval. */
        CAUGHT_UP,
        /** More events are waiting: next run at once. */
        BEHIND,
        /** The poll failed: next run after the backoff. */
        FAILED
    }

    /** One run of a device's poll. */
    @FunctionalInterface
    public interface Task {
        /** Polls; never throws (a failure is {@link Outcome#FAILED}). */
        Outcome run();
    }

    /** A registered device; {@link #cancel()} stops its runs. */
    public interface Registration {
        /** No further runs; a run in progress finishes. */
        void cancel();
    }

    private final int threads;
    private final long backoffInitialMs;
    private final long backoffMaxMs;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private volatile ScheduledThreadPoolExecutor executor;

    /**
     * @param threads          devices polled at once, at most
     * @param backoffInitialMs pause after a first failure
     * @param backoffMaxMs     longest pause after failures
     */
    public V3PollScheduler(int threads, long backoffInitialMs, long backoffMaxMs) {
        if (threads <= 0 || backoffInitialMs <= 0 || backoffMaxMs < backoffInitialMs) {
            throw new IllegalArgumentException("need threads > 0 and 0 < backoffInitialMs <= backoffMaxMs");
        }
        this.threads = threads;
        this.backoffInitialMs = backoffInitialMs;
        this.backoffMaxMs = backoffMaxMs;
    }

    /** Devices polled at once, at most. */
    public int threads() {
        return threads;
    }

    /**
     * Starts running a device's task, first at once, then paced as described above.
     *
     * @param deviceId   the device; one registration per device
     * @param intervalMs pause after a run that caught up
     * @param task       the device's poll
     */
    public Registration register(String deviceId, long intervalMs, Task task) {
        Objects.requireNonNull(task, "task");
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("intervalMs must be positive");
        }
        Slot slot = new Slot(deviceId, intervalMs, task);
        if (slots.putIfAbsent(deviceId, slot) != null) {
            throw new IllegalStateException("device " + deviceId + " is already polled");
        }
        slot.schedule(0);
        return slot::cancel;
    }

    /** Runs the device's task at once (or once more right after the run in progress). */
    public void wake(String deviceId) {
        Slot slot = slots.get(deviceId);
        if (slot != null) {
            slot.wake();
        }
    }

    /** Whether a device is registered. */
    public boolean isRegistered(String deviceId) {
        return slots.containsKey(deviceId);
    }

    /** The pause after {@code failures} failures in a row: initial x 2^(failures-1), capped, plus up to 10 % jitter. */
    long backoffMs(int failures) {
        int shift = Math.min(Math.max(failures - 1, 0), 30);
        long base = Math.min(backoffMaxMs, backoffInitialMs << shift);
        long jitter = base / 10 == 0 ? 0 : ThreadLocalRandom.current().nextLong(base / 10 + 1);
        return Math.min(backoffMaxMs, base + jitter);
    }

    @Override
    protected void doStart() {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "v3-poll-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor = e;
        slots.values().forEach(s -> s.schedule(0));
    }

    @Override
    protected void doStop() throws InterruptedException {
        ScheduledThreadPoolExecutor e = executor;
        executor = null;
        if (e != null) {
            e.shutdownNow();
            if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("v3 polls still running after 10 s at shutdown");
            }
        }
    }

    private final class Slot {
        final String deviceId;
        final long intervalMs;
        final Task task;
        ScheduledFuture<?> future;
        boolean running;
        boolean wakeRequested;
        boolean cancelled;
        int failures;

        Slot(String deviceId, long intervalMs, Task task) {
            this.deviceId = deviceId;
            this.intervalMs = intervalMs;
            this.task = task;
        }

        synchronized void schedule(long delayMs) {
            ScheduledThreadPoolExecutor e = executor;
            if (cancelled || e == null || e.isShutdown() || running) {
                return;
            }
            if (future != null && !future.isDone()) {
                future.cancel(false);
            }
            future = e.schedule(this::run, delayMs, TimeUnit.MILLISECONDS);
        }

        void run() {
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                running = true;
                wakeRequested = false;
            }
            Outcome outcome;
            try {
                outcome = task.run();
            } catch (RuntimeException e) {
                LOG.warn("Poll of device {} failed: {}", deviceId, e.toString());
                outcome = Outcome.FAILED;
            }
            synchronized (this) {
                running = false;
                long delay;
                if (outcome == Outcome.FAILED) {
                    failures++;
                    delay = wakeRequested ? 0 : backoffMs(failures);
                } else {
                    failures = 0;
                    delay = outcome == Outcome.BEHIND || wakeRequested ? 0 : intervalMs;
                }
                schedule(delay);
            }
        }

        synchronized void wake() {
            if (cancelled) {
                return;
            }
            if (running) {
                wakeRequested = true;
            } else if (future == null || future.getDelay(TimeUnit.MILLISECONDS) > 0) {
                schedule(0);
            }
        }

        synchronized void cancel() {
            cancelled = true;
            slots.remove(deviceId, this);
            if (future != null) {
                future.cancel(false);
            }
        }
    }
}
