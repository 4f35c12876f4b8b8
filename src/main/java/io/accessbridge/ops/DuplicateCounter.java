package io.accessbridge.ops;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;

/**
 * Broker plugin of the embedded broker counting, per address, the messages its duplicate detection dropped:
 * re-sent records, WebSocket and HTTP copies of one record, re-fetched v3 pages. The send of such a copy
 * succeeds (the device is answered 200), so only the broker knows.
 */
public final class DuplicateCounter implements ActiveMQServerMessagePlugin {

    private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();

    @Override
    public void afterSend(ServerSession session, Transaction tx, Message message, boolean direct,
                          boolean noAutoCreateQueue, RoutingStatus result) {
        if (result == RoutingStatus.DUPLICATED_ID) {
            String address = message.getAddress();
            counter(address == null ? "unknown" : address).incrementAndGet();
        }
    }

    /** The counter of one address, created on first use. */
    AtomicLong counter(String address) {
        return dropped.computeIfAbsent(address, k -> new AtomicLong());
    }

    /** Duplicates dropped per address since start. */
    public Map<String, Long> dropped() {
        Map<String, Long> out = new TreeMap<>();
        dropped.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Duplicates dropped on one address since start. */
    public long dropped(String address) {
        AtomicLong n = dropped.get(address);
        return n == null ? 0 : n.get();
    }
}
