package io.accessbridge.ops;

import io.accessbridge.broker.EmbeddedBroker;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a second: adds the events stored since the last tick to the per-minute rate, samples targets and queue
 * depths for the metrics, logs a line when a target starts failing or recovers (once per change), and keeps
 * the duplicate counter plugged into the embedded broker (again after a broker restart).
 */
public final class OpsMonitor extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(OpsMonitor.class);

    private final CamelContext context;
    private final OpsStatus status;
    private final EventRate rate;
    private final OpsMetrics metrics;
    private final DuplicateCounter duplicates;
    private final Supplier<EmbeddedBroker> embedded;
    private final Clock clock;
    private final Map<String, Long> lastStored = new HashMap<>();
    private final Map<String, String> targetStates = new HashMap<>();
    private ScheduledExecutorService timer;
    private ActiveMQServer plugged;
    private Boolean brokerUp;

    /** A monitor over these parts. */
    public OpsMonitor(CamelContext context, OpsStatus status, EventRate rate, OpsMetrics metrics,
                      DuplicateCounter duplicates, Supplier<EmbeddedBroker> embedded, Clock clock) {
        this.context = context;
        this.status = status;
        this.rate = rate;
        this.metrics = metrics;
        this.duplicates = duplicates;
        this.embedded = embedded;
        this.clock = clock;
    }

    @Override
    protected void doStart() {
        lastStored.putAll(status.storedPerDevice());
        timer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "ops-monitor");
        timer.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            context.getExecutorServiceManager().shutdown(timer);
            timer = null;
        }
    }

    /** One round; never throws (a failing round is retried at the next tick). */
    void tick() {
        try {
            plugDuplicateCounter();
            long added = 0;
            for (Map.Entry<String, Long> e : status.storedPerDevice().entrySet()) {
                long before = lastStored.getOrDefault(e.getKey(), 0L);
                if (e.getValue() > before) {
                    added += e.getValue() - before;
                }
                lastStored.put(e.getKey(), e.getValue());
            }
            rate.add(added, clock.millis());
            metrics.sample();
            logChanges();
        } catch (RuntimeException e) {
            LOG.debug("Status round failed: {}", e.toString());
        }
    }

    private void logChanges() {
        boolean up = status.broker().up();
        if (brokerUp != null && brokerUp != up) {
            if (up) {
                LOG.info("Broker: UP ({})", status.broker().detail());
            } else {
                LOG.warn("Broker: DOWN ({})", status.broker().detail());
            }
        }
        brokerUp = up;
        for (OpsStatus.TargetView t : status.targets()) {
            String before = targetStates.put(t.name(), t.state());
            if (before == null || before.equals(t.state())) {
                continue;
            }
            if ("FAILING".equals(t.state())) {
                LOG.warn("Target {}: FAILING ({} event(s) waiting for a retry, circuit {}, {} failed attempt(s) so far)",
                        t.name(), t.counts().retrying(), t.counts().circuit(), t.counts().failed());
            } else if ("OK".equals(t.state()) && "FAILING".equals(before)) {
                LOG.info("Target {}: recovered ({} delivered, {} dead-lettered so far)", t.name(),
                        t.counts().delivered(), t.counts().deadLettered());
            } else {
                LOG.info("Target {}: {}", t.name(), t.state());
            }
        }
    }

    private void plugDuplicateCounter() {
        EmbeddedBroker broker = embedded.get();
        ActiveMQServer server = broker == null || broker.server() == null ? null : broker.server().getActiveMQServer();
        if (server != null && server != plugged && server.isActive()) {
            server.registerBrokerPlugin(duplicates);
            plugged = server;
        }
    }
}
