package io.accessbridge.testing.fuzz;

import io.accessbridge.ingest.Quarantine;
import io.accessbridge.ingest.RawInput;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A consumer of {@code access.quarantine} that indexes what it receives by the SHA-256 of the
 * bytes: how often each input was kept, and the first copy of it. The body is read as the message
 * arrives (a quarantined input of several MiB is a large message, whose body is only streamed
 * while the listener has it).
 */
public final class QuarantineIndex implements AutoCloseable {

    /** One quarantined input: its bytes and the properties the bridge set. */
    public record Kept(byte[] bytes, String reason, String channel, String deviceId, String remoteAddress) {
    }

    private final Connection connection;
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, Kept> first = new HashMap<>();
    private int total;

    private QuarantineIndex(Connection connection) {
        this.connection = connection;
    }

    /** Starts consuming {@code queue} (the quarantine address) on the broker at {@code brokerUrl}. */
    public static QuarantineIndex consume(String brokerUrl, String queue) throws JMSException {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(brokerUrl);
        cf.setReconnectAttempts(-1);
        cf.setRetryInterval(200);
        Connection c = cf.createConnection();
        QuarantineIndex index = new QuarantineIndex(c);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createConsumer(s.createQueue(queue)).setMessageListener(index::onMessage);
        c.start();
        return index;
    }

    private void onMessage(Message m) {
        try {
            byte[] bytes = new byte[0];
            if (m instanceof BytesMessage b) {
                bytes = new byte[(int) b.getBodyLength()];
                b.readBytes(bytes);
            }
            Kept kept = new Kept(bytes, m.getStringProperty(Quarantine.REASON), m.getStringProperty(Quarantine.CHANNEL),
                    m.getStringProperty(Quarantine.DEVICE_ID), m.getStringProperty(Quarantine.REMOTE_ADDRESS));
            String sha = RawInput.sha256(bytes);
            synchronized (this) {
                total++;
                counts.merge(sha, 1, Integer::sum);
                first.putIfAbsent(sha, kept);
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every SHA-256 received so far, with its number of copies. */
    public synchronized Map<String, Integer> counts() {
        return Map.copyOf(counts);
    }

    /** Whether an input with this SHA-256 was received. */
    public synchronized boolean contains(String sha) {
        return counts.containsKey(sha);
    }

    /** The first input received with this SHA-256, or {@code null}. */
    public synchronized Kept kept(String sha) {
        return first.get(sha);
    }

    /** Messages received in all. */
    public synchronized int total() {
        return total;
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
