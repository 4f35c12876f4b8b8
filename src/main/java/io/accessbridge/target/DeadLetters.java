package io.accessbridge.target;

import io.accessbridge.canonical.EventHeaders;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;

/**
 * Lists and replays the events the delivery targets gave up on. Each target keeps them in its own
 * dead-letter queue with the reason, the attempts, the time and the queue they came from. A replay moves
 * matching dead letters, oldest first and one JMS transaction each (so none is lost or doubled), back to the
 * target's queue alone (its fully qualified name on the multicast events address, so no other queue gets a copy); the copy gets a new duplicate-detection id ({@code replay:<dead letter message id>}),
 * because the broker would otherwise drop it as a duplicate of the event it once received.
 */
public final class DeadLetters {

    /** Property of a replayed event: how often it was replayed. */
    public static final String REPLAY_COUNT = "replayCount";

    private final ConnectionFactory connections;
    private final List<TargetSettings> targets;
    private final Clock clock;

    /** Dead letters of {@code targets} on the broker behind {@code connections}. */
    public DeadLetters(ConnectionFactory connections, List<TargetSettings> targets, Clock clock) {
        this.connections = connections;
        this.targets = List.copyOf(targets);
        this.clock = clock;
    }

    /** The dead letters matching {@code filter}, per target in queue order. */
    public List<DeadLetter> list(DeadLetterFilter filter) throws JMSException {
        List<DeadLetter> out = new ArrayList<>();
        try (Connection c = connections.createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
            for (TargetSettings t : targets) {
                if (!exists(session, t.deadLetterQueue())) {
                    continue;
                }
                int n = 0;
                try (QueueBrowser browser = session.createBrowser(session.createQueue(t.deadLetterQueue()),
                        filter.selector(clock.instant()))) {
                    for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); ) {
                        out.add(describe(t, (Message) e.nextElement()));
                        if (++n == filter.limit()) {
                            break;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Moves the dead letters matching {@code filter} back to their targets' queues; returns how many. */
    public int replay(DeadLetterFilter filter) throws JMSException {
        int moved = 0;
        try (Connection c = connections.createConnection()) {
            Session session = c.createSession(true, Session.SESSION_TRANSACTED);
            c.start();
            for (TargetSettings t : targets) {
                if (!exists(session, t.deadLetterQueue())) {
                    continue;
                }
                int n = 0;
                try (MessageConsumer consumer = session.createConsumer(session.createQueue(t.deadLetterQueue()),
                        filter.selector(clock.instant()))) {
                    Message m;
                    while ((filter.limit() == 0 || n < filter.limit()) && (m = consumer.receive(500)) != null) {
                        String origin = m.getStringProperty(DeliveryPolicy.ORIGIN);
                        Topic back = session.createTopic(origin != null ? origin : t.fullyQualifiedQueue());
                        try (MessageProducer producer = session.createProducer(back)) {
                            producer.send(copy(session, m));
                        }
                        session.commit();
                        n++;
                    }
                }
                moved += n;
            }
        }
        return moved;
    }

    private Message copy(Session session, Message dead) throws JMSException {
        TextMessage out = session.createTextMessage(dead instanceof TextMessage t ? t.getText() : dead.getBody(String.class));
        for (Enumeration<?> names = dead.getPropertyNames(); names.hasMoreElements(); ) {
            String name = names.nextElement().toString();
            if (name.startsWith("deadLetter") || name.startsWith("_AMQ") || name.startsWith("JMSX")
                    || name.equals(REPLAY_COUNT)) {
                continue;
            }
            out.setObjectProperty(name, dead.getObjectProperty(name));
        }
        int replays = dead.propertyExists(REPLAY_COUNT) ? dead.getIntProperty(REPLAY_COUNT) : 0;
        out.setIntProperty(REPLAY_COUNT, replays + 1);
        out.setStringProperty(EventHeaders.DUPLICATE_ID, "replay:" + dead.getJMSMessageID());
        return out;
    }

    private DeadLetter describe(TargetSettings t, Message m) throws JMSException {
        long time = m.propertyExists(DeliveryPolicy.TIME) ? m.getLongProperty(DeliveryPolicy.TIME) : m.getJMSTimestamp();
        return new DeadLetter(t.name(), t.deadLetterQueue(), m.getJMSMessageID(),
                m.getStringProperty(EventHeaders.CE_ID), m.getStringProperty(EventHeaders.EVENT_KIND),
                m.getStringProperty(EventHeaders.DEVICE_ID), m.getStringProperty(DeliveryPolicy.REASON),
                m.propertyExists(DeliveryPolicy.ATTEMPTS) ? m.getIntProperty(DeliveryPolicy.ATTEMPTS) : 0,
                Instant.ofEpochMilli(time), m.getStringProperty(DeliveryPolicy.ORIGIN));
    }

    private static boolean exists(Session session, String queue) {
        if (session instanceof ActiveMQSession artemis) {
            try {
                return artemis.getCoreSession().queueQuery(SimpleString.of(queue)).isExists();
            } catch (ActiveMQException e) {
                return false;
            }
        }
        try (QueueBrowser b = session.createBrowser(session.createQueue(queue))) {
            b.getEnumeration();
            return true;
        } catch (JMSException e) {
            return false;
        }
    }
}
