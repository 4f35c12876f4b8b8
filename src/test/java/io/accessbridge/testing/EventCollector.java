package io.accessbridge.testing;

import io.accessbridge.canonical.EventHeaders;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A JMS consumer, as an integrator would write it, that drains a queue and counts every event id
 * it receives, so that tests can assert "each exactly once".
 */
public final class EventCollector implements AutoCloseable {

    private final Connection connection;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<Message> messages = Collections.synchronizedList(new ArrayList<>());

    private EventCollector(Connection connection) {
        this.connection = connection;
    }

    /** Starts consuming {@code queue} on the broker at {@code brokerUrl}. */
    public static EventCollector consume(String brokerUrl, String queue) throws JMSException {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(brokerUrl);
        cf.setReconnectAttempts(-1);
        cf.setRetryInterval(200);
        Connection c = cf.createConnection();
        EventCollector collector = new EventCollector(c);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
        consumer.setMessageListener(collector::onMessage);
        c.start();
        return collector;
    }

    private void onMessage(Message m) {
        counts.computeIfAbsent(idOf(m), k -> new AtomicInteger()).incrementAndGet();
        messages.add(m);
    }

    /** The event id of a message: {@code cloudEvents_id}, else the duplicate-detection id. */
    public static String idOf(Message m) {
        try {
            String id = m.getStringProperty(EventHeaders.CE_ID);
            return id != null ? id : m.getStringProperty("_AMQ_DUPL_ID");
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many distinct ids arrived. */
    public int distinct() {
        return counts.size();
    }

    /** How many messages arrived in all. */
    public int total() {
        return messages.size();
    }

    /** Ids that arrived more than once. */
    public List<String> duplicates() {
        return counts.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).toList();
    }

    /** The ids that arrived. */
    public java.util.Set<String> ids() {
        return counts.keySet();
    }

    /** The id of every message received, in order, each copy once (for {@link FaultTally}). */
    public List<String> receivedIds() {
        return receivedIds(m -> true);
    }

    /** The ids of the received messages {@code which} accepts, in order, each copy once. */
    public List<String> receivedIds(java.util.function.Predicate<Message> which) {
        return messages().stream().filter(which).map(EventCollector::idOf).toList();
    }

    /** Every message received, in order. */
    public List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** The body of a received text message. */
    public static String text(Message m) {
        try {
            return ((TextMessage) m).getText();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body of a received bytes message (quarantine), read from its start; safe to call repeatedly. */
    public static byte[] bytes(Message m) {
        try {
            jakarta.jms.BytesMessage b = (jakarta.jms.BytesMessage) m;
            synchronized (b) {
                b.reset();
                byte[] out = new byte[(int) b.getBodyLength()];
                b.readBytes(out);
                return out;
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A string property of a received message. */
    public static String property(Message m, String name) {
        try {
            return m.getStringProperty(name);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
