package io.accessbridge.ops;

import io.accessbridge.status.DeviceState;
import io.accessbridge.status.DeviceStatus;
import io.accessbridge.status.DeviceStatusRegistry;
import io.accessbridge.target.TargetCounts;
import io.accessbridge.target.TargetStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * The bridge's own Prometheus meters, read from the registries the bridge keeps anyway (nothing is counted
 * twice): events received per device and channel, events stored per device, duplicates dropped by the broker,
 * quarantined inputs, v3 lag and checkpoint, device channel states, WebSocket-connected devices, per-target
 * delivered / skipped / failed / retrying / dead-lettered with queue and dead-letter depth, broker up, the
 * embedded broker's memory and paging, events queue depth. Devices, channels and targets appear as they are first
 * seen ({@link #refresh()}).
 */
public final class OpsMetrics implements MeterBinder {

    private final DeviceStatusRegistry registry;
    private final IngestTracker ingest;
    private final DuplicateCounter duplicates;
    private final TargetStats targetStats;
    private final OpsStatus status;
    private final List<String> eventQueues;
    private final String eventsAddress;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry meters;
    private volatile List<OpsStatus.TargetView> targets = List.of();
    private volatile Map<String, Long> queueDepths = Map.of();
    private volatile ToIntFunction<String> inflight = route -> 0;

    /** Routes whose exchanges in flight are served as {@code bridge_ingest_inflight}. */
    static final List<String> INGEST_ROUTES = List.of("ingest-v1-http", "ingest-v3-report", "publish-canonical-event");

    /** Meters over these sources. */
    public OpsMetrics(DeviceStatusRegistry registry, IngestTracker ingest, DuplicateCounter duplicates,
                      TargetStats targetStats, OpsStatus status, List<String> eventQueues, String eventsAddress) {
        this.registry = registry;
        this.ingest = ingest;
        this.duplicates = duplicates;
        this.targetStats = targetStats;
        this.status = status;
        this.eventQueues = List.copyOf(eventQueues);
        this.eventsAddress = eventsAddress;
    }

    /** Reads the exchanges in flight per route id (Camel's inflight repository), once the context exists. */
    public void inflightFrom(ToIntFunction<String> perRoute) {
        this.inflight = perRoute;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.meters = registry;
        Gauge.builder("bridge.broker.up", this, m -> m.status.broker().up() ? 1 : 0)
                .description("1 when the broker can store events, else 0").register(registry);
        Gauge.builder("bridge.broker.memory.bytes", this, m -> m.status.brokerMemory(m.eventsAddress)
                        .map(BrokerProbe.Memory::bytes).orElse(-1L))
                .description("Messages the embedded broker holds in the heap, in bytes (-1: external broker)")
                .register(registry);
        Gauge.builder("bridge.broker.memory.limit.bytes", this, m -> m.status.brokerMemory(m.eventsAddress)
                        .map(BrokerProbe.Memory::limitBytes).orElse(-1L))
                .description("Bytes of messages beyond which the embedded broker pages to disk (-1: external broker)")
                .register(registry);
        Gauge.builder("bridge.broker.paging", this, m -> m.status.brokerMemory(m.eventsAddress)
                        .map(x -> x.paging() ? 1 : 0).orElse(-1))
                .description("1 while the embedded broker pages new events to disk (a backlog beyond its memory bound)")
                .tag("address", eventsAddress).register(registry);
        Gauge.builder("bridge.websocket.connected.devices", this, OpsMetrics::websocketConnected)
                .description("Devices whose WebSocket channel is connected").register(registry);
        FunctionCounter.builder("bridge.duplicates.dropped", duplicates, d -> d.dropped(eventsAddress))
                .description("Events the broker's duplicate detection dropped (re-sent or double-channel copies)")
                .tag("address", eventsAddress).register(registry);
        FunctionCounter.builder("bridge.publish.failures", ingest, IngestTracker::publishFailures)
                .description("Events not stored (broker down or too slow); the device was told to retry")
                .register(registry);
        for (String route : INGEST_ROUTES) {
            Gauge.builder("bridge.ingest.inflight", this, m -> m.inflight.applyAsInt(route))
                    .description("Exchanges in flight in an ingest route (requests being normalised, stored or answered)")
                    .tag("route", route).register(registry);
        }
        for (String q : eventQueues) {
            Gauge.builder("bridge.events.queue.depth", this, m -> depth(m.queueDepths, q))
                    .description("Messages waiting in an events queue").tag("queue", q).register(registry);
        }
        refresh();
    }

    private double websocketConnected() {
        return registry.all().stream().filter(s -> {
            DeviceStatus.ChannelStatus ws = s.channels().get("websocket");
            return ws != null && ws.state() == DeviceState.CONNECTED;
        }).count();
    }

    /** Registers the meters of devices, channels, counters, gauges and targets seen since the last call. */
    public void refresh() {
        MeterRegistry m = meters;
        if (m == null) {
            return;
        }
        ingest.devices().forEach((device, d) -> d.byChannel().keySet().forEach(channel ->
                once("received|" + device + "|" + channel, () -> FunctionCounter.builder("bridge.events.received", d,
                                x -> x.count(channel))
                        .description("Events received and stored through the ingest routes, per device and channel")
                        .tags("device", device, "channel", channel).register(m))));
        ingest.quarantined().keySet().forEach(channel -> once("quarantined|" + channel, () ->
                FunctionCounter.builder("bridge.quarantined", ingest.quarantinedCounter(channel), Number::doubleValue)
                        .description("Inputs that could not be normalised, kept on the quarantine queue")
                        .tag("channel", channel).register(m)));
        for (DeviceStatus s : registry.all()) {
            String device = s.deviceId();
            once("stored|" + device, () -> FunctionCounter.builder("bridge.device.events.stored", this,
                            x -> x.deviceStatus(device).map(DeviceStatus::eventsStored).orElse(0L))
                    .description("Events of a device stored, as the device status registry counts them (all channels)")
                    .tag("device", device).register(m));
            s.channels().keySet().forEach(channel -> once("channel|" + device + "|" + channel, () ->
                    Gauge.builder("bridge.device.connected", this, x -> x.deviceStatus(device)
                                    .map(d -> d.channels().get(channel))
                                    .map(c -> c.state() == DeviceState.CONNECTED ? 1.0 : 0.0).orElse(0.0))
                            .description("1 when the device's channel is connected, else 0")
                            .tags("device", device, "channel", channel).register(m)));
            s.counters().keySet().forEach(counter -> once("counter|" + device + "|" + counter, () ->
                    FunctionCounter.builder("bridge.device.counter", this, x -> x.deviceStatus(device)
                                    .map(d -> d.counters().getOrDefault(counter, 0L)).orElse(0L))
                            .description("Named counters of a device (gaps, lostEvents, resets, quarantined, ...)")
                            .tags("device", device, "counter", counter).register(m)));
            s.gauges().keySet().forEach(gauge -> once("gauge|" + device + "|" + gauge, () -> {
                String name = switch (gauge) {
                    case "v3.lag" -> "bridge.v3.lag";
                    case "v3.checkpoint" -> "bridge.v3.checkpoint";
                    default -> null;
                };
                ToDoubleFunction<OpsMetrics> read = x -> x.deviceStatus(device)
                        .map(d -> d.gauges().get(gauge)).map(Long::doubleValue).orElse(Double.NaN);
                return name != null
                        ? Gauge.builder(name, this, read).description(gauge.equals("v3.lag")
                                ? "v3: the device's highest seqnum minus the bridge's checkpoint"
                                : "v3: the bridge's checkpoint (last seqnum stored)")
                        .tag("device", device).register(m)
                        : Gauge.builder("bridge.device.gauge", this, read).description("Named values of a device")
                        .tags("device", device, "gauge", gauge).register(m);
            }));
        }
        for (OpsStatus.TargetView t : targets) {
            String name = t.name();
            once("target|" + name, () -> {
                target(m, "bridge.target.delivered", "Events the target accepted", name, TargetCounts::delivered, true);
                target(m, "bridge.target.skipped", "Events the target's filter left out", name, TargetCounts::skipped, true);
                target(m, "bridge.target.failed", "Failed delivery attempts (each retry counts)", name,
                        TargetCounts::failed, true);
                target(m, "bridge.target.dead.lettered", "Events moved to the target's dead-letter queue", name,
                        TargetCounts::deadLettered, true);
                target(m, "bridge.target.retrying", "Events waiting for their next attempt", name,
                        TargetCounts::retrying, false);
                Gauge.builder("bridge.target.circuit.open", this, x -> "OPEN".equals(x.counts(name).circuit()) ? 1 : 0)
                        .description("1 while the target's circuit breaker is open").tag("target", name).register(m);
                Gauge.builder("bridge.target.queue.depth", this, x -> x.targetDepth(name, false))
                        .description("Events waiting in the target's queue").tag("target", name).register(m);
                Gauge.builder("bridge.target.dead.letter.depth", this, x -> x.targetDepth(name, true))
                        .description("Events in the target's dead-letter queue").tag("target", name).register(m);
                return null;
            });
        }
    }

    private void target(MeterRegistry m, String meter, String description, String name,
                        java.util.function.ToLongFunction<TargetCounts> read, boolean counter) {
        if (counter) {
            FunctionCounter.builder(meter, this, x -> read.applyAsLong(x.counts(name))).description(description)
                    .tag("target", name).register(m);
        } else {
            Gauge.builder(meter, this, x -> read.applyAsLong(x.counts(name))).description(description)
                    .tag("target", name).register(m);
        }
    }

    /** Re-reads the targets and queue depths (called by the monitor, so scrapes never wait for the broker). */
    public void sample() {
        targets = status.targets();
        queueDepths = status.eventQueues(eventQueues);
        refresh();
    }

    private TargetCounts counts(String target) {
        return targetStats.of(target);
    }

    private double targetDepth(String target, boolean dead) {
        for (OpsStatus.TargetView t : targets) {
            if (t.name().equals(target)) {
                Long d = dead ? t.deadLetters() : t.backlog();
                return d == null ? Double.NaN : d;
            }
        }
        return Double.NaN;
    }

    private static double depth(Map<String, Long> depths, String queue) {
        Long d = depths.get(queue);
        return d == null || d < 0 ? Double.NaN : d;
    }

    private Optional<DeviceStatus> deviceStatus(String device) {
        return registry.status(device);
    }

    private void once(String key, java.util.function.Supplier<Object> register) {
        if (registered.add(key)) {
            register.get();
        }
    }
}
