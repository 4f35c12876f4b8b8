package io.accessbridge.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.status.DeviceStatus;
import io.accessbridge.target.DeadLetterFilter;
import io.accessbridge.target.DeadLetters;
import io.accessbridge.target.TargetSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' JSON API (routes in {@code routes/ops.camel.yaml}):
 * <ul>
 *   <li>{@code GET /api/status}: bridge (name, version, start, uptime), broker (state, embedded or external,
 *       events queue depths), events (received, quarantined, duplicates dropped, per minute over the last hour),
 *       devices (state, since, channels, last event, counts, v3 lag, subscription) and targets (state, backlog,
 *       counts, dead letters).</li>
 *   <li>{@code GET /api/events/recent?limit=N}: the last events stored, masked ({@link RecentEvent}).</li>
 *   <li>{@code POST /api/targets/{name}/replay}: moves the target's dead letters back to its queue.</li>
 * </ul>
 * Nothing personal is ever part of an answer: ids, states, counts, kinds, doors and decisions only.
 */
public final class StatusApi {

    private static final Logger LOG = LoggerFactory.getLogger(StatusApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpsStatus status;
    private final IngestTracker ingest;
    private final RecentEvents recent;
    private final EventRate rate;
    private final DuplicateCounter duplicates;
    private final Supplier<List<TargetSettings>> targets;
    private final Function<List<TargetSettings>, DeadLetters> deadLetters;
    private final Info info;
    private final Clock clock;

    /**
     * Facts about the running bridge.
     *
     * @param name          Camel context name
     * @param version       the jar's version, or {@code dev}
     * @param startedAt     when it started
     * @param brokerUrl     the broker the bridge uses
     * @param eventsAddress the events address
     * @param eventQueues   the durable queues on it
     * @param replayEnabled whether the replay endpoint may move dead letters
     */
    public record Info(String name, String version, Instant startedAt, String brokerUrl, String eventsAddress,
                       List<String> eventQueues, boolean replayEnabled) {
    }

    /** The API over these parts; {@code deadLetters} makes the dead-letter tool for a list of targets. */
    public StatusApi(OpsStatus status, IngestTracker ingest, RecentEvents recent, EventRate rate,
                     DuplicateCounter duplicates, Supplier<List<TargetSettings>> targets,
                     Function<List<TargetSettings>, DeadLetters> deadLetters, Info info, Clock clock) {
        this.status = status;
        this.ingest = ingest;
        this.recent = recent;
        this.rate = rate;
        this.duplicates = duplicates;
        this.targets = targets;
        this.deadLetters = deadLetters;
        this.info = info;
        this.clock = clock;
    }

    /** {@code GET /api/status}. */
    public void status(Exchange exchange) {
        reply(exchange, 200, statusJson());
    }

    /** The body of {@code GET /api/status}. */
    public ObjectNode statusJson() {
        Instant now = clock.instant();
        ObjectNode root = JSON.createObjectNode();
        root.put("time", now.toString());
        ObjectNode bridge = root.putObject("bridge");
        bridge.put("name", info.name());
        bridge.put("version", info.version());
        bridge.put("startedAt", info.startedAt().toString());
        bridge.put("uptimeSeconds", Duration.between(info.startedAt(), now).toSeconds());

        BrokerProbe.State b = status.broker();
        ObjectNode broker = root.putObject("broker");
        broker.put("state", b.up() ? "UP" : "DOWN");
        broker.put("detail", b.detail());
        broker.put("embedded", info.brokerUrl() == null);
        broker.put("checkedAt", b.checkedAt().toString());
        broker.put("eventsAddress", info.eventsAddress());
        ObjectNode queues = broker.putObject("queues");
        status.eventQueues(info.eventQueues()).forEach((q, d) -> queues.put(q, d));

        ObjectNode events = root.putObject("events");
        long received = status.storedPerDevice().values().stream().mapToLong(Long::longValue).sum();
        events.put("received", received);
        events.put("publishFailures", ingest.publishFailures());
        events.put("quarantined", ingest.quarantined().values().stream().mapToLong(Long::longValue).sum());
        events.put("duplicatesDropped", duplicates.dropped(info.eventsAddress()));
        ArrayNode perMinute = events.putArray("perMinute");
        for (EventRate.Point p : rate.lastHour(now.toEpochMilli())) {
            perMinute.addObject().put("t", p.start().toString()).put("n", p.events());
        }

        ArrayNode devices = root.putArray("devices");
        for (OpsStatus.DeviceView d : status.devices()) {
            devices.add(device(d));
        }
        ArrayNode targetList = root.putArray("targets");
        for (OpsStatus.TargetView t : status.targets()) {
            ObjectNode o = targetList.addObject();
            o.put("name", t.name());
            o.put("enabled", t.enabled());
            o.put("state", t.state());
            o.put("queue", t.queue());
            putNullable(o, "backlog", t.backlog());
            o.put("deadLetterQueue", t.deadLetterQueue());
            putNullable(o, "deadLetters", t.deadLetters());
            o.put("delivered", t.counts().delivered());
            o.put("skipped", t.counts().skipped());
            o.put("failed", t.counts().failed());
            o.put("retrying", t.counts().retrying());
            o.put("deadLettered", t.counts().deadLettered());
            o.put("circuit", t.counts().circuit());
        }
        root.put("replayEnabled", info.replayEnabled());
        return root;
    }

    private static ObjectNode device(OpsStatus.DeviceView d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", d.id());
        o.put("generation", d.generation());
        o.put("state", d.state());
        putNullable(o, "since", d.since());
        putNullable(o, "reason", d.reason());
        ObjectNode channels = o.putObject("channels");
        for (Map.Entry<String, DeviceStatus.ChannelStatus> c : d.channels().entrySet()) {
            ObjectNode ch = channels.putObject(c.getKey());
            ch.put("state", c.getValue().state().name());
            putNullable(ch, "since", c.getValue().since());
            putNullable(ch, "reason", c.getValue().reason());
        }
        putNullable(o, "lastEventAt", d.lastEventAt());
        o.put("events", d.events());
        ObjectNode byChannel = o.putObject("eventsByChannel");
        d.eventsByChannel().forEach(byChannel::put);
        putNullable(o, "lag", d.lag());
        putNullable(o, "subscription", d.subscription());
        ObjectNode counters = o.putObject("counters");
        d.counters().forEach(counters::put);
        ObjectNode gauges = o.putObject("gauges");
        d.gauges().forEach(gauges::put);
        return o;
    }

    /** {@code GET /api/events/recent?limit=N} (default and maximum: the number kept). */
    public void recentEvents(Exchange exchange) {
        int limit = recent.capacity();
        String asked = exchange.getMessage().getHeader("limit", String.class);
        if (asked != null) {
            try {
                limit = Math.max(0, Math.min(limit, Integer.parseInt(asked.trim())));
            } catch (NumberFormatException e) {
                reply(exchange, 400, error("limit must be a number"));
                return;
            }
        }
        ArrayNode list = JSON.createArrayNode();
        for (RecentEvent e : recent.latest(limit)) {
            ObjectNode o = list.addObject();
            o.put("ref", e.ref());
            o.put("storedAt", e.storedAt().toString());
            putNullable(o, "time", e.time());
            o.put("kind", e.kind());
            o.put("device", e.device());
            putNullable(o, "door", e.door());
            putNullable(o, "decision", e.decision());
            putNullable(o, "reason", e.reason());
            putNullable(o, "channel", e.channel());
        }
        reply(exchange, 200, list);
    }

    /** {@code POST /api/targets/{name}/replay}: every dead letter of the target back to its queue. */
    public void replay(Exchange exchange) {
        String name = exchange.getMessage().getHeader("name", String.class);
        Optional<TargetSettings> target = targets.get().stream().filter(t -> t.name().equals(name)).findFirst();
        if (target.isEmpty()) {
            reply(exchange, 404, error("no target named " + name));
            return;
        }
        if (!info.replayEnabled()) {
            reply(exchange, 403, error("replay is switched off (bridge.status.replay-enabled=false)"));
            return;
        }
        try {
            int moved = deadLetters.apply(List.of(target.get())).replay(DeadLetterFilter.ALL);
            LOG.info("Target {}: {} dead letter(s) replayed from the status API", name, moved);
            ObjectNode o = JSON.createObjectNode();
            o.put("target", name);
            o.put("replayed", moved);
            reply(exchange, 200, o);
        } catch (Exception e) {
            LOG.warn("Target {}: replay failed: {}", name, e.toString());
            reply(exchange, 503, error("replay failed: broker not reachable"));
        }
    }

    private static ObjectNode error(String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", message);
        return o;
    }

    private static void putNullable(ObjectNode o, String field, Object value) {
        if (value == null) {
            o.putNull(field);
        } else if (value instanceof Long l) {
            o.put(field, l);
        } else {
            o.put(field, value.toString());
        }
    }

    private static void reply(Exchange exchange, int code, Object body) {
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader("Cache-Control", "no-store");
        m.setBody(body.toString());
    }
}
