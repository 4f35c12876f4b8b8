package io.accessbridge.ops;

import io.accessbridge.broker.BrokerSettings;
import io.accessbridge.broker.EmbeddedBroker;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.paging.PagingManager;
import org.apache.activemq.artemis.core.paging.PagingStore;
import org.apache.activemq.artemis.core.server.ActiveMQServer;

/**
 * Asks the broker, quickly and not too often, whether it is there and how deep the bridge's queues are.
 * The embedded broker is up when its server is active; an external one when a core session can be opened
 * within the timeout. Queue depths come from core queue queries (the same for both). Answers are cached for
 * {@code cacheMillis}, so health checks, metrics scrapes and status pages do not hammer the broker; a check
 * that does not answer within {@code timeoutMillis} counts as down.
 */
public final class BrokerProbe implements AutoCloseable {

    /**
     * What the probe found.
     *
     * @param up        whether the broker is usable
     * @param detail    why not, or what it is ({@code embedded broker active}, {@code reachable})
     * @param checkedAt when this was found
     */
    public record State(boolean up, String detail, Instant checkedAt) {
    }

    /**
     * What the embedded broker holds in the heap, and whether it pages the events address to disk.
     *
     * @param bytes      messages held in memory, all addresses ({@code global-size})
     * @param limitBytes the bound beyond which it pages ({@code bridge.broker.global-max-size-mb})
     * @param paging     whether new events go to page files instead of memory
     */
    public record Memory(long bytes, long limitBytes, boolean paging) {
    }

    private final BrokerSettings settings;
    private final Supplier<EmbeddedBroker> embedded;
    private final long timeoutMillis;
    private final long cacheMillis;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "broker-probe");
        t.setDaemon(true);
        return t;
    });
    private ServerLocator locator;
    private ClientSessionFactory factory;
    private ClientSession session;
    private State state;
    private final Map<String, Long> depths = new LinkedHashMap<>();
    private long depthsAt = Long.MIN_VALUE;

    /**
     * A probe of the broker of {@code settings}.
     *
     * @param embedded the embedded broker service, or a supplier of {@code null} for an external broker
     */
    public BrokerProbe(BrokerSettings settings, Supplier<EmbeddedBroker> embedded, long timeoutMillis, long cacheMillis,
                       Clock clock) {
        this.settings = settings;
        this.embedded = embedded;
        this.timeoutMillis = timeoutMillis;
        this.cacheMillis = cacheMillis;
        this.clock = clock;
    }

    /** Whether the broker is usable, from cache when recent. */
    public synchronized State state() {
        long now = clock.millis();
        if (state == null || now - state.checkedAt().toEpochMilli() >= cacheMillis) {
            state = check();
        }
        return state;
    }

    /** Messages in each of {@code queues} (-1 for a queue that does not exist, absent when the broker is down). */
    public synchronized Map<String, Long> depths(Collection<String> queues) {
        long now = clock.millis();
        if (now - depthsAt >= cacheMillis || !depths.keySet().containsAll(queues)) {
            depths.clear();
            depthsAt = now;
            if (state().up()) {
                try {
                    Map<String, Long> found = call(() -> {
                        Map<String, Long> m = new LinkedHashMap<>();
                        ClientSession s = session();
                        for (String q : queues) {
                            ClientSession.QueueQuery query = s.queueQuery(SimpleString.of(q));
                            m.put(q, query.isExists() ? query.getMessageCount() : -1L);
                        }
                        return m;
                    });
                    depths.putAll(found);
                } catch (Exception e) {
                    reset();
                }
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (String q : queues) {
            Long d = depths.get(q);
            if (d != null) {
                out.put(q, d);
            }
        }
        return out;
    }

    /**
     * The embedded broker's memory and paging state for {@code address}, read from the server in this JVM (no
     * round trip); empty for an external broker, whose own metrics tell, or for a broker that is not running.
     */
    public Optional<Memory> memory(String address) {
        if (!settings.embedded()) {
            return Optional.empty();
        }
        EmbeddedBroker broker = embedded.get();
        ActiveMQServer server = broker == null || broker.server() == null ? null : broker.server().getActiveMQServer();
        if (server == null || !server.isActive() || server.getPagingManager() == null) {
            return Optional.empty();
        }
        PagingManager paging = server.getPagingManager();
        try {
            PagingStore store = paging.getPageStore(SimpleString.of(address));
            return Optional.of(new Memory(paging.getGlobalSize(), paging.getMaxSize(), store != null && store.isPaging()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Whether the bridge runs its own broker. */
    public boolean embedded() {
        return settings.embedded();
    }

    private State check() {
        Instant now = clock.instant();
        if (settings.embedded()) {
            EmbeddedBroker broker = embedded.get();
            ActiveMQServer server = broker == null || broker.server() == null ? null : broker.server().getActiveMQServer();
            if (server == null || !server.isActive()) {
                return new State(false, "embedded broker not running", now);
            }
            return new State(true, "embedded broker active", now);
        }
        try {
            call(() -> session().addressQuery(SimpleString.of(settings.eventsAddress())));
            return new State(true, "reachable", now);
        } catch (TimeoutException e) {
            reset();
            return new State(false, "no answer within " + timeoutMillis + " ms", now);
        } catch (Exception e) {
            reset();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new State(false, "not reachable: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " " + cause.getMessage().lines().findFirst().orElse("")), now);
        }
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private <T> T call(Call<T> call) throws Exception {
        Future<T> f = worker.submit(call::run);
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        }
    }

    private ClientSession session() throws Exception {
        if (session == null || session.isClosed()) {
            reset();
            locator = ActiveMQClient.createServerLocator(settings.url());
            locator.setCallTimeout(timeoutMillis);
            locator.setCallFailoverTimeout(timeoutMillis);
            locator.setInitialConnectAttempts(1);
            locator.setReconnectAttempts(0);
            locator.setConnectionTTL(Math.max(10_000, timeoutMillis * 3));
            locator.setClientFailureCheckPeriod(Math.max(1_000, timeoutMillis));
            factory = locator.createSessionFactory();
            session = factory.createSession(settings.user(), settings.password(), false, true, true, false, 1);
        }
        return session;
    }

    private void reset() {
        try {
            if (session != null) {
                session.close();
            }
        } catch (Exception ignored) {
            // the connection is gone anyway
        }
        if (factory != null) {
            factory.close();
        }
        if (locator != null) {
            locator.close();
        }
        session = null;
        factory = null;
        locator = null;
    }

    @Override
    public synchronized void close() {
        worker.submit(this::reset);
        worker.shutdown();
        try {
            worker.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.shutdownNow();
    }
}
