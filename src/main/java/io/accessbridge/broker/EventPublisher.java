package io.accessbridge.broker;

import io.accessbridge.ingest.CanonicalMessage;
import io.accessbridge.ingest.InFlightIds;
import io.accessbridge.ingest.NormalizedEvent;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes canonical events to the events address and returns only when the broker has stored
 * them: the one way events reach the broker, for single events ({@link #publish(CanonicalMessage.Parts)},
 * the {@code direct:publish} route of every push and WebSocket input) and for batches
 * ({@link #publish(List)}, {@link #sequence()}, the v3 poller).
 *
 * <p>A batch is sent persistently and asynchronously (JMS 2.0 {@link CompletionListener}) and
 * {@link #publish(List)} waits for all confirmations of the batch. The broker confirms a persistent
 * message once it is in its journal, and its journal syncs many messages at once, so a batch costs
 * about one disk sync instead of one per event. A single event is a blocking durable send.
 *
 * <p>Each message is what {@link CanonicalMessage#parts} makes of the event (same body, same
 * properties, duplicate id = event id). Sends are not transacted: a copy the broker has seen
 * before (a page fetched again after a crash) is dropped by its duplicate detection and still
 * confirmed, so a batch that partly reached the broker can simply be published again.
 *
 * <p>{@link #sequence()} lets a caller send the next batch before it waits for the previous one
 * (the v3 poller fetches page n+1 while the broker stores page n); batches of one sequence are
 * stored in the order sent.
 *
 * <p>Each event's id is {@linkplain InFlightIds#claim claimed} before it is sent and released when the
 * broker confirmed or refused it, in the {@link InFlightIds} the {@code direct:publish} route shares: a copy
 * of the same event sent there at the same moment (the device's {@code event-report} of an event being
 * fetched) waits for this one, or this one for it, and the broker drops the second. A single event
 * ({@link #publish(CanonicalMessage.Parts)}) is claimed by that route's {@code publishOnce} policy.
 *
 * <p>No send blocks much longer than {@code bridge.broker.send-timeout-ms}. A broker whose disk is full (its
 * {@code max-disk-usage}), or whose address blocks, withholds producer credits, and Artemis' client then waits
 * for them without end; a send found still waiting past the timeout (sends are checked every quarter of it, at
 * most every 250 ms) has its connection closed, which releases it, and fails, so the device is told to retry
 * instead of waiting for an answer that never comes.
 *
 * <p>Thread-safe: concurrent callers get their own session (kept for reuse), spread over
 * {@code bridge.broker.max-connections} connections. A broken connection is dropped with its
 * sessions and a new one is made by the next call. Its connections are its own, not the pooled
 * factory of the {@code jms} component: a session per send from a pool costs more than the send
 * itself, and asynchronous confirmations need a confirmation window on the client.
 */
public final class EventPublisher implements AutoCloseable {

    /**
     * Confirmation window, bytes. Asynchronous completions need one, but its size only says how
     * often the broker confirms what it received: until then each session keeps every sent packet
     * in a resend cache (of no use here, as the bridge never re-attaches a session) and the broker
     * keeps its answers. At 1 MiB that was up to 1 MiB per session, held for seconds, copied by
     * every young collection and then promoted: under load from 100 devices, G1's young pauses
     * averaged 30 ms; at 16 KiB (a confirmation every few events) they average about 20 ms.
     */
    static final int CONFIRMATION_WINDOW = 16 * 1024;
    /** Producer credits, bytes: a page of events is sent without waiting for the broker to grant more. */
    static final int PRODUCER_WINDOW = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final ActiveMQConnectionFactory factory;
    private final String address;
    private final long timeoutMs;
    private final CanonicalMessage canonical;
    private final Slot[] slots;
    private final AtomicInteger nextSlot = new AtomicInteger();
    private final InFlightIds inFlight;
    private final ConcurrentLinkedQueue<Lane> idle = new ConcurrentLinkedQueue<>();
    private final Set<Deadline> sending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;
    private volatile boolean closed;

    /** One of the publisher's connections; a new generation starts each time it is replaced. */
    private static final class Slot {
        private Connection connection;
        private volatile long generation;
    }

    /** A session and producer of one connection generation. */
    private record Lane(Slot slot, long generation, Session session, MessageProducer producer, Topic topic) {
    }

    /**
     * @param settings  broker URL, credentials, events address and send timeout
     * @param canonical makes the body and properties of each message
     * @param inFlight  the ids being sent now, shared with the bridge's other publishers
     */
    public EventPublisher(BrokerSettings settings, CanonicalMessage canonical, InFlightIds inFlight) {
        this.canonical = Objects.requireNonNull(canonical, "canonical");
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
        this.address = settings.eventsAddress();
        this.timeoutMs = settings.sendTimeoutMs();
        this.slots = new Slot[Math.max(1, settings.maxConnections())];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot();
        }
        this.factory = JmsConnectionFactories.artemis(settings);
        factory.setConfirmationWindowSize(CONFIRMATION_WINDOW);
        factory.setProducerWindowSize(PRODUCER_WINDOW);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "event-publisher-send-deadline");
            t.setDaemon(true);
            return t;
        });
        long sweepMs = Math.max(10, Math.min(250, timeoutMs / 4));
        sweeper.scheduleAtFixedRate(this::sweep, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends the events, in order, and waits until the broker confirmed that it stored all of them.
     *
     * @throws JMSException when the broker refused or could not be reached, or did not confirm every
     *                      event within {@code bridge.broker.send-timeout-ms}; some events of the batch
     *                      may then be stored and others not: publish the batch again
     */
    public void publish(List<NormalizedEvent> events) throws JMSException, InterruptedException {
        if (events.isEmpty()) {
            return;
        }
        try (Sequence sequence = sequence()) {
            sequence.send(events).await();
        }
    }

    /**
     * Sends one canonical message (body and properties as {@link CanonicalMessage#parts} makes them)
     * persistently and returns once the broker stored it: the publish step of the ingest routes.
     *
     * @throws JMSException when the broker refused it, could not be reached, or did not confirm within
     *                      {@code bridge.broker.send-timeout-ms}; the message may or may not be stored
     */
    public void publish(CanonicalMessage.Parts parts) throws JMSException {
        if (closed) {
            throw new JMSException("publisher is closed");
        }
        Lane lane = borrow();
        Deadline deadline = deadline(lane);
        try {
            lane.producer().send(lane.topic(), message(lane.session(), parts), DeliveryMode.PERSISTENT,
                    Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
        } catch (JMSException | RuntimeException e) {
            discard(lane);
            if (deadline.passed()) {
                throw deadline.failure(e);
            }
            throw e;
        }
        if (deadline.passed()) {
            throw deadline.failure(null);
        }
        idle.add(lane);
    }

    /** Watches a send on {@code lane} that starts now; see the class comment. */
    private Deadline deadline(Lane lane) {
        Deadline d = new Deadline(lane, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
        sending.add(d);
        return d;
    }

    /** Closes the lanes of the sends past their deadline (run by the sweeper, a few times per send timeout). */
    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Deadline d : sending) {
                d.expireIfDue(now);
            }
        } catch (RuntimeException e) {
            LOG.warn("Send deadline sweep failed: {}", e.toString());
        }
    }

    /**
     * The send timeout of one send (or of one batch's sends) on a lane. The sweeper and the end of the send race
     * to settle it, and the loser does nothing, so a lane the sweeper closed is never given back for reuse. A
     * periodic sweep instead of a timer per send: a timer that becomes the earliest wakes its thread at every send.
     */
    private final class Deadline {
        private final Lane lane;
        private final long dueNanos;
        private final AtomicBoolean settled = new AtomicBoolean();

        private Deadline(Lane lane, long dueNanos) {
            this.lane = lane;
            this.dueNanos = dueNanos;
        }

        /** Called once, when the send ended: whether the deadline had passed before (and the lane is closed). */
        boolean passed() {
            sending.remove(this);
            return !settled.compareAndSet(false, true);
        }

        void expireIfDue(long now) {
            if (now - dueNanos >= 0 && settled.compareAndSet(false, true)) {
                sending.remove(this);
                discard(lane);
            }
        }

        /**
         * The failure of a send that outlasted the timeout. What the closed lane threw ({@code cause}, if anything)
         * is not its cause: callers log the root cause, and that would only say the connection was closed.
         */
        JMSException failure(Exception cause) {
            return new JMSException("broker did not take the event within " + timeoutMs
                    + " ms: it withholds producer credits (disk or memory full?) or is too slow; connection closed"
                    + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")"));
        }
    }

    private static TextMessage message(Session session, CanonicalMessage.Parts parts) throws JMSException {
        TextMessage message = session.createTextMessage(parts.body());
        for (Map.Entry<String, Object> h : parts.headers().entrySet()) {
            message.setObjectProperty(h.getKey(), h.getValue());
        }
        return message;
    }

    /**
     * Opens a sequence: batches sent through it are sent on one session, so the broker stores them in
     * the order sent, and the caller may send the next batch (or do other work) before it waits for
     * the confirmation of the previous one. Not thread-safe; close it when done.
     */
    public Sequence sequence() throws JMSException {
        if (closed) {
            throw new JMSException("publisher is closed");
        }
        return new Sequence(borrow());
    }

    /** Waits for the broker to confirm one batch. */
    @FunctionalInterface
    public interface Confirmation {
        /**
         * Returns once every event of the batch is stored.
         *
         * @throws JMSException as {@link EventPublisher#publish}
         */
        void await() throws JMSException, InterruptedException;
    }

    /** Batches sent in order on one session; see {@link #sequence()}. */
    public final class Sequence implements AutoCloseable {

        private final Lane lane;
        private final List<InFlightIds.Claim> claims = new ArrayList<>();
        private int unconfirmed;
        private boolean failed;
        private boolean released;

        private Sequence(Lane lane) {
            this.lane = lane;
        }

        /**
         * Sends the events, in order, after those of the batches sent before, without waiting.
         *
         * @return what waits for the broker's confirmation of these events
         */
        public Confirmation send(List<NormalizedEvent> events) throws JMSException {
            if (released) {
                throw new JMSException("sequence is closed");
            }
            if (events.isEmpty()) {
                return () -> { };
            }
            CountDownLatch confirmed = new CountDownLatch(events.size());
            AtomicReference<Exception> failure = new AtomicReference<>();
            CompletionListener listener = new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    confirmed.countDown();
                }

                @Override
                public void onException(Message message, Exception exception) {
                    failure.compareAndSet(null, exception);
                    confirmed.countDown();
                }
            };
            unconfirmed++;
            int sent = 0;
            List<InFlightIds.Claim> batch = new ArrayList<>(events.size());
            Deadline deadline = deadline(lane);
            try {
                for (NormalizedEvent event : events) {
                    InFlightIds.Claim claim = claim(event.event().id());
                    batch.add(claim);
                    claims.add(claim);
                    lane.producer().send(lane.topic(), message(lane.session(), canonical.parts(event)),
                            DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE,
                            releasing(claim, listener));
                    sent++;
                    if (failure.get() != null) {
                        break;
                    }
                }
            } catch (JMSException | RuntimeException e) {
                failed = true;
                batch.forEach(InFlightIds.Claim::release);
                if (deadline.passed()) {
                    throw deadline.failure(e);
                }
                throw e;
            }
            if (deadline.passed()) {
                failed = true;
                batch.forEach(InFlightIds.Claim::release);
                throw deadline.failure(null);
            }
            int size = events.size();
            int dispatched = sent;
            return () -> {
                try {
                    if (dispatched < size) {
                        throw new JMSException("broker refused the batch after " + dispatched + " of " + size
                                + " events: " + failure.get().getMessage());
                    }
                    if (!confirmed.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                        throw new JMSException("broker did not confirm " + confirmed.getCount() + " of " + size
                                + " events within " + timeoutMs + " ms");
                    }
                    Exception e = failure.get();
                    if (e != null) {
                        JMSException jms = new JMSException("broker did not store the batch: " + e.getMessage());
                        jms.initCause(e);
                        throw jms;
                    }
                    unconfirmed--;
                } catch (JMSException | InterruptedException | RuntimeException e) {
                    failed = true;
                    throw e;
                } finally {
                    // confirmed, refused or given up: no copy of these events is being sent any more by this batch
                    batch.forEach(InFlightIds.Claim::release);
                }
            };
        }

        /** Claims an event id, waiting for a copy another publisher is sending. */
        private InFlightIds.Claim claim(String id) throws JMSException {
            try {
                return inFlight.claim(id);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JMSException("interrupted while another copy of an event was being sent");
            } catch (java.util.concurrent.TimeoutException e) {
                throw new JMSException(e.getMessage());
            }
        }

        /** Gives the session back; a session with a failed or unconfirmed batch is closed with its connection. */
        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            claims.forEach(InFlightIds.Claim::release);
            if (failed || unconfirmed > 0) {
                discard(lane);
            } else {
                idle.add(lane);
            }
        }
    }

    /** Releases the claim of one message when the broker confirms or refuses it, then tells the batch. */
    private static CompletionListener releasing(InFlightIds.Claim claim, CompletionListener batch) {
        return new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                claim.release();
                batch.onCompletion(message);
            }

            @Override
            public void onException(Message message, Exception exception) {
                claim.release();
                batch.onException(message, exception);
            }
        };
    }

    private Lane borrow() throws JMSException {
        Lane lane;
        while ((lane = idle.poll()) != null) {
            if (lane.generation() == lane.slot().generation) {
                return lane;
            }
            closeQuietly(lane);
        }
        Slot slot = slots[Math.floorMod(nextSlot.getAndIncrement(), slots.length)];
        synchronized (slot) {
            if (slot.connection == null) {
                Connection c = factory.createConnection();
                long gen = ++slot.generation;
                c.setExceptionListener(e -> {
                    LOG.warn("Broker connection of the publisher failed: {}", e.getMessage());
                    dropConnection(slot, gen);
                });
                c.start();
                slot.connection = c;
            }
            Session session = slot.connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(null);
            return new Lane(slot, slot.generation, session, producer, session.createTopic(address));
        }
    }

    /** A lane whose send failed: its connection is suspect, so the connection is dropped with it. */
    private void discard(Lane lane) {
        closeQuietly(lane);
        dropConnection(lane.slot(), lane.generation());
    }

    private static void dropConnection(Slot slot, long gen) {
        Connection c;
        synchronized (slot) {
            if (slot.connection == null || slot.generation != gen) {
                return;
            }
            c = slot.connection;
            slot.connection = null;
            slot.generation++;
        }
        try {
            c.close();
        } catch (JMSException | RuntimeException e) {
            LOG.debug("Closing a failed connection: {}", e.getMessage());
        }
    }

    private static void closeQuietly(Lane lane) {
        try {
            lane.session().close();
        } catch (JMSException | RuntimeException e) {
            LOG.debug("Closing a session: {}", e.getMessage());
        }
    }

    /** Closes the connection; later calls of {@link #publish} fail. */
    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        Lane lane;
        while ((lane = idle.poll()) != null) {
            closeQuietly(lane);
        }
        for (Slot slot : slots) {
            synchronized (slot) {
                if (slot.connection != null) {
                    try {
                        slot.connection.close();
                    } catch (JMSException | RuntimeException e) {
                        LOG.debug("Closing a connection: {}", e.getMessage());
                    }
                    slot.connection = null;
                }
            }
        }
        factory.close();
    }
}
