package io.accessbridge.ingest;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the broker's availability as seen by the ingest paths once per change, not once per
 * request: during an outage every device retries, and a line per retry would bury everything else.
 */
public final class PublishOutcomeLog {

    private static final Logger LOG = LoggerFactory.getLogger(PublishOutcomeLog.class);

    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicLong failuresSinceChange = new AtomicLong();

    /** An event was stored. */
    public void stored() {
        if (failing.compareAndSet(true, false)) {
            LOG.info("Events are stored again after {} failed attempts", failuresSinceChange.getAndSet(0));
        }
    }

    /** An event could not be stored; {@code reason} names the failure, never the event. */
    public void failed(String channel, String reason) {
        failuresSinceChange.incrementAndGet();
        if (failing.compareAndSet(false, true)) {
            LOG.warn("Events are not being stored, devices are told to retry ({}: {})", channel, reason);
        } else {
            LOG.debug("Event not stored ({}: {})", channel, reason);
        }
    }

    /** Whether the last attempt failed. */
    public boolean isFailing() {
        return failing.get();
    }
}
