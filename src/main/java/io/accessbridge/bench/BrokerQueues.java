package io.accessbridge.bench;

import java.time.Duration;
import java.util.OptionalLong;
import org.apache.activemq.artemis.api.config.ActiveMQDefaultConfiguration;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;

/**
 * A core session on an Artemis broker for the benchmarks' bookkeeping: a queue's message and
 * consumer count, its {@code messagesAdded} counter (through the broker's management address), whether
 * an address pages, and emptying or deleting a queue the benchmark filled. Works on the bridge's embedded
 * broker and on an external one, with or without a user.
 */
public final class BrokerQueues implements AutoCloseable {

    /** How a queue looks at one moment; {@code messagesAdded} is empty where management refused or is off. */
    public record Figures(boolean exists, long messageCount, int consumerCount, OptionalLong messagesAdded) {
    }

    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ClientSession session;

    private BrokerQueues(ServerLocator locator, ClientSessionFactory factory, ClientSession session) {
        this.locator = locator;
        this.factory = factory;
        this.session = session;
    }

    /**
     * Connects to {@code url} (a core URL, {@code tcp://host:port}) as {@code user} (null: no user,
     * as the embedded broker takes it).
     */
    public static BrokerQueues open(String url, String user, String password) throws Exception {
        ServerLocator locator = ActiveMQClient.createServerLocator(url);
        ClientSessionFactory factory = null;
        try {
            factory = locator.createSessionFactory();
            ClientSession session = factory.createSession(user, password, false, true, true, false,
                    locator.getAckBatchSize());
            session.start();
            return new BrokerQueues(locator, factory, session);
        } catch (Exception e) {
            if (factory != null) {
                factory.close();
            }
            locator.close();
            throw e;
        }
    }

    /** Messages in {@code queue} now; 0 when there is no such queue. */
    public long messageCount(String queue) throws Exception {
        return session.queueQuery(SimpleString.of(queue)).getMessageCount();
    }

    /** Existence, message and consumer count and, where management answers, the messages-added counter. */
    public Figures figures(String queue) throws Exception {
        ClientSession.QueueQuery q = session.queueQuery(SimpleString.of(queue));
        if (!q.isExists()) {
            return new Figures(false, 0, 0, OptionalLong.empty());
        }
        return new Figures(true, q.getMessageCount(), q.getConsumerCount(), messagesAdded(queue));
    }

    /**
     * The queue's {@code messagesAdded} counter (every message routed to it since the broker started,
     * consumed or not), read through the management address; empty when the broker does not answer
     * (management off, or the user lacks the {@code manage} permission).
     */
    public OptionalLong messagesAdded(String queue) {
        try {
            if (attribute(ResourceNames.QUEUE + queue, "messagesAdded") instanceof Number n) {
                return OptionalLong.of(n.longValue());
            }
        } catch (Exception e) {
            // no management answer: the caller falls back to the message count
        }
        return OptionalLong.empty();
    }

    /**
     * Removes every message of {@code queue} through the broker's management address ({@code removeAllMessages})
     * and returns how many it removed; waits up to {@code timeout} for the broker's answer, as a backlog paged to
     * disk takes a while to remove.
     *
     * @throws IllegalStateException when the broker does not answer in time or refuses (management off, no
     *                               {@code manage} permission)
     */
    public long removeAll(String queue, Duration timeout) throws Exception {
        Object result = invoke(ResourceNames.QUEUE + queue, "removeAllMessages", timeout);
        return result instanceof Number n ? n.longValue() : 0;
    }

    /**
     * Waits up to {@code timeout} until {@code address} no longer pages (holds messages on disk beyond the
     * broker's memory limit, see {@code bridge.broker.global-max-size-mb}); false if it still does then.
     */
    public boolean awaitNotPaging(String address, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Boolean.TRUE.equals(attribute(ResourceNames.ADDRESS + address, "paging"))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private Object attribute(String resource, String name) throws Exception {
        return request(resource + "." + name, Duration.ofSeconds(5),
                m -> ManagementHelper.putAttribute(m, resource, name));
    }

    private Object invoke(String resource, String operation, Duration timeout) throws Exception {
        return request(resource + "." + operation + "()", timeout,
                m -> ManagementHelper.putOperationInvocation(m, resource, operation));
    }

    /** Sends a management request that {@code fill} describes and returns the broker's result for {@code what}. */
    private Object request(String what, Duration timeout, ManagementRequest fill) throws Exception {
        try (ClientRequestor requestor = new ClientRequestor(session,
                ActiveMQDefaultConfiguration.getDefaultManagementAddress())) {
            ClientMessage m = session.createMessage(false);
            fill.into(m);
            return result(requestor.request(m, timeout.toMillis()), what);
        }
    }

    /** Writes a management request into a message. */
    @FunctionalInterface
    private interface ManagementRequest {
        void into(ClientMessage m) throws Exception;
    }

    private static Object result(ClientMessage reply, String what) throws Exception {
        if (reply == null) {
            throw new IllegalStateException("the broker did not answer " + what + " in time");
        }
        if (!ManagementHelper.hasOperationSucceeded(reply)) {
            throw new IllegalStateException("the broker refused " + what + ": " + ManagementHelper.getResult(reply));
        }
        return ManagementHelper.getResult(reply);
    }

    /** Creates the durable anycast queue {@code name} on the address of the same name, as JMS names a queue, unless it exists. */
    public void ensureAnycastQueue(String name) throws Exception {
        if (!session.queueQuery(SimpleString.of(name)).isExists()) {
            session.createQueue(QueueConfiguration.of(name).setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
    }

    /** Whether the broker has an address of this name. */
    public boolean addressExists(String address) throws Exception {
        return session.addressQuery(SimpleString.of(address)).isExists();
    }

    /**
     * Deletes {@code queue} with every message in it (an auto-created address goes with its last
     * queue); returns the number of messages it held, 0 when there was no such queue.
     */
    public long delete(String queue) throws Exception {
        ClientSession.QueueQuery q = session.queueQuery(SimpleString.of(queue));
        if (!q.isExists()) {
            return 0;
        }
        session.deleteQueue(SimpleString.of(queue));
        return q.getMessageCount();
    }

    @Override
    public void close() throws Exception {
        try {
            session.close();
        } finally {
            factory.close();
            locator.close();
        }
    }
}
