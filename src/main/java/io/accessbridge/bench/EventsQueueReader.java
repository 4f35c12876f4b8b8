package io.accessbridge.bench;

import io.accessbridge.canonical.EventHeaders;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/**
 * A downstream consumer of the events queue for the soak and {@code bench v1-push}: reads and
 * acknowledges every message (so the broker holds no growing backlog, as with a real consumer) and
 * tallies event ids per device ({@code deviceId}, {@code cloudEvents_id}) for the exactly-once check.
 */
final class EventsQueueReader implements AutoCloseable {

    private final ExactlyOnce.Tally tally = new ExactlyOnce.Tally();
    private final AtomicLong received = new AtomicLong();
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ClientSession session;
    private final ClientConsumer consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    EventsQueueReader(String url, String queue) throws Exception {
        locator = ActiveMQClient.createServerLocator(url);
        factory = locator.createSessionFactory();
        session = factory.createSession(true, true);
        consumer = session.createConsumer(queue);
        session.start();
        thread = new Thread(this::loop, "bench-events-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                ClientMessage m = consumer.receive(500);
                if (m == null) {
                    continue;
                }
                m.acknowledge();
                tally.add(String.valueOf(m.getObjectProperty(EventHeaders.DEVICE_ID)),
                        String.valueOf(m.getObjectProperty(EventHeaders.CE_ID)));
                received.incrementAndGet();
            }
        } catch (Exception e) {
            if (running) {
                failure = e;
            }
        }
    }

    /** Messages read so far. */
    long received() {
        return received.get();
    }

    /** Waits until {@code count} messages are read, at most {@code timeout}; false if fewer were read by then. */
    boolean awaitReceived(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.get() < count) {
            if (failure != null || System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The ids read so far. */
    ExactlyOnce.Tally tally() {
        return tally;
    }

    /** Why reading stopped, or null. */
    Exception failure() {
        return failure;
    }

    @Override
    public void close() throws Exception {
        if (!running) {
            return;
        }
        running = false;
        thread.join(5_000);
        consumer.close();
        session.close();
        factory.close();
        locator.close();
    }
}
