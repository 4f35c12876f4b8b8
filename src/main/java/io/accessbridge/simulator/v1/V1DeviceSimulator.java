package io.accessbridge.simulator.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated v1 face-recognition terminal, speaking the wire protocol of specs 000-003.
 *
 * <h2>HTTP push (device to receiver)</h2>
 * While its subscription is enabled, every new record is appended to the device's offline cache
 * and POSTed as {@code application/json} {@code {"type":..,"data":{..}}} to {@code event_dest}, one
 * record in flight at a time, oldest first. A record leaves the cache only when the reply is
 * HTTP 200 with a JSON body whose {@code code} is the number 200; any other status or body, a
 * timeout or a network error keeps it, and it is sent again after a backoff that doubles from
 * {@link Options#retryBackoff()} up to {@link Options#maxRetryBackoff()} (reset by a success or a
 * new subscription). The cache holds at most {@link Options#offlineCacheCapacity()} records; when
 * full the oldest is dropped and counted. Records created while the subscription is absent or
 * disabled are not queued; records already queued wait while it is disabled. With
 * {@link Options#duplicateProbability()} an acknowledged record is sent once more right away. The
 * reply's {@code data} (newer firmware: {@code pass}, {@code customtips}) is captured.
 *
 * <h2>Device HTTP API and WebSocket (receiver to device), one port</h2>
 * <ul>
 *   <li>{@code GET /v1/event/subscribe}: {@code {"code":200,"msg":"OK","data":{"event_dest":..,"enabled":..}}},
 *       {@code data} null when never set or after a reboot.</li>
 *   <li>{@code POST /v1/event/subscribe} {@code {"event_dest":..,"enabled":..}}: {@code {"code":200,"msg":"OK","data":null}};
 *       {@code enabled} defaults to true. A missing or non-http(s) {@code event_dest}, one longer than
 *       1024 characters (UTF-8 bytes), or invalid JSON is answered HTTP 200 with body
 *       {@code {"code":400,"msg":..,"data":null}}, like vendor firmware that reports errors in the body
 *       only, so a receiver must check {@code code}.</li>
 *   <li>{@code GET /v1/event} with a WebSocket upgrade: each new record is sent as one text frame to
 *       every client; no reply, no replay. At most {@link Options#maxWsClients()} clients: a further
 *       upgrade is refused with HTTP 503 and body {@code {"code":503,..}} before the handshake.</li>
 * </ul>
 * Optional TLS (https/wss) from a PKCS12 keystore, see {@link io.accessbridge.simulator.SelfSignedKeyStore}.
 *
 * <h2>Faults</h2>
 * {@link #dropConnections()} cuts every WebSocket at TCP level (no close frame);
 * {@link #stall(boolean)} stops reading and writing on the WebSocket connections (pings go
 * unanswered, frames for new records are lost, TCP stays open and a stalled client keeps its slot)
 * and parks new HTTP requests until un-stalled; HTTP push is not affected.
 * {@link #reboot()} closes every connection and the port, forgets the subscription and comes back
 * after {@link Options#rebootDelay()}; the offline cache survives (it is in flash) and is sent once
 * a new subscription is set. {@link #sendMessage} sends a message no device sends (any bytes, text
 * or binary, in continuation frames, one frame over the device's own frame size), for bad-input
 * tests; the device's records go out as before.
 *
 * <p>{@link #emit()} only records while the device is up (started and not rebooting). Alarms
 * (type 1) go out on both channels like recognition records. Instances are thread-safe;
 * {@link #start()}, {@link #stop()}, {@link #reboot()} and {@link #stall(boolean)} block briefly
 * and must not be called from a Vert.x event loop. {@link #stall(boolean)} and
 * {@link #dropConnections()} reach the Netty channel through Vert.x 4's
 * {@code io.vertx.core.net.impl.ConnectionBase}, because Vert.x answers pings before any
 * user-level pause. Log lines carry the serial number only, never record content.
 */
public final class V1DeviceSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(V1DeviceSimulator.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_EVENT_DEST_BYTES = 1024;
    private static final int MAX_REMOTE_DECISIONS = 10_000;

    /**
     * Device options.
     *
     * @param host                 address the device's HTTP API and WebSocket server binds
     * @param port                 its port; 0 picks a free one (kept across reboots)
     * @param serveApi             whether to run the HTTP API / WebSocket server at all
     * @param maxWsClients         WebSocket clients accepted at once (3 per spec 003)
     * @param offlineCacheCapacity records the offline cache holds (50,000 per spec)
     * @param retryBackoff         first delay before re-sending after a failed push
     * @param maxRetryBackoff      longest delay between re-sends
     * @param pushTimeout          time allowed for the receiver's reply
     * @param duplicateProbability probability that an acknowledged record is sent once more
     * @param rebootDelay          how long {@link #reboot()} keeps the device down
     * @param keyStorePath         PKCS12 keystore for https/wss; {@code null} for plain http/ws
     * @param keyStorePassword     its password
     * @param generator            options of the device's record generator
     */
    public record Options(String host, int port, boolean serveApi, int maxWsClients, int offlineCacheCapacity,
                          Duration retryBackoff, Duration maxRetryBackoff, Duration pushTimeout,
                          double duplicateProbability, Duration rebootDelay, Path keyStorePath,
                          String keyStorePassword, V1RecordGenerator.Options generator) {

        /** Validates the options. */
        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            Objects.requireNonNull(maxRetryBackoff, "maxRetryBackoff");
            Objects.requireNonNull(pushTimeout, "pushTimeout");
            Objects.requireNonNull(rebootDelay, "rebootDelay");
            Objects.requireNonNull(generator, "generator");
            if (port < 0 || maxWsClients < 0 || offlineCacheCapacity < 1 || duplicateProbability < 0
                    || duplicateProbability > 1 || retryBackoff.isNegative() || maxRetryBackoff.compareTo(retryBackoff) < 0) {
                throw new IllegalArgumentException("invalid device options");
            }
        }

        /**
         * 127.0.0.1, port 0, server on, 3 WebSocket clients, 50,000 cached records, backoff 1 s to
         * 30 s, 10 s push timeout, no duplicates, 2 s reboot, no TLS, default generator.
         */
        public static Options defaults() {
            return new Options("127.0.0.1", 0, true, 3, 50_000, Duration.ofSeconds(1), Duration.ofSeconds(30),
                    Duration.ofSeconds(10), 0.0, Duration.ofSeconds(2), null, null, V1RecordGenerator.Options.defaults());
        }

        /** With the given bind address and port. */
        public Options withAddress(String h, int p) {
            return new Options(h, p, serveApi, maxWsClients, offlineCacheCapacity, retryBackoff, maxRetryBackoff,
                    pushTimeout, duplicateProbability, rebootDelay, keyStorePath, keyStorePassword, generator);
        }

        /** With or without the HTTP API / WebSocket server. */
        public Options withServeApi(boolean on) {
            return new Options(host, port, on, maxWsClients, offlineCacheCapacity, retryBackoff, maxRetryBackoff,
                    pushTimeout, duplicateProbability, rebootDelay, keyStorePath, keyStorePassword, generator);
        }

        /** With the given WebSocket client limit. */
        public Options withMaxWsClients(int n) {
            return new Options(host, port, serveApi, n, offlineCacheCapacity, retryBackoff, maxRetryBackoff,
                    pushTimeout, duplicateProbability, rebootDelay, keyStorePath, keyStorePassword, generator);
        }

        /** With the given offline cache capacity. */
        public Options withOfflineCacheCapacity(int n) {
            return new Options(host, port, serveApi, maxWsClients, n, retryBackoff, maxRetryBackoff,
                    pushTimeout, duplicateProbability, rebootDelay, keyStorePath, keyStorePassword, generator);
        }

        /** With the given retry backoff range. */
        public Options withRetryBackoff(Duration first, Duration max) {
            return new Options(host, port, serveApi, maxWsClients, offlineCacheCapacity, first, max,
                    pushTimeout, duplicateProbability, rebootDelay, keyStorePath, keyStorePassword, generator);
        }

        /** With the given push reply timeout. */
        public Options withPushTimeout(Duration t) {
            return new Options(host, port, serveApi, maxWsClients, offlineCacheCapacity, retryBackoff, maxRetryBackoff,
                    t, duplicateProbability, rebootDelay, keyStorePath, keyStorePassword, generator);
        }

        /** With the given probability of deliberate duplicates. */
        public Options withDuplicateProbability(double p) {
            return new Options(host, port, serveApi, maxWsClients, offlineCacheCapacity, retryBackoff, maxRetryBackoff,
                    pushTimeout, p, rebootDelay, keyStorePath, keyStorePassword, generator);
        }

        /** With the given reboot delay. */
        public Options withRebootDelay(Duration d) {
            return new Options(host, port, serveApi, maxWsClients, offlineCacheCapacity, retryBackoff, maxRetryBackoff,
                    pushTimeout, duplicateProbability, d, keyStorePath, keyStorePassword, generator);
        }

        /** With TLS from the given PKCS12 keystore ({@code null} path for none). */
        public Options withTls(Path keyStore, String password) {
            return new Options(host, port, serveApi, maxWsClients, offlineCacheCapacity, retryBackoff, maxRetryBackoff,
                    pushTimeout, duplicateProbability, rebootDelay, keyStore, password, generator);
        }

        /** With the given generator options. */
        public Options withGenerator(V1RecordGenerator.Options g) {
            return new Options(host, port, serveApi, maxWsClients, offlineCacheCapacity, retryBackoff, maxRetryBackoff,
                    pushTimeout, duplicateProbability, rebootDelay, keyStorePath, keyStorePassword, g);
        }

        /**
         * With the device clock off by {@code offset} (negative: behind): the records carry the device's wrong
         * time, as a terminal whose clock was never set or was reset does. Set after {@link #withGenerator}.
         */
        public Options withClockOffset(Duration offset) {
            return withGenerator(generator.withClockOffset(offset));
        }
    }

    /**
     * The push subscription as set through {@code POST /v1/event/subscribe} or {@link #subscribe}.
     *
     * @param eventDest the receiver URL
     * @param enabled   whether pushing is on
     */
    public record Subscription(String eventDest, boolean enabled) {
    }

    /**
     * What a receiver answered for one record in {@code data} (newer firmware, spec 001).
     *
     * @param recordKey  {@link V1Record#key()} of the record
     * @param pass       {@code data.pass}, or {@code null} when absent or not a boolean
     * @param customtips {@code data.customtips}, or {@code null} when absent
     */
    public record RemoteDecision(String recordKey, Boolean pass, String customtips) {
    }

    /**
     * Counters of one device.
     *
     * @param serialNumber           the device serial number
     * @param generated              records created
     * @param acknowledged           records acknowledged for the first time (not counting duplicates)
     * @param duplicatesSent         deliberate duplicates sent
     * @param retries                failed push attempts (each is followed by a re-send)
     * @param droppedFromCache       records dropped because the offline cache was full
     * @param cacheSize              records waiting in the offline cache, including the one in flight
     * @param pushAttempts           HTTP push requests started
     * @param wsFramesSent           WebSocket frames written (one per record and client)
     * @param wsFramesDropped        frames not written because a client's write queue was full
     * @param currentWsClients       WebSocket clients connected now
     * @param maxConcurrentWsClients most WebSocket clients connected at once
     * @param wsUpgradeAttempts      WebSocket upgrade requests received
     * @param wsUpgradesRefused      upgrade requests refused because of the client limit
     * @param subscribeCalls         {@code POST /v1/event/subscribe} requests received
     * @param subscribeReads         {@code GET /v1/event/subscribe} requests received
     */
    public record Stats(String serialNumber, long generated, long acknowledged, long duplicatesSent, long retries,
                        long droppedFromCache, int cacheSize, long pushAttempts, long wsFramesSent, long wsFramesDropped,
                        int currentWsClients, int maxConcurrentWsClients, long wsUpgradeAttempts,
                        long wsUpgradesRefused, long subscribeCalls, long subscribeReads) {
    }

    /** Lifecycle states. */
    public enum State {
        /** Created, not started. */
        NEW,
        /** Running. */
        UP,
        /** Down after {@link #reboot()}, coming back. */
        REBOOTING,
        /** Stopped for good. */
        STOPPED
    }

    private record Pending(V1Record record, boolean duplicate, int attempt) {
    }

    private record WsSession(ServerWebSocket ws, ConnectionBase connection) {
    }

    private record Parked(HttpServerRequest request, Context context) {
    }

    private final String serialNumber;
    private final Options options;
    private final V1SimRuntime runtime;
    private final boolean ownsRuntime;
    private final V1RecordGenerator generator;
    private final Object emitLock = new Object();
    private final Object lock = new Object();

    private volatile State state = State.NEW;
    private volatile Subscription subscription;
    private volatile boolean stalled;
    private volatile int boundPort;
    private volatile HttpServer server;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final SplittableRandom duplicateRandom;
    private Pending duplicateSlot;
    private Pending inFlight;
    private boolean inFlightDropped;
    private boolean sending;
    private ScheduledFuture<?> retryTimer;
    private long backoffNanos;

    private final AtomicLong generated = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong duplicatesSent = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong pushAttempts = new AtomicLong();
    private final AtomicLong wsFramesSent = new AtomicLong();
    private final AtomicLong wsFramesDropped = new AtomicLong();
    private final AtomicLong wsUpgradeAttempts = new AtomicLong();
    private final AtomicLong wsRefused = new AtomicLong();
    private final AtomicLong subscribeCalls = new AtomicLong();
    private final AtomicLong subscribeReads = new AtomicLong();
    private final List<String> ackKeys = new ArrayList<>();
    private final ArrayDeque<RemoteDecision> decisions = new ArrayDeque<>();
    private final V1LatencyRecorder ackLatency = new V1LatencyRecorder();
    private volatile JsonNode lastReplyData;

    private final Set<WsSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger wsSlots = new AtomicInteger();
    private final AtomicInteger maxWs = new AtomicInteger();
    private final List<Parked> parked = new ArrayList<>();

    /** A device with its own runtime (threads), closed by {@link #stop()}. */
    public V1DeviceSimulator(String serialNumber, Options options) {
        this(serialNumber, options, V1SimRuntime.create(), true);
    }

    /** A device on a shared runtime, which {@link #stop()} leaves running. */
    public V1DeviceSimulator(String serialNumber, Options options, V1SimRuntime runtime) {
        this(serialNumber, options, runtime, false);
    }

    private V1DeviceSimulator(String serialNumber, Options options, V1SimRuntime runtime, boolean ownsRuntime) {
        this.serialNumber = Objects.requireNonNull(serialNumber, "serialNumber");
        this.options = Objects.requireNonNull(options, "options");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.ownsRuntime = ownsRuntime;
        this.generator = new V1RecordGenerator(options.generator());
        Long seed = options.generator().seed();
        this.duplicateRandom = seed == null ? new SplittableRandom() : new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Binds the HTTP API / WebSocket server (if enabled) and brings the device up. */
    public V1DeviceSimulator start() {
        synchronized (emitLock) {
            if (state != State.NEW) {
                throw new IllegalStateException("device already started");
            }
            if (options.serveApi()) {
                listen(options.port());
            }
            state = State.UP;
        }
        LOG.debug("device {} up on port {}", serialNumber, boundPort);
        return this;
    }

    /** Closes the server and every connection, stops pushing, and closes an owned runtime. */
    public void stop() {
        synchronized (emitLock) {
            if (state == State.STOPPED) {
                return;
            }
            state = State.STOPPED;
        }
        synchronized (lock) {
            if (retryTimer != null) {
                retryTimer.cancel(false);
                retryTimer = null;
            }
            sending = false;
        }
        closeServer();
        if (ownsRuntime) {
            runtime.close();
        }
        LOG.debug("device {} stopped", serialNumber);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** The current lifecycle state. */
    public State state() {
        return state;
    }

    /** Whether the device is up (started, not rebooting, not stopped). */
    public boolean isUp() {
        return state == State.UP;
    }

    /** The device serial number ({@code deviceSN}). */
    public String serialNumber() {
        return serialNumber;
    }

    /** The options in use. */
    public Options options() {
        return options;
    }

    /** The bound port (0 before start or without server). */
    public int port() {
        return boundPort;
    }

    /** Whether the server uses TLS. */
    public boolean isTls() {
        return options.keyStorePath() != null;
    }

    /** {@code http(s)://host:port}. */
    public URI baseUri() {
        return URI.create((isTls() ? "https" : "http") + "://" + options.host() + ":" + boundPort);
    }

    /** {@code ws(s)://host:port/v1/event}. */
    public URI wsUri() {
        return URI.create((isTls() ? "wss" : "ws") + "://" + options.host() + ":" + boundPort + "/v1/event");
    }

    // ---------------------------------------------------------------- records

    /** Creates the next record (variant from the mix) and publishes it; empty while not up. */
    public Optional<V1Record> emit() {
        synchronized (emitLock) {
            if (state != State.UP) {
                return Optional.empty();
            }
            return emit(generator.next(serialNumber));
        }
    }

    /** Creates the next record of the given variant and publishes it; empty while not up. */
    public Optional<V1Record> emit(V1RecordGenerator.Variant variant) {
        synchronized (emitLock) {
            if (state != State.UP) {
                return Optional.empty();
            }
            return emit(generator.next(serialNumber, variant));
        }
    }

    /**
     * Publishes a given record as if the device had just made it: queued for push (if the
     * subscription is enabled) and sent to WebSocket clients. Empty while not up.
     */
    public Optional<V1Record> emit(V1Record record) {
        Objects.requireNonNull(record, "record");
        synchronized (emitLock) {
            if (state != State.UP) {
                return Optional.empty();
            }
            generated.incrementAndGet();
            Subscription sub = subscription;
            if (sub != null && sub.enabled()) {
                synchronized (lock) {
                    makeRoom();
                    queue.addLast(new Pending(record, false, 0));
                }
                kick();
            }
            broadcast(record);
            return Optional.of(record);
        }
    }

    /** The data frame type of a message sent with {@link #sendMessage}. */
    public enum FrameType {
        /** Opcode 1, text (its bytes need not be UTF-8). */
        TEXT,
        /** Opcode 2, binary. */
        BINARY
    }

    /**
     * For bad-input tests, not what a device does (spec 003: one record, one text frame): sends
     * {@code payload} to every WebSocket client as one message of {@code type}, its bytes as they
     * are, in fragments of at most {@code fragmentSize} bytes (a first frame of {@code type}, then
     * continuation frames, the last one final); {@code fragmentSize <= 0} sends one frame whatever
     * its size (the device's own frame size limit is not applied). With {@code pingBetween}, a ping
     * frame goes between fragments (control frames may be interleaved, RFC 6455 5.4). Nothing is
     * queued for push and nothing is generated or counted as a record.
     *
     * @return the clients written to; 0 while not up or stalled
     */
    public int sendMessage(FrameType type, byte[] payload, int fragmentSize, boolean pingBetween) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        io.vertx.core.http.WebSocketFrameType first = type == FrameType.TEXT
                ? io.vertx.core.http.WebSocketFrameType.TEXT : io.vertx.core.http.WebSocketFrameType.BINARY;
        int step = fragmentSize <= 0 ? Math.max(1, payload.length) : fragmentSize;
        List<byte[]> parts = new ArrayList<>();
        int at = 0;
        do {
            int end = Math.min(payload.length, at + step);
            parts.add(java.util.Arrays.copyOfRange(payload, at, end));
            at = end;
        } while (at < payload.length);
        synchronized (emitLock) {
            if (state != State.UP || stalled) {
                return 0;
            }
            int written = 0;
            for (WsSession s : sessions) {
                for (int i = 0; i < parts.size(); i++) {
                    if (i > 0 && pingBetween) {
                        s.ws().writeFrame(io.vertx.core.http.WebSocketFrame.pingFrame(Buffer.buffer("sim")));
                    }
                    s.ws().writeFrame(new io.vertx.core.http.impl.ws.WebSocketFrameImpl(
                            i == 0 ? first : io.vertx.core.http.WebSocketFrameType.CONTINUATION, parts.get(i),
                            i == parts.size() - 1));
                }
                written++;
            }
            return written;
        }
    }

    // ---------------------------------------------------------------- subscription

    /** Sets the push subscription directly, as {@code POST /v1/event/subscribe} would. */
    public void subscribe(String eventDest, boolean enabled) {
        String error = validateEventDest(eventDest);
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        applySubscription(new Subscription(eventDest, enabled));
    }

    /** The current subscription; empty when never set or lost by a reboot. */
    public Optional<Subscription> subscription() {
        return Optional.ofNullable(subscription);
    }

    // ---------------------------------------------------------------- observations

    /** A snapshot of the counters. */
    public Stats stats() {
        return new Stats(serialNumber, generated.get(), acknowledged.get(), duplicatesSent.get(), retries.get(),
                dropped.get(), cacheSize(), pushAttempts.get(), wsFramesSent.get(), wsFramesDropped.get(),
                currentWsClients(), maxConcurrentWsClients(), wsUpgradeAttempts.get(), wsRefused.get(),
                subscribeCalls.get(), subscribeReads.get());
    }

    /** Records waiting in the offline cache, including the one in flight. */
    public int cacheSize() {
        synchronized (lock) {
            return cacheSizeLocked();
        }
    }

    /** Keys ({@link V1Record#key()}) of first-time acknowledged records, in acknowledgement order. */
    public List<String> acknowledgedKeys() {
        synchronized (ackKeys) {
            return List.copyOf(ackKeys);
        }
    }

    /** Latencies from sending a record to its HTTP 200 / code 200 reply (first-time acks only). */
    public V1LatencyRecorder ackLatencies() {
        return ackLatency;
    }

    /** The {@code data} of the last successful push reply ({@code null} before any). */
    public JsonNode lastReplyData() {
        return lastReplyData;
    }

    /** The last (up to 10,000) remote decisions read from successful push replies. */
    public List<RemoteDecision> remoteDecisions() {
        synchronized (decisions) {
            return List.copyOf(decisions);
        }
    }

    /** WebSocket clients connected now (a stalled client still counts). */
    public int currentWsClients() {
        return sessions.size();
    }

    /** Most WebSocket clients connected at once since start. */
    public int maxConcurrentWsClients() {
        return maxWs.get();
    }

    /** WebSocket upgrade requests received, refused ones included. */
    public long wsUpgradeAttempts() {
        return wsUpgradeAttempts.get();
    }

    /** {@code POST /v1/event/subscribe} requests received. */
    public long subscribeCalls() {
        return subscribeCalls.get();
    }

    // ---------------------------------------------------------------- faults

    /**
     * Cuts every WebSocket connection at TCP level, without a close frame. The device forgets
     * them at once (they no longer count as clients), even while it is stalled and the close
     * events of the cut connections wait to be handled.
     */
    public void dropConnections() {
        for (WsSession s : List.copyOf(sessions)) {
            sessions.remove(s);
            abort(s);
        }
    }

    /**
     * Stalls or resumes the device's network side: while stalled, WebSocket connections are
     * neither read (pings unanswered, close frames unseen) nor written (frames of new records are
     * lost), TCP connections stay open, and new HTTP requests and upgrades wait unanswered until
     * the stall ends. HTTP push continues.
     */
    public void stall(boolean on) {
        List<Parked> resume = List.of();
        synchronized (parked) {
            stalled = on;
            if (!on) {
                resume = List.copyOf(parked);
                parked.clear();
            }
        }
        for (WsSession s : sessions) {
            setAutoRead(s, !on);
        }
        for (Parked p : resume) {
            p.context().runOnContext(v -> {
                handle(p.request());
                p.request().resume();
            });
        }
    }

    /** Whether the device is stalled. */
    public boolean isStalled() {
        return stalled;
    }

    /**
     * Reboots: closes every connection and the listening port, forgets the subscription
     * ({@code event_dest} null, push disabled), and comes back on the same port after
     * {@link Options#rebootDelay()}. Records are not created while down; the offline cache is kept.
     */
    public void reboot() {
        synchronized (emitLock) {
            if (state != State.UP) {
                return;
            }
            state = State.REBOOTING;
            subscription = null;
        }
        LOG.debug("device {} rebooting", serialNumber);
        synchronized (parked) {
            stalled = false;
            parked.clear();
        }
        dropConnections();
        closeServer();
        schedule(this::comeBack, options.rebootDelay().toNanos());
    }

    // ---------------------------------------------------------------- push sender

    private void applySubscription(Subscription sub) {
        subscription = sub;
        synchronized (lock) {
            backoffNanos = 0;
            if (retryTimer != null && retryTimer.cancel(false)) {
                retryTimer = null;
                sending = false;
            }
        }
        kick();
    }

    private void kick() {
        synchronized (lock) {
            if (sending || !canSendLocked()) {
                return;
            }
            sending = true;
        }
        execute(this::sendNext);
    }

    private boolean canSendLocked() {
        Subscription sub = subscription;
        return state == State.UP && sub != null && sub.enabled() && (duplicateSlot != null || !queue.isEmpty());
    }

    private int cacheSizeLocked() {
        return queue.size() + (inFlight != null && !inFlight.duplicate() && !inFlightDropped ? 1 : 0);
    }

    private void makeRoom() {
        while (cacheSizeLocked() >= options.offlineCacheCapacity()) {
            if (inFlight != null && !inFlight.duplicate() && !inFlightDropped) {
                inFlightDropped = true;
            } else if (!queue.isEmpty()) {
                queue.pollFirst();
            } else {
                return;
            }
            dropped.incrementAndGet();
        }
    }

    private void sendNext() {
        Pending p;
        String dest;
        synchronized (lock) {
            retryTimer = null;
            if (!canSendLocked()) {
                sending = false;
                return;
            }
            if (duplicateSlot != null) {
                p = duplicateSlot;
                duplicateSlot = null;
            } else {
                p = queue.pollFirst();
            }
            inFlight = p;
            inFlightDropped = false;
            dest = subscription.eventDest();
        }
        if (p.duplicate() && p.attempt() == 0) {
            duplicatesSent.incrementAndGet();
        }
        pushAttempts.incrementAndGet();
        long t0 = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(dest))
                    .timeout(options.pushTimeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(p.record().json(), StandardCharsets.UTF_8))
                    .build();
            runtime.httpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .whenComplete((resp, err) -> onReply(p, t0, resp, err));
        } catch (RuntimeException e) {
            onReply(p, t0, null, e);
        }
    }

    private void onReply(Pending p, long t0, HttpResponse<String> resp, Throwable err) {
        long t1 = System.nanoTime();
        boolean ok = false;
        JsonNode data = null;
        if (err == null && resp.statusCode() == 200) {
            try {
                JsonNode root = MAPPER.readTree(resp.body());
                JsonNode code = root == null ? null : root.get("code");
                ok = code != null && code.isIntegralNumber() && code.asLong() == 200;
                data = ok ? root.get("data") : null;
            } catch (IOException e) {
                ok = false;
            }
        }
        if (ok) {
            onAcknowledged(p, t1 - t0, data);
            execute(this::sendNext);
            return;
        }
        retries.incrementAndGet();
        synchronized (lock) {
            boolean wasDropped = inFlightDropped;
            inFlight = null;
            inFlightDropped = false;
            Pending again = new Pending(p.record(), p.duplicate(), p.attempt() + 1);
            if (p.duplicate()) {
                duplicateSlot = again;
            } else if (!wasDropped) {
                queue.addFirst(again);
            }
            long first = Math.max(1, options.retryBackoff().toNanos());
            backoffNanos = backoffNanos == 0 ? first : Math.min(options.maxRetryBackoff().toNanos(), backoffNanos * 2);
            if (state == State.STOPPED) {
                sending = false;
                return;
            }
            retryTimer = schedule(this::sendNext, backoffNanos);
            if (retryTimer == null) {
                sending = false;
            }
        }
    }

    private void onAcknowledged(Pending p, long latencyNanos, JsonNode data) {
        lastReplyData = data;
        Boolean pass = data != null && data.has("pass") && data.get("pass").isBoolean() ? data.get("pass").asBoolean() : null;
        String tips = data != null && data.hasNonNull("customtips") ? data.get("customtips").asText() : null;
        synchronized (decisions) {
            if (decisions.size() == MAX_REMOTE_DECISIONS) {
                decisions.pollFirst();
            }
            decisions.addLast(new RemoteDecision(p.record().key(), pass, tips));
        }
        synchronized (lock) {
            inFlight = null;
            inFlightDropped = false;
            backoffNanos = 0;
            if (!p.duplicate()) {
                acknowledged.incrementAndGet();
                ackLatency.record(latencyNanos);
                synchronized (ackKeys) {
                    ackKeys.add(p.record().key());
                }
                if (options.duplicateProbability() > 0 && duplicateRandom.nextDouble() < options.duplicateProbability()) {
                    duplicateSlot = new Pending(p.record(), true, 0);
                }
            }
        }
    }

    private void execute(Runnable task) {
        try {
            runtime.scheduler().execute(task);
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                sending = false;
            }
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        try {
            return runtime.scheduler().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- server

    private void listen(int port) {
        HttpServerOptions opts = new HttpServerOptions()
                .setHost(options.host())
                .setPort(port)
                .setReuseAddress(true)
                .setMaxWebSocketFrameSize(4 * 1024 * 1024)
                .setMaxWebSocketMessageSize(16 * 1024 * 1024);
        if (options.keyStorePath() != null) {
            opts.setSsl(true).setKeyCertOptions(new PfxOptions()
                    .setPath(options.keyStorePath().toString())
                    .setPassword(options.keyStorePassword()));
        }
        HttpServer s = runtime.vertx().createHttpServer(opts).requestHandler(this::handle);
        try {
            server = s.listen(port, options.host()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            boundPort = server.actualPort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot bind device server on port " + port, e);
        }
    }

    private void closeServer() {
        HttpServer s = server;
        server = null;
        if (s == null) {
            return;
        }
        try {
            s.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("device {} server close failed", serialNumber);
        }
    }

    private void comeBack() {
        synchronized (emitLock) {
            if (state != State.REBOOTING) {
                return;
            }
            if (options.serveApi()) {
                try {
                    listen(boundPort);
                } catch (IllegalStateException e) {
                    LOG.debug("device {} cannot rebind yet", serialNumber);
                    schedule(this::comeBack, TimeUnit.MILLISECONDS.toNanos(200));
                    return;
                }
            }
            state = State.UP;
        }
        LOG.debug("device {} back up", serialNumber);
        kick();
    }

    private void handle(HttpServerRequest req) {
        synchronized (parked) {
            if (stalled) {
                req.pause();
                parked.add(new Parked(req, Vertx.currentContext()));
                return;
            }
        }
        String path = req.path();
        if ("/v1/event".equals(path)) {
            if (req.method() == HttpMethod.GET && "websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
                upgrade(req);
            } else {
                reply(req, 400, 400, "WebSocket upgrade required", null);
            }
        } else if ("/v1/event/subscribe".equals(path)) {
            if (req.method() == HttpMethod.GET) {
                subscribeReads.incrementAndGet();
                Subscription sub = subscription;
                ObjectNode data = null;
                if (sub != null) {
                    data = JsonNodeFactory.instance.objectNode();
                    data.put("event_dest", sub.eventDest());
                    data.put("enabled", sub.enabled());
                }
                reply(req, 200, 200, "OK", data);
            } else if (req.method() == HttpMethod.POST) {
                req.body().onComplete(ar -> {
                    if (ar.succeeded()) {
                        postSubscribe(req, ar.result());
                    } else {
                        reply(req, 400, 400, "cannot read body", null);
                    }
                });
            } else {
                reply(req, 405, 405, "Method Not Allowed", null);
            }
        } else {
            reply(req, 404, 404, "Not Found", null);
        }
    }

    private void postSubscribe(HttpServerRequest req, Buffer body) {
        subscribeCalls.incrementAndGet();
        JsonNode json;
        try {
            json = MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            reply(req, 200, 400, "invalid JSON", null);
            return;
        }
        if (json == null || !json.isObject()) {
            reply(req, 200, 400, "body must be a JSON object", null);
            return;
        }
        JsonNode dest = json.get("event_dest");
        String error = dest == null || !dest.isTextual() ? "event_dest is required" : validateEventDest(dest.asText());
        JsonNode enabled = json.get("enabled");
        if (error == null && enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            error = "enabled must be a boolean";
        }
        if (error != null) {
            reply(req, 200, 400, error, null);
            return;
        }
        applySubscription(new Subscription(dest.asText(), enabled == null || enabled.isNull() || enabled.asBoolean()));
        reply(req, 200, 200, "OK", null);
    }

    /** Null when the URL is acceptable as {@code event_dest}, else the reason. */
    private static String validateEventDest(String dest) {
        if (dest == null || dest.isEmpty()) {
            return "event_dest is required";
        }
        if (dest.getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_DEST_BYTES) {
            return "event_dest longer than 1024";
        }
        try {
            URI uri = new URI(dest);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                return "event_dest must be an http or https URL";
            }
        } catch (URISyntaxException e) {
            return "event_dest must be an http or https URL";
        }
        return null;
    }

    private static void reply(HttpServerRequest req, int status, int code, String msg, JsonNode data) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("code", code);
        body.put("msg", msg);
        body.set("data", data);
        req.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json;charset=UTF-8")
                .end(body.toString());
    }

    private void upgrade(HttpServerRequest req) {
        wsUpgradeAttempts.incrementAndGet();
        if (wsSlots.incrementAndGet() > options.maxWsClients()) {
            wsSlots.decrementAndGet();
            wsRefused.incrementAndGet();
            reply(req, 503, 503, "too many WebSocket clients", null);
            return;
        }
        ConnectionBase conn = req.connection() instanceof ConnectionBase cb ? cb : null;
        req.toWebSocket().onComplete(ar -> {
            if (ar.failed()) {
                wsSlots.decrementAndGet();
                return;
            }
            ServerWebSocket ws = ar.result();
            WsSession session = new WsSession(ws, conn);
            AtomicBoolean released = new AtomicBoolean();
            ws.closeHandler(v -> {
                sessions.remove(session);
                if (released.compareAndSet(false, true)) {
                    wsSlots.decrementAndGet();
                }
            });
            ws.exceptionHandler(e -> LOG.trace("device {} websocket error", serialNumber));
            ws.textMessageHandler(m -> { });
            sessions.add(session);
            maxWs.accumulateAndGet(sessions.size(), Math::max);
            if (state != State.UP) {
                abort(session);
            } else if (stalled) {
                setAutoRead(session, false);
            }
        });
    }

    private void broadcast(V1Record record) {
        if (stalled || sessions.isEmpty()) {
            return;
        }
        for (WsSession s : sessions) {
            if (s.ws().writeQueueFull()) {
                wsFramesDropped.incrementAndGet();
            } else {
                s.ws().writeTextMessage(record.json());
                wsFramesSent.incrementAndGet();
            }
        }
    }

    /** Sets auto-read on the connection's event loop and waits, so no read slips through a stall. */
    private static void setAutoRead(WsSession s, boolean on) {
        if (s.connection() == null) {
            return;
        }
        io.netty.channel.Channel ch = s.connection().channel();
        if (ch.eventLoop().inEventLoop()) {
            ch.config().setAutoRead(on);
        } else {
            ch.eventLoop().submit(() -> ch.config().setAutoRead(on)).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static void abort(WsSession s) {
        if (s.connection() != null) {
            s.connection().channel().close();
        } else {
            s.ws().close();
        }
    }
}
