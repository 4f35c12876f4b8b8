package io.accessbridge.ingest;

import io.accessbridge.canonical.EventHeaders;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.Policy;

/**
 * Never sends two copies of one event to the broker at the same time. The broker's duplicate
 * detection checks its id cache and adds the id when the send commits, so two copies sent at the
 * same moment (a v1 record arriving by WebSocket and by HTTP push at once, a v3 event fetched and
 * reported together) can both pass the check and both be stored. The wrapped send holds a lock for
 * its duplicate id ({@code _AMQ_DUPL_ID}, striped): the second copy is sent only after the first
 * is stored, and the broker then drops it. Guards the sends of one bridge process.
 */
public final class PublishOncePolicy implements Policy {

    private static final int STRIPES = 1024;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    /** A policy with its own locks. */
    public PublishOncePolicy() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to prepare
    }

    @Override
    public Processor wrap(Route route, Processor processor) {
        return exchange -> {
            Object id = exchange.getMessage().getHeader(EventHeaders.DUPLICATE_ID);
            if (id == null) {
                processor.process(exchange);
                return;
            }
            ReentrantLock lock = locks[Math.floorMod(id.hashCode(), STRIPES)];
            lock.lock();
            try {
                processor.process(exchange);
            } finally {
                lock.unlock();
            }
        };
    }
}
