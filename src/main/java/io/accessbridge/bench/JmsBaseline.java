package io.accessbridge.bench;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * What the broker allows: persistent sends measured the way the reference figure was,
 * {@code artemis perf client --persistent --max-pending 1 --producers N --message-size 1500}.
 * Each producer has its own connection and session and at most one message in flight (like a
 * device, which waits for its answer); one thread drives all producers and the broker's
 * confirmation (the message is in its journal) frees the producer for its next send. The bridge's
 * figures are reported as a ratio of this.
 *
 * <p>An earlier version shared one connection between all producers and blocked a thread per
 * producer; on this project's 2-core VM that measured about a third of what {@code artemis perf
 * client} gets from the same broker, and made the bridge look closer to the broker's limit than it is.
 */
public final class JmsBaseline {

    /** Confirmation window of each producer's connection: asynchronous sends are confirmed only with one. */
    private static final int CONFIRMATION_WINDOW = 1024 * 1024;

    /** How long unmeasured sends run first. */
    private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** How long a pass waits for the broker to confirm any send before it gives up. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Throughput and latency of the baseline. */
    public record Result(double rate, double p50Millis, double p99Millis) {
    }

    private JmsBaseline() {
    }

    /**
     * Sends {@code total} persistent messages of {@code size} bytes from {@code producers} producers,
     * after at least 5 s of unmeasured ones ({@code --warmup 5} of the perf client: the client's and
     * the broker's code compiled, as in the bridge's own run after its warm-up; a cold run measured
     * a third of a warm one here).
     */
    public static Result run(String url, int producers, int total, int size) throws Exception {
        return run(url, null, null, producers, total, size);
    }

    /**
     * As {@link #run(String, int, int, int)}, as {@code user} with {@code password} (null: none) given to the
     * connection factory itself, never in the URL.
     */
    public static Result run(String url, String user, String password, int producers, int total, int size)
            throws Exception {
        if (total <= 0 || producers <= 0) {
            throw new IllegalArgumentException("the baseline needs producers and messages: " + producers + ", " + total);
        }
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url, user, password);
        cf.setConfirmationWindowSize(CONFIRMATION_WINDOW);
        List<Connection> connections = new ArrayList<>();
        AtomicReference<Exception> broken = new AtomicReference<>();
        try {
            List<Session> sessions = new ArrayList<>();
            List<MessageProducer> senders = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                Connection c = cf.createConnection();
                connections.add(c);
                c.setExceptionListener(e -> broken.compareAndSet(null, e));
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = s.createProducer(s.createQueue("bench.baseline"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                sessions.add(s);
                senders.add(producer);
            }
            byte[] body = new byte[size];
            Arrays.fill(body, (byte) 'x');
            long warmUntil = System.nanoTime() + WARM_UP_NANOS;
            do {
                pass(sessions, senders, total, body, broken);
            } while (System.nanoTime() < warmUntil);
            return pass(sessions, senders, total, body, broken);
        } finally {
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (JMSException | RuntimeException e) {
                    // the figures are taken; a connection that fails to close does not change them, nor stop the others
                }
            }
            cf.close();
        }
    }

    /** Sends {@code total} messages, each producer one at a time, from this thread. */
    private static Result pass(List<Session> sessions, List<MessageProducer> senders, int total, byte[] body,
            AtomicReference<Exception> broken) throws Exception {
        long[] latencies = new long[total];
        CountDownLatch done = new CountDownLatch(total);
        AtomicReference<Exception> failure = new AtomicReference<>();
        BlockingQueue<Integer> ready = new LinkedBlockingQueue<>();
        for (int p = 0; p < senders.size(); p++) {
            ready.add(p);
        }
        int next = 0;
        long start = System.nanoTime();
        long lastProgress = start;
        long remaining = done.getCount();
        while (done.getCount() > 0 && failure.get() == null) {
            failure.compareAndSet(null, broken.get());
            if (done.getCount() != remaining) {
                remaining = done.getCount();
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_NANOS) {
                failure.compareAndSet(null, new JMSException("the broker confirmed no send for "
                        + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s (" + remaining + " of " + total + " open)"));
                break;
            }
            Integer p = ready.poll(100, TimeUnit.MILLISECONDS);
            if (p == null || next >= total) {
                continue;
            }
            int i = next++;
            try {
                BytesMessage m = sessions.get(p).createBytesMessage();
                m.writeBytes(body);
                long sent = System.nanoTime();
                senders.get(p).send(m, new CompletionListener() {
                    @Override
                    public void onCompletion(Message message) {
                        latencies[i] = System.nanoTime() - sent;
                        done.countDown();
                        ready.add(p);
                    }

                    @Override
                    public void onException(Message message, Exception exception) {
                        failure.compareAndSet(null, exception);
                        done.countDown();
                    }
                });
            } catch (JMSException | RuntimeException e) {
                // a session the broker closed (a broker stopped mid-run) throws here, before any listener is called
                failure.compareAndSet(null, e);
            }
        }
        if (failure.get() != null) {
            JMSException e = new JMSException("baseline send failed: " + failure.get().getMessage());
            e.initCause(failure.get());
            throw e;
        }
        long nanos = System.nanoTime() - start;
        Arrays.sort(latencies);
        return new Result(total / (nanos / 1e9), rank(latencies, 0.50) / 1e6, rank(latencies, 0.99) / 1e6);
    }

    /** The nearest-rank percentile {@code q} of sorted values. */
    static long rank(long[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
