package io.accessbridge.v1.device;

import io.accessbridge.ingest.PublishOutcomeLog;
import io.accessbridge.status.DeviceStatusRegistry;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one device's WebSocket messages, in arrival order, to the publishing route on a worker
 * thread (never on the event loop that reads the socket). A WebSocket event has no reply and no
 * replay, so a message whose publish fails cannot be asked for again: it is kept in memory and
 * retried with backoff for at most {@link V1DeviceSettings#publishRetry()}, then dropped and
 * counted ({@code websocket.framesLost}). At most {@link V1DeviceSettings#maxPendingFrames()}
 * wait; beyond that the oldest is dropped and counted ({@code websocket.framesDropped}). HTTP push
 * is the durable channel: a device subscribed to the bridge sends the same records again there.
 */
public final class V1FrameDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(V1FrameDispatcher.class);
    private static final long FIRST_RETRY_MS = 100;
    private static final long MAX_RETRY_MS = 5_000;

    /**
     * One message waiting to be published.
     *
     * @param data          the message bytes as received
     * @param remoteAddress the device's address on the connection
     * @param receivedNanos {@link System#nanoTime()} when it arrived
     */
    public record Frame(byte[] data, String remoteAddress, long receivedNanos) {
    }

    /** Publishes one message through the route; throws when it was not stored. */
    @FunctionalInterface
    public interface Publisher {
        /** Publishes {@code frame}; returns normally only once it is stored (or quarantined). */
        void publish(Frame frame) throws Exception;
    }

    private final String deviceId;
    private final V1DeviceSettings settings;
    private final Executor executor;
    private final Vertx vertx;
    private final DeviceStatusRegistry status;
    private final PublishOutcomeLog outcomes;
    private final Publisher publisher;

    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    private boolean draining;
    private Frame inFlight;
    private boolean stopped;
    private long retryDelayMs;
    private boolean lossReported;

    /**
     * @param deviceId  the device's inventory id
     * @param settings  retry window and queue bound
     * @param executor  the shared publishing threads
     * @param vertx     timers of the retries
     * @param status    the device status registry (counters, pending gauge)
     * @param outcomes  the broker availability log shared by all ingest paths
     * @param publisher the route
     */
    public V1FrameDispatcher(String deviceId, V1DeviceSettings settings, Executor executor, Vertx vertx,
                             DeviceStatusRegistry status, PublishOutcomeLog outcomes, Publisher publisher) {
        this.deviceId = deviceId;
        this.settings = settings;
        this.executor = executor;
        this.vertx = vertx;
        this.status = status;
        this.outcomes = outcomes;
        this.publisher = publisher;
    }

    /** Queues one message; never blocks. */
    public void offer(byte[] data, String remoteAddress) {
        status.count(deviceId, "websocket.frames", 1);
        boolean start;
        int pending;
        synchronized (this) {
            if (stopped) {
                return;
            }
            boolean room = true;
            if (queue.size() >= settings.maxPendingFrames()) {
                room = dropOldestWaiting();
                status.count(deviceId, "websocket.framesDropped", 1);
            }
            if (room) {
                queue.addLast(new Frame(data, remoteAddress, System.nanoTime()));
            }
            pending = queue.size();
            start = !draining && retryDelayMs == 0;
            if (start) {
                draining = true;
            }
        }
        status.gauge(deviceId, "websocket.pendingFrames", pending);
        if (start) {
            submit();
        }
    }

    /**
     * Drops the oldest message that is not being published right now; {@code false} when the only
     * one waiting is being published, and the new message is dropped instead.
     */
    private boolean dropOldestWaiting() {
        Frame head = queue.pollFirst();
        if (head != null && head == inFlight) {
            if (queue.isEmpty()) {
                queue.addFirst(head);
                return false;
            }
            queue.pollFirst();
            queue.addFirst(head);
        }
        return true;
    }

    /** Messages waiting now. */
    public synchronized int pending() {
        return queue.size();
    }

    /** Stops taking messages; those still waiting are dropped and counted. */
    public void stop() {
        int left;
        synchronized (this) {
            stopped = true;
            left = queue.size();
            queue.clear();
        }
        if (left > 0) {
            status.count(deviceId, "websocket.framesDropped", left);
            LOG.warn("Device {}: {} WebSocket events not stored at shutdown (HTTP push re-sends them when it is on)",
                    deviceId, left);
        }
        status.gauge(deviceId, "websocket.pendingFrames", 0);
    }

    private void submit() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                draining = false;
            }
        }
    }

    private void drain() {
        while (true) {
            Frame frame;
            synchronized (this) {
                frame = queue.peekFirst();
                if (frame == null || stopped) {
                    draining = false;
                    inFlight = null;
                    return;
                }
                inFlight = frame;
            }
            try {
                publisher.publish(frame);
                synchronized (this) {
                    if (queue.peekFirst() == frame) {
                        queue.pollFirst();
                    }
                    retryDelayMs = 0;
                    lossReported = false;
                }
                status.gauge(deviceId, "websocket.pendingFrames", pending());
            } catch (Exception e) {
                outcomes.failed(V1WebSocketClient.CHANNEL, e.getClass().getSimpleName());
                status.count(deviceId, "websocket.publishRetries", 1);
                long age = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frame.receivedNanos());
                if (age >= settings.publishRetry().toMillis()) {
                    giveUp(frame);
                    continue;
                }
                long delay;
                synchronized (this) {
                    inFlight = null;
                    retryDelayMs = retryDelayMs == 0 ? FIRST_RETRY_MS : Math.min(MAX_RETRY_MS, retryDelayMs * 2);
                    delay = Math.min(retryDelayMs, Math.max(1, settings.publishRetry().toMillis() - age));
                    draining = false;
                }
                vertx.setTimer(delay, id -> resume());
                return;
            }
        }
    }

    private void giveUp(Frame frame) {
        boolean report;
        synchronized (this) {
            if (queue.peekFirst() == frame) {
                queue.pollFirst();
            }
            report = !lossReported;
            lossReported = true;
        }
        status.count(deviceId, "websocket.framesLost", 1);
        if (report) {
            LOG.warn("Device {}: WebSocket events could not be stored within {} ms and are dropped"
                    + " (counted as websocket.framesLost; HTTP push re-sends them when it is on)",
                    deviceId, settings.publishRetry().toMillis());
        }
    }

    private void resume() {
        boolean start;
        synchronized (this) {
            start = !draining && !stopped && !queue.isEmpty();
            if (start) {
                draining = true;
            }
        }
        if (start) {
            submit();
        }
    }
}
