package io.accessbridge.broker;

import java.util.EnumSet;
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
 * Creates, at start, the addresses and durable queues the bridge relies on, on the embedded
 * broker or an external one alike: the multicast events address with every configured queue
 * (so no event is published to an address without a queue), its dead-letter queue, and the
 * quarantine queue. Existing queues are left as they are.
 */
public final class BrokerTopology extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerTopology.class);

    private final BrokerSettings settings;

    /** The topology of these settings. */
    public BrokerTopology(BrokerSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void doStart() throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(settings.url());
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession(settings.user(), settings.password(), false, true, true,
                     false, 1)) {
            ensureAddress(session, settings.eventsAddress(), RoutingType.MULTICAST);
            for (BrokerSettings.QueueSpec q : settings.queues()) {
                ensureQueue(session, settings.eventsAddress(), q.name(), RoutingType.MULTICAST, q.filter());
            }
            ensureAddress(session, settings.deadLetterAddress(), RoutingType.ANYCAST);
            ensureQueue(session, settings.deadLetterAddress(), settings.deadLetterAddress(), RoutingType.ANYCAST, null);
            ensureAddress(session, settings.quarantineAddress(), RoutingType.ANYCAST);
            ensureQueue(session, settings.quarantineAddress(), settings.quarantineAddress(), RoutingType.ANYCAST, null);
        }
    }

    @Override
    protected void doStop() {
        // nothing to release: the topology lives in the broker
    }

    private static void ensureAddress(ClientSession session, String address, RoutingType type) throws Exception {
        if (!session.addressQuery(SimpleString.of(address)).isExists()) {
            session.createAddress(SimpleString.of(address), EnumSet.of(type), false);
            LOG.info("Created {} address {}", type, address);
        }
    }

    private static void ensureQueue(ClientSession session, String address, String queue, RoutingType type,
                                    String filter) throws Exception {
        ClientSession.QueueQuery existing = session.queueQuery(SimpleString.of(queue));
        if (existing.isExists()) {
            String current = existing.getFilterString() == null ? null : existing.getFilterString().toString();
            if (filter != null && !filter.equals(current)) {
                LOG.warn("Queue {} exists with another filter; it is kept as it is (delete it to apply the new one)",
                        queue);
            }
            return;
        }
        session.createQueue(QueueConfiguration.of(queue).setAddress(address).setRoutingType(type).setDurable(true)
                .setFilterString(filter).setAutoCreated(false));
        LOG.info("Created durable queue {} on {}{}", queue, address, filter == null ? "" : " with filter " + filter);
    }
}
