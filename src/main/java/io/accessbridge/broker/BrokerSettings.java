package io.accessbridge.broker;

import io.accessbridge.config.BridgeProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where canonical events are stored and how the bridge talks to the broker.
 *
 * @param embedded          whether an Artemis broker runs inside the bridge: yes unless {@code bridge.broker.url} names an external one
 * @param host              bind address of the embedded broker's acceptor ({@code bridge.broker.host}, default 127.0.0.1)
 * @param port              port of the embedded broker's acceptor for CORE, AMQP, STOMP and MQTT ({@code bridge.broker.port}, default 61616)
 * @param dataDir           journal, bindings, paging and large-message directories ({@code bridge.broker.data-dir}, default data/broker)
 * @param url               broker URL of the bridge's own client: {@code bridge.broker.url} when set (external broker), else the
 *                          embedded broker's in-VM acceptor {@code vm://<port>} (no TCP between the bridge and its own broker)
 * @param user              broker user, if the broker needs one ({@code bridge.broker.user})
 * @param password          broker password ({@code bridge.broker.password})
 * @param sendTimeoutMs     how long a publish waits for the broker to confirm that it stored an event ({@code bridge.broker.send-timeout-ms}, default 5000)
 * @param idCacheSize       duplicate-detection ids remembered per address; size it for the fleet's offline backlog ({@code bridge.broker.id-cache-size}, default 500000)
 * @param maxConnections    JMS connections in the bridge's pool ({@code bridge.broker.max-connections}, default 4)
 * @param eventsAddress     multicast address of canonical events ({@code bridge.events.address}, default access.events)
 * @param queues            durable queues bound to {@code eventsAddress}, created at start ({@code bridge.events.queues})
 * @param deadLetterAddress where unroutable or undeliverable events go ({@code bridge.events.dead-letter-address}, default access.events.DLA)
 * @param quarantineAddress where raw input that could not be normalised is kept ({@code bridge.quarantine.address}, default access.quarantine)
 * @param journalType       embedded broker journal: ASYNCIO (Linux libaio; Artemis falls back to NIO unless libaio and
 *                          libartemis-native-64.so load from java.library.path, and the start-up log says which), NIO or MAPPED ({@code bridge.broker.journal-type}, default ASYNCIO)
 * @param journalBufferTimeoutNanos how long the embedded broker's journal, and its page files while it pages, gather writes
 *                          before one disk sync covers them all ({@code bridge.broker.journal-buffer-timeout-us}, microseconds,
 *                          default 100); Artemis' own NIO default (3.3 ms) makes every lone durable send wait that long
 * @param globalMaxSizeBytes how much heap the embedded broker fills with messages before it pages further ones to disk under
 *                          {@code dataDir}/paging ({@code bridge.broker.global-max-size-mb}; default, or 0: a quarter of the
 *                          maximum heap, at most 256 MiB, where Artemis' own default is half); a backlog of any size then
 *                          costs disk, not heap. A record built directly with 0 or less leaves Artemis' default
 */
public record BrokerSettings(boolean embedded, String host, int port, Path dataDir, String url, String user,
                             String password, long sendTimeoutMs, int idCacheSize, int maxConnections,
                             String eventsAddress, List<QueueSpec> queues, String deadLetterAddress,
                             String quarantineAddress, String journalType, int journalBufferTimeoutNanos,
                             long globalMaxSizeBytes) {

    /** A durable queue on the events address, with an optional Artemis filter (JMS selector syntax). */
    public record QueueSpec(String name, String filter) {
    }

    /** The in-VM URL of an embedded broker whose acceptor listens on {@code port} (one in-VM server id per broker in a JVM). */
    public static String inVmUrl(int port) {
        return "vm://" + port;
    }

    /** The default bound on messages in the heap: a quarter of the heap, at most this much (256 MiB). */
    static final long DEFAULT_GLOBAL_MAX_SIZE_CAP = 256L * 1024 * 1024;

    /** {@code mib} MiB, or when {@code mib} is 0 or less a quarter of this JVM's maximum heap, at most 256 MiB. */
    static long globalMaxSize(long mib) {
        return mib > 0 ? mib * 1024 * 1024 : Math.min(Runtime.getRuntime().maxMemory() / 4, DEFAULT_GLOBAL_MAX_SIZE_CAP);
    }

    /** Reads the settings. */
    public static BrokerSettings from(BridgeProperties p) {
        String host = p.string("bridge.broker.host", "127.0.0.1");
        int port = p.integer("bridge.broker.port", 61616);
        String address = p.string("bridge.events.address", "access.events");
        List<QueueSpec> queues = new ArrayList<>();
        for (String name : p.string("bridge.events.queues", address + ".all").split(",")) {
            String n = name.trim();
            if (!n.isEmpty()) {
                queues.add(new QueueSpec(n, p.optional("bridge.events.queue." + n + ".filter").orElse(null)));
            }
        }
        java.util.Optional<String> external = p.optional("bridge.broker.url");
        return new BrokerSettings(
                external.isEmpty(),
                host, port,
                Path.of(p.string("bridge.broker.data-dir", "data/broker")),
                external.orElse(inVmUrl(port)),
                p.optional("bridge.broker.user").orElse(null),
                p.optional("bridge.broker.password").orElse(null),
                p.longValue("bridge.broker.send-timeout-ms", 5000),
                p.integer("bridge.broker.id-cache-size", 500_000),
                p.integer("bridge.broker.max-connections", 4),
                address, List.copyOf(queues),
                p.string("bridge.events.dead-letter-address", address + ".DLA"),
                p.string("bridge.quarantine.address", "access.quarantine"),
                p.string("bridge.broker.journal-type", "ASYNCIO").toUpperCase(java.util.Locale.ROOT),
                Math.toIntExact(p.longValue("bridge.broker.journal-buffer-timeout-us", 100) * 1000),
                globalMaxSize(p.longValue("bridge.broker.global-max-size-mb", 0)));
    }
}
