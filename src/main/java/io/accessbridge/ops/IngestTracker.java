package io.accessbridge.ops;

import io.accessbridge.canonical.AccessEvent;
import io.accessbridge.canonical.CanonicalEvent;
import io.accessbridge.canonical.EventHeaders;
import io.accessbridge.ingest.IngestProperties;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.Quarantine;
import io.accessbridge.ingest.RawInput;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Watches the ingest path without touching the routes: a Camel event notifier on the sends to
 * {@code direct:publish} (every ingest route's broker store) and {@code direct:quarantine}. A publish that
 * returned without exception is an event the broker stored (or dropped as a duplicate): it is counted per
 * device and channel, its latency recorded, and it is added, masked, to the recent events.
 */
public final class IngestTracker extends EventNotifierSupport implements MeterBinder {

    /** Endpoint of the broker store every ingest route sends to. */
    public static final String PUBLISH = "direct://publish";
    /** Endpoint of the quarantine of rejected input. */
    public static final String QUARANTINE = "direct://quarantine";

    private final Clock clock;
    private final RecentEvents recent;
    private final Duration idleAfter;
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> quarantined = new ConcurrentHashMap<>();
    private final AtomicLong publishFailures = new AtomicLong();
    private volatile Timer stored;
    private volatile Timer failed;

    /** What the ingest path saw of one device. */
    public static final class Device {
        private final Map<String, AtomicLong> byChannel = new ConcurrentHashMap<>();
        private final AtomicLong total = new AtomicLong();
        private volatile Instant lastEventAt;
        private volatile Instant activeSince;

        /** Events stored per channel. */
        public Map<String, Long> byChannel() {
            Map<String, Long> out = new TreeMap<>();
            byChannel.forEach((k, v) -> out.put(k, v.get()));
            return out;
        }

        /** Events stored on one channel (0 when none). */
        public long count(String channel) {
            AtomicLong n = byChannel.get(channel);
            return n == null ? 0 : n.get();
        }

        /** Events stored on any channel. */
        public long total() {
            return total.get();
        }

        /** When the last one was stored. */
        public Instant lastEventAt() {
            return lastEventAt;
        }

        /** Start of the current run of events without a pause longer than the idle time. */
        public Instant activeSince() {
            return activeSince;
        }
    }

    /**
     * A tracker adding to {@code recent}; once bound to a meter registry it also records the publish latency
     * ({@code bridge.publish.latency}, tag {@code outcome} = {@code stored} or {@code failed}).
     *
     * @param idleAfter a pause after which a pushing device counts as idle, and its next event starts a new run
     */
    public IngestTracker(RecentEvents recent, Duration idleAfter, Clock clock) {
        this.recent = recent;
        this.idleAfter = idleAfter;
        this.clock = clock;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        stored = latency(meters, "stored");
        failed = latency(meters, "failed");
    }

    private static Timer latency(MeterRegistry meters, String outcome) {
        return Timer.builder("bridge.publish.latency")
                .description("Time from the ingest route's send to direct:publish until the broker confirmed the store")
                .tag("outcome", outcome)
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5))
                .register(meters);
    }

    /**
     * The sent events of the two endpoints, and their sending events: Camel times a send, and reports it as
     * sent, only when a notifier takes its sending event.
     */
    @Override
    public boolean isEnabled(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            return watched(sent.getEndpoint().getEndpointUri());
        }
        return event instanceof CamelEvent.ExchangeSendingEvent sending && watched(sending.getEndpoint().getEndpointUri());
    }

    private static boolean watched(String uri) {
        return PUBLISH.equals(uri) || QUARANTINE.equals(uri);
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeSentEvent sent)) {
            return;
        }
        String uri = sent.getEndpoint().getEndpointUri();
        Exchange exchange = sent.getExchange();
        boolean ok = exchange.getException() == null && !exchange.isRollbackOnly();
        if (PUBLISH.equals(uri)) {
            Timer timer = ok ? stored : failed;
            if (timer != null) {
                timer.record(Duration.ofMillis(Math.max(0, sent.getTimeTaken())));
            }
            if (ok) {
                published(exchange);
            } else {
                publishFailures.incrementAndGet();
            }
        } else if (QUARANTINE.equals(uri) && ok) {
            String channel = exchange.getMessage().getHeader(Quarantine.CHANNEL, String.class);
            if (channel == null) {
                channel = exchange.getProperty(RawInput.CHANNEL, "unknown", String.class);
            }
            quarantined.computeIfAbsent(channel, k -> new AtomicLong()).incrementAndGet();
        }
    }

    private void published(Exchange exchange) {
        org.apache.camel.Message m = exchange.getMessage();
        NormalizedEvent normalized = exchange.getProperty(IngestProperties.NORMALIZED, NormalizedEvent.class);
        CanonicalEvent e = normalized == null ? null : normalized.event();
        String device = e != null ? e.deviceId() : m.getHeader(EventHeaders.DEVICE_ID, String.class);
        String channel = e != null && e.data().channel() != null ? e.data().channel()
                : m.getHeader(EventHeaders.CHANNEL, "unknown", String.class);
        if (device == null) {
            device = "unknown";
        }
        Instant now = clock.instant();
        record(device, channel, now);
        String id = e != null ? e.id() : m.getHeader(EventHeaders.CE_ID, String.class);
        String kind = e != null ? e.kind().id() : m.getHeader(EventHeaders.EVENT_KIND, String.class);
        String door = e != null ? e.subject() : m.getHeader(EventHeaders.CE_SUBJECT, String.class);
        Instant time = e != null ? e.time() : null;
        AccessEvent.Decision d = e != null && e.data() != null ? e.data().decision() : null;
        recent.add(new RecentEvent(RecentEvents.ref(id), now, time, kind, device, door,
                d == null ? null : d.granted() ? "granted" : "denied", d == null ? null : d.reason(), channel));
    }

    /** Counts one stored event of {@code device} on {@code channel} at {@code now}. */
    void record(String device, String channel, Instant now) {
        Device d = devices.computeIfAbsent(device, k -> new Device());
        d.byChannel.computeIfAbsent(channel, k -> new AtomicLong()).incrementAndGet();
        d.total.incrementAndGet();
        Instant last = d.lastEventAt;
        if (last == null || Duration.between(last, now).compareTo(idleAfter) > 0) {
            d.activeSince = now;
        }
        d.lastEventAt = now;
    }

    /** What the ingest path saw per device id. */
    public Map<String, Device> devices() {
        return devices;
    }

    /** One device, or {@code null}. */
    public Device device(String id) {
        return devices.get(id);
    }

    /** Inputs quarantined per channel. */
    public Map<String, Long> quarantined() {
        Map<String, Long> out = new TreeMap<>();
        quarantined.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Quarantined inputs counter of one channel, created on first use. */
    AtomicLong quarantinedCounter(String channel) {
        return quarantined.computeIfAbsent(channel, k -> new AtomicLong());
    }

    /** Publishes that failed (the device was told to retry). */
    public long publishFailures() {
        return publishFailures.get();
    }

    /** The pause after which a pushing device counts as idle. */
    public Duration idleAfter() {
        return idleAfter;
    }
}
