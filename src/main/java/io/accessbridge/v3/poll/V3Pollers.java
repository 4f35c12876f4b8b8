package io.accessbridge.v3.poll;

import io.accessbridge.broker.EventPublisher;
import io.accessbridge.checkpoint.CheckpointStore;
import io.accessbridge.ingest.IngestProperties;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.RawInput;
import io.accessbridge.ingest.VendorJson;
import io.accessbridge.inventory.DeviceConfig;
import io.accessbridge.inventory.DeviceInventory;
import io.accessbridge.status.DeviceStatusRegistry;
import io.accessbridge.v3.V3Event;
import io.accessbridge.v3.V3HttpClients;
import io.accessbridge.v3.V3Poller;
import io.accessbridge.v3.V3Settings;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The v3 devices of the inventory at run time (bean {@code v3Pollers}): the steps of the device
 * poll routes ({@link #poll}, {@link #failed}) and of the {@code event-report} route
 * ({@link #reported}). Fetched pages go to the broker through the {@link EventPublisher}; events the
 * normaliser rejects go to {@code direct:quarantine} with channel {@code v3-fetch}. Each device is
 * called through its client of {@link V3HttpClients} (its own for an https device with a {@code tls}
 * block), for its polls and for the backfills its {@code event-report}s ask for alike.
 */
public final class V3Pollers implements AutoCloseable {

    /** Exchange property of the report route: the reported seqnum. */
    public static final String SEQNUM = "bridge.v3.seqnum";
    /** Exchange property of the report route: the reported event's raw timestamp. */
    public static final String TIMESTAMP = "bridge.v3.timestamp";

    private static final Logger LOG = LoggerFactory.getLogger(V3Pollers.class);

    private final CamelContext context;
    private final V3Settings settings;
    private final EventPublisher publisher;
    private final V3PollScheduler scheduler;
    private final Map<String, V3DevicePoller> devices = new LinkedHashMap<>();
    private final AtomicInteger publishedPages = new AtomicInteger();
    private ProducerTemplate template;

    /**
     * @param context     the Camel context (quarantine route)
     * @param inventory   devices; every v3 device gets a poller
     * @param settings    v3 settings
     * @param store       checkpoints
     * @param publisher   stores pages in the broker
     * @param scheduler   paces polls; woken by reports
     * @param status      device status
     * @param environment resolves token and truststore password references
     * @param clock       the bridge clock
     * @throws IllegalStateException when an https device's truststore cannot be read (naming the device)
     */
    public V3Pollers(CamelContext context, DeviceInventory inventory, V3Settings settings, CheckpointStore store,
                     EventPublisher publisher, V3PollScheduler scheduler, DeviceStatusRegistry status,
                     Map<String, String> environment, Clock clock) {
        this.context = context;
        this.settings = settings;
        this.publisher = publisher;
        this.scheduler = scheduler;
        List<DeviceConfig> v3 = inventory.devices(DeviceConfig.Generation.V3);
        V3HttpClients clients = new V3HttpClients(settings.connectTimeout(), environment);
        for (DeviceConfig d : v3) {
            String id = d.id();
            String remote = d.host().orElse(null);
            V3Poller.Rejects rejects = new V3Poller.Rejects() {
                @Override
                public void reject(V3Event event, String reason) throws Exception {
                    quarantine(id, remote, event.seqnum(), VendorJson.MAPPER.writeValueAsBytes(event.json()), reason);
                }

                @Override
                public void rejectUnreadable(long seqnum, byte[] reply, String reason) throws Exception {
                    quarantine(id, remote, seqnum, reply, reason);
                }
            };
            devices.put(id, new V3DevicePoller(d, settings, clients.clientFor(d), store, new Publisher(), rejects,
                    status, environment, clock, () -> scheduler.wake(id)));
        }
    }

    /** The pollers, by device id. */
    public Optional<V3DevicePoller> device(String id) {
        return Optional.ofNullable(devices.get(id));
    }

    /** Every v3 device of the inventory. */
    public List<V3DevicePoller> devices() {
        return List.copyOf(devices.values());
    }

    /** Route step of {@code device-<id>}: one polling cycle of the device named by the header {@code deviceId}. */
    public void poll(Exchange exchange) throws Exception {
        V3DevicePoller device = required(exchange.getMessage().getHeader(V3PollConsumer.DEVICE_ID, String.class));
        exchange.setProperty(V3PollConsumer.OUTCOME, device.poll());
    }

    /** Route step of {@code device-<id>} on an exception: records it in the device status; the poll backs off. */
    public void failed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String id = exchange.getMessage().getHeader(V3PollConsumer.DEVICE_ID, String.class);
        V3DevicePoller device = id == null ? null : devices.get(id);
        if (device != null && cause != null) {
            device.failed(cause);
        }
        exchange.setProperty(V3PollConsumer.OUTCOME, V3PollScheduler.Outcome.FAILED);
    }

    /**
     * Route step of {@code ingest-v3-report} after the event is stored: moves the device's
     * checkpoint, or asks for a backfill poll. Never fails the exchange.
     */
    public void reported(Exchange exchange) {
        String id = exchange.getProperty(IngestProperties.DEVICE_ID, String.class);
        Long seqnum = exchange.getProperty(SEQNUM, Long.class);
        V3DevicePoller device = id == null ? null : devices.get(id);
        if (device == null || seqnum == null || !scheduler.isRegistered(id)) {
            return;
        }
        device.reported(seqnum, exchange.getProperty(TIMESTAMP, Long.class));
    }

    private V3DevicePoller required(String id) {
        V3DevicePoller device = id == null ? null : devices.get(id);
        if (device == null) {
            throw new IllegalArgumentException("no v3 device " + id + " in the inventory");
        }
        return device;
    }

    /** Pages to the broker through the {@link EventPublisher}, one ordered sequence per cycle. */
    private final class Publisher implements V3Poller.Publisher {
        @Override
        public void publish(List<NormalizedEvent> events) throws Exception {
            publisher.publish(events);
            afterPublish();
        }

        @Override
        public V3Poller.Pipeline pipeline() throws Exception {
            EventPublisher.Sequence sequence = publisher.sequence();
            return new V3Poller.Pipeline() {
                @Override
                public V3Poller.Confirmation send(List<NormalizedEvent> events) throws Exception {
                    EventPublisher.Confirmation confirmation = sequence.send(events);
                    return () -> {
                        confirmation.await();
                        afterPublish();
                    };
                }

                @Override
                public void close() {
                    sequence.close();
                }
            };
        }
    }

    /** Test fault: stop the JVM after a page is stored and before its checkpoint is saved. */
    private void afterPublish() {
        int halt = settings.haltAfterPublishedPages();
        if (halt > 0 && publishedPages.incrementAndGet() == halt) {
            LOG.error("Test fault bridge.v3.test.halt-after-pages={}: halting after publish, before the checkpoint", halt);
            Runtime.getRuntime().halt(86);
        }
    }

    private void quarantine(String deviceId, String remote, long seqnum, byte[] raw,
                            String reason) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(RawInput.PROPERTY, raw);
        exchange.setProperty(RawInput.CHANNEL, V3DevicePoller.FETCH_CHANNEL);
        exchange.setProperty(IngestProperties.DEVICE_ID, deviceId);
        if (remote != null) {
            exchange.setProperty(IngestProperties.REMOTE_ADDRESS, remote);
        }
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new InvalidEventException("seqnum " + seqnum + ": " + reason));
        Exchange done = template().send("direct:quarantine", exchange);
        if (done.getException() != null) {
            throw done.getException();
        }
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }

    /**
     * Stops its producer template; call after the poll and report routes stopped. (Not a
     * Camel service: the bean component would stop it with the first route that calls it.)
     */
    @Override
    public void close() {
        synchronized (this) {
            if (template != null) {
                try {
                    template.stop();
                } catch (Exception e) {
                    LOG.debug("Stopping the producer template: {}", e.getMessage());
                }
                template = null;
            }
        }
    }
}
