package io.accessbridge.target;

import io.accessbridge.broker.BrokerSettings;
import java.util.EnumSet;
import java.util.List;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, at start and before any route consumes, each enabled target's durable queue on the events
 * address (exclusive, so that one consumer at a time keeps the events in order even with several bridges)
 * and its dead-letter queue (an anycast address and queue of the same name). Existing queues are kept as
 * they are; the queue of a disabled target that still exists is reported, since it keeps filling.
 */
public final class TargetTopology extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TargetTopology.class);

    private final BrokerSettings broker;
    private final List<TargetSettings> targets;

    /** The queues of {@code targets} on the broker of {@code broker}. */
    public TargetTopology(BrokerSettings broker, List<TargetSettings> targets) {
        this.broker = broker;
        this.targets = List.copyOf(targets);
    }

    @Override
    protected void doStart() throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(broker.url());
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession(broker.user(), broker.password(), false, true, true, false,
                     1)) {
            for (TargetSettings t : targets) {
                if (!t.enabled()) {
                    if (session.queueQuery(SimpleString.of(t.queue())).isExists()) {
                        LOG.warn("Target {} is disabled but its queue {} exists and keeps every event: enable the "
                                + "target or delete the queue", t.name(), t.queue());
                    }
                    continue;
                }
                ensureQueue(session, QueueConfiguration.of(t.queue()).setAddress(t.eventsAddress())
                        .setRoutingType(RoutingType.MULTICAST).setFilterString(t.queueFilter()).setExclusive(true));
                if (!session.addressQuery(SimpleString.of(t.deadLetterQueue())).isExists()) {
                    session.createAddress(SimpleString.of(t.deadLetterQueue()), EnumSet.of(RoutingType.ANYCAST), false);
                }
                ensureQueue(session, QueueConfiguration.of(t.deadLetterQueue()).setAddress(t.deadLetterQueue())
                        .setRoutingType(RoutingType.ANYCAST));
            }
        }
    }

    @Override
    protected void doStop() {
        // the queues live in the broker
    }

    private static void ensureQueue(ClientSession session, QueueConfiguration q) throws Exception {
        ClientSession.QueueQuery existing = session.queueQuery(q.getName());
        if (existing.isExists()) {
            String current = existing.getFilterString() == null ? null : existing.getFilterString().toString();
            if (q.getFilterString() != null && !q.getFilterString().toString().equals(current)) {
                LOG.warn("Queue {} exists with another filter; it is kept as it is (delete it to apply the new one)",
                        q.getName());
            }
            return;
        }
        session.createQueue(q.setDurable(true).setAutoCreated(false));
        LOG.info("Created durable queue {} on {}{}", q.getName(), q.getAddress(),
                q.getFilterString() == null ? "" : " with filter " + q.getFilterString());
    }
}
