package io.accessbridge.simulator.v3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.accessbridge.simulator.SelfSignedKeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;

/**
 * A legacy v3.x device (spec 004) on loopback: serves {@code POST /api/<version>/event} with
 * {@code event-info} and {@code event-fetch} over a seqnum ring buffer, and, while online with a
 * report target, sends each new event to the server as {@code event-report}. Built for tests and
 * demos; it holds no real personal data (user ids and card ids are invented).
 *
 * <p>Behaviour controls: {@link #addEvents(int)}, {@link #goOffline()}, {@link #goOnline()},
 * {@link #reset()}, {@link #setReplyDelay(Duration)}, {@link #failNext(int, Failure)}. Counters:
 * {@link #requestCount(String)}, {@link #maxConcurrentRequests()}, {@link #reportsSent()}.
 *
 * <p>With {@link Builder#tls(Path, String)} it serves https (the same wire protocol) with the key
 * and certificate of a PKCS12 keystore, e.g. a self-signed one from {@link SelfSignedKeyStore};
 * {@link #baseUri()} is then {@code https://}.
 *
 * <p>Replies follow spec 004: {@code {"retcode":0,"header":{"reqid":..},"body":{..}}}. Errors are
 * HTTP 200 with a non-zero {@code retcode} and no {@code body}; the spec names no codes, so this
 * simulator uses {@link #RETCODE_BAD_REQUEST}, {@link #RETCODE_UNAUTHORIZED},
 * {@link #RETCODE_UNKNOWN_ACTION} and {@link #RETCODE_INJECTED}.
 */
public final class V3DeviceSimulator implements AutoCloseable {

    /** retcode of a request that is not valid JSON or lacks {@code action}/{@code reqid}, or has bad parameters. */
    public static final int RETCODE_BAD_REQUEST = 1;
    /** retcode of a request with a missing or wrong {@code token} header. */
    public static final int RETCODE_UNAUTHORIZED = 2;
    /** retcode of an action the device does not serve. */
    public static final int RETCODE_UNKNOWN_ACTION = 3;
    /** retcode of a failure injected with {@link Failure#RETCODE}. */
    public static final int RETCODE_INJECTED = 99;
    /** The device's page size when {@code limit} is absent (spec 004). */
    public static final int DEFAULT_LIMIT = 10;
    /** Every {@code event} value of spec 004. */
    public static final List<String> EVENT_KINDS = List.of(
            "face", "qrcode", "door", "remote", "push", "fire", "disa", "reset", "card", "visitor", "therm");

    /** A failure to inject into the next calls. */
    public enum Failure {
        /** HTTP 200 with {@code retcode} {@link #RETCODE_INJECTED} and no body. */
        RETCODE,
        /** HTTP 500 with a plain-text body. */
        HTTP_500,
        /** HTTP 200 with truncated JSON. */
        MALFORMED_JSON,
        /** A correct reply with another {@code reqid} than the request's. */
        WRONG_REQID
    }

    /** What "offline" looks like to a client. */
    public enum OfflineMode {
        /** The listening socket is closed: connections are refused. */
        REFUSE_CONNECTIONS,
        /** Connections are accepted and answered HTTP 503. */
        HTTP_503
    }

    /** Unit of the generated {@code timestamp} fields. */
    public enum TimestampUnit {
        /** Unix seconds, as in the spec's example. */
        SECONDS,
        /** Unix milliseconds, as the spec's comment says. */
        MILLISECONDS
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        // The JDK server writes a reply's headers and body separately; without TCP_NODELAY, Nagle's
        // algorithm holds the body until the client's delayed ACK (40 ms on Linux) for every call.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
    private static final String[] WEIGHTED_KINDS = {
        "face", "face", "face", "face", "face", "face", "face", "face", "card", "card", "card", "qrcode", "qrcode",
        "visitor", "door", "door", "door", "push", "push", "remote", "therm", "fire", "disa", "reset"};

    private final String deviceId;
    private final String token;
    private final String apiVersion;
    private final String path;
    private final int capacity;
    private final int maxFetchLimit;
    private final TimestampUnit timestampUnit;
    private final Clock clock;
    private final String ipAddress;
    private final Random random;
    private final ExecutorService handlers;
    private final ExecutorService reporter;
    private final HttpClient reportClient;
    private final SSLContext serverTls;

    // event log, guarded by "this"
    private final ObjectNode[] ring;
    private long nextSeqnum = 1;
    private long lastTimestamp;
    private boolean doorOpen;
    private boolean fireActive;
    private boolean tamperActive;

    private final Object serverLock = new Object();
    private HttpServer server;
    private int port;
    private volatile boolean online = true;
    private volatile OfflineMode offlineMode = OfflineMode.HTTP_503;
    private volatile Duration replyDelay = Duration.ZERO;
    private volatile URI reportTarget;
    private final Deque<PendingFailure> failures = new ArrayDeque<>();
    private final AtomicLong reportReqids = new AtomicLong(500_000);

    private final Map<String, LongAdder> requestsByAction = new ConcurrentHashMap<>();
    private final LongAdder totalRequests = new LongAdder();
    private final LongAdder rejectedOffline = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Whether this handler thread's request still counts as in flight. */
    private final ThreadLocal<Boolean> counted = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<Long> reportedSeqnums = new CopyOnWriteArrayList<>();
    private final LongAdder reportsFailed = new LongAdder();
    private final Set<String> reqids = ConcurrentHashMap.newKeySet();
    private final LongAdder duplicateReqids = new LongAdder();
    private volatile CountDownLatch replyGate = new CountDownLatch(0);

    private record PendingFailure(Failure failure, String action) {
    }

    private V3DeviceSimulator(Builder b) {
        this.deviceId = b.deviceId;
        this.token = b.token;
        this.apiVersion = b.apiVersion;
        this.path = "/api/" + b.apiVersion + "/event";
        this.capacity = b.capacity;
        this.maxFetchLimit = b.maxFetchLimit;
        this.timestampUnit = b.timestampUnit;
        this.clock = b.clock;
        this.ipAddress = b.ipAddress;
        this.random = new Random(b.seed);
        this.ring = new ObjectNode[b.capacity];
        this.port = b.port;
        this.reportTarget = b.reportTarget;
        this.handlers = Executors.newFixedThreadPool(b.threads, daemon("v3-sim-" + b.deviceId));
        this.reporter = Executors.newSingleThreadExecutor(daemon("v3-sim-report-" + b.deviceId));
        this.reportClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        this.serverTls = b.serverTls;
    }

    /** A builder with defaults: device {@code v3-sim-1}, token {@code sim-token}, {@code v3.1}, capacity 1000. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of a simulator; every one has a default. */
    public static final class Builder {
        private String deviceId = "v3-sim-1";
        private String token = "sim-token";
        private String apiVersion = "v3.1";
        private int capacity = 1000;
        private int maxFetchLimit = 100;
        private TimestampUnit timestampUnit = TimestampUnit.SECONDS;
        private Clock clock = Clock.systemUTC();
        private String ipAddress = "192.168.20.20";
        private long seed = 4711;
        private int threads = 4;
        private int port = 0;
        private URI reportTarget;
        private SSLContext serverTls;

        private Builder() {
        }

        /** The device's {@code device-id}. */
        public Builder deviceId(String v) {
            this.deviceId = Objects.requireNonNull(v);
            return this;
        }

        /** The token every request must carry in its {@code token} header. */
        public Builder token(String v) {
            this.token = Objects.requireNonNull(v);
            return this;
        }

        /** The API version path segment, e.g. {@code v3.1}. */
        public Builder apiVersion(String v) {
            this.apiVersion = Objects.requireNonNull(v);
            return this;
        }

        /** How many events the ring buffer holds before the oldest are overwritten. */
        public Builder capacity(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("capacity must be positive");
            }
            this.capacity = v;
            return this;
        }

        /** The most events one {@code event-fetch} returns, whatever {@code limit} asks. */
        public Builder maxFetchLimit(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxFetchLimit must be positive");
            }
            this.maxFetchLimit = v;
            return this;
        }

        /** Seconds (default) or milliseconds in {@code timestamp}. */
        public Builder timestampUnit(TimestampUnit v) {
            this.timestampUnit = Objects.requireNonNull(v);
            return this;
        }

        /** The device clock that stamps new events. */
        public Builder clock(Clock v) {
            this.clock = Objects.requireNonNull(v);
            return this;
        }

        /** The device's {@code ip-addr} field. */
        public Builder ipAddress(String v) {
            this.ipAddress = v;
            return this;
        }

        /** Seed of the event generator, so that runs are repeatable. */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /** Request handler threads; bounds the concurrency the device accepts. */
        public Builder threads(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("threads must be positive");
            }
            this.threads = v;
            return this;
        }

        /** The loopback port; 0 (default) picks a free one. */
        public Builder port(int v) {
            this.port = v;
            return this;
        }

        /** Where to send {@code event-report} calls; {@code null} (default) sends none. */
        public Builder reportTarget(URI v) {
            this.reportTarget = v;
            return this;
        }

        /**
         * Serves https with the key and certificate of a PKCS12 keystore (key password = keystore
         * password), e.g. one of {@link SelfSignedKeyStore}; {@code null} (default) serves plain http.
         */
        public Builder tls(Path keyStore, String password) throws IOException {
            this.serverTls = keyStore == null ? null : SelfSignedKeyStore.serverSslContext(keyStore, password);
            return this;
        }

        /** Starts the simulator. */
        public V3DeviceSimulator start() throws IOException {
            V3DeviceSimulator sim = new V3DeviceSimulator(this);
            sim.bind();
            return sim;
        }
    }

    // ---------------------------------------------------------------- addresses

    /** {@code http://127.0.0.1:<port>} ({@code https://} with TLS), the base URI a client is given. */
    public URI baseUri() {
        return URI.create((isTls() ? "https" : "http") + "://127.0.0.1:" + port);
    }

    /** Whether the device serves https. */
    public boolean isTls() {
        return serverTls != null;
    }

    /** The full endpoint, {@code http(s)://127.0.0.1:<port>/api/<version>/event}. */
    public URI endpoint() {
        return URI.create(baseUri() + path);
    }

    /** The bound port. */
    public int port() {
        return port;
    }

    /** The device's {@code device-id}. */
    public String deviceId() {
        return deviceId;
    }

    /** The token the device expects. */
    public String token() {
        return token;
    }

    /** The API version path segment. */
    public String apiVersion() {
        return apiVersion;
    }

    // ---------------------------------------------------------------- event log

    /** Logs {@code n} events of realistic, weighted random kinds; returns copies of them. */
    public List<ObjectNode> addEvents(int n) {
        List<ObjectNode> added = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String kind;
            synchronized (this) {
                kind = WEIGHTED_KINDS[random.nextInt(WEIGHTED_KINDS.length)];
            }
            added.add(addEvent(kind));
        }
        return added;
    }

    /** Logs {@code n} events of the given kind. */
    public List<ObjectNode> addEvents(String kind, int n) {
        List<ObjectNode> added = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            added.add(addEvent(kind));
        }
        return added;
    }

    /** Logs one event of the given kind (one of {@link #EVENT_KINDS}) with generated fields; returns a copy. */
    public ObjectNode addEvent(String kind) {
        if (!EVENT_KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown v3 event kind: " + kind);
        }
        ObjectNode stored;
        synchronized (this) {
            ObjectNode e = newEvent(kind);
            fillKindFields(e, kind);
            stored = store(e);
        }
        report(stored);
        return stored.deepCopy();
    }

    /**
     * Logs an event with exactly the given fields (for malformed-data tests); only {@code seqnum}
     * is assigned by the device. Returns the seqnum.
     */
    public long addRawEvent(ObjectNode fields) {
        ObjectNode stored;
        synchronized (this) {
            ObjectNode e = MAPPER.createObjectNode();
            e.put("seqnum", nextSeqnum);
            fields.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("seqnum")) {
                    e.set(f.getKey(), f.getValue().deepCopy());
                }
            });
            stored = store(e);
        }
        report(stored);
        return stored.get("seqnum").asLong();
    }

    /** The oldest seqnum held, or 0 when the log is empty. */
    public synchronized long min() {
        return nextSeqnum == 1 ? 0 : Math.max(1, nextSeqnum - capacity);
    }

    /** The newest seqnum held, or 0 when the log is empty. */
    public synchronized long max() {
        return nextSeqnum - 1;
    }

    /** Copies of every event held, ascending. */
    public synchronized List<ObjectNode> events() {
        List<ObjectNode> all = new ArrayList<>();
        if (max() > 0) {
            for (long s = min(); s <= max(); s++) {
                all.add(ring[slot(s)].deepCopy());
            }
        }
        return all;
    }

    /** Simulates a factory reset: the log is cleared and seqnums restart at 1. */
    public synchronized void reset() {
        Arrays.fill(ring, null);
        nextSeqnum = 1;
    }

    private ObjectNode newEvent(String kind) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("seqnum", nextSeqnum);
        long now = timestampUnit == TimestampUnit.SECONDS ? clock.millis() / 1000 : clock.millis();
        lastTimestamp = Math.max(lastTimestamp, now);
        e.put("timestamp", lastTimestamp);
        e.put("event", kind);
        e.put("device-id", deviceId);
        if (ipAddress != null) {
            e.put("ip-addr", ipAddress);
        }
        return e;
    }

    private void fillKindFields(ObjectNode e, String kind) {
        switch (kind) {
            case "face", "visitor" -> {
                boolean stranger = kind.equals("face") && random.nextInt(10) == 0;
                e.put("uid", stranger ? strangerId() : kind.equals("visitor") ? visitorId() : userId());
                e.put("score", round2(stranger ? 0.2 + random.nextDouble() * 0.4 : 0.75 + random.nextDouble() * 0.25));
                e.put("sharp", 40 + random.nextInt(61));
                e.put("therm", random.nextInt(3) == 0 ? round1(36.0 + random.nextDouble() * 1.5) : 0);
                e.put("state", stranger ? 0 : userState());
            }
            case "card" -> {
                e.put("uid", userId());
                e.put("data", String.format("0x%08x", random.nextInt()));
                e.put("state", userState());
            }
            case "qrcode" -> {
                e.put("uid", userId());
                e.put("qrcode", randomCode(9));
                e.put("state", userState());
            }
            case "door" -> {
                doorOpen = !doorOpen;
                e.put("state", doorOpen ? 1 : 0);
            }
            case "remote", "push" -> e.put("state", 1);
            case "fire" -> {
                fireActive = !fireActive;
                e.put("state", fireActive ? 1 : 0);
            }
            case "disa" -> {
                tamperActive = !tamperActive;
                e.put("state", tamperActive ? 1 : 0);
            }
            case "therm" -> {
                e.put("uid", userId());
                e.put("therm", round1(35.8 + random.nextDouble() * 2.4));
            }
            default -> {
                // "reset" has only the common fields
            }
        }
    }

    private ObjectNode store(ObjectNode e) {
        long seqnum = nextSeqnum++;
        ring[slot(seqnum)] = e;
        return e;
    }

    private int slot(long seqnum) {
        return (int) (seqnum % capacity);
    }

    private String userId() {
        return "TUID-" + (100200 + random.nextInt(20));
    }

    private String visitorId() {
        return "VIS-" + (5500 + random.nextInt(50));
    }

    private String strangerId() {
        return "0000" + (1_000_000 + random.nextInt(9_000_000));
    }

    private int userState() {
        int r = random.nextInt(20);
        return r < 16 ? 4 : 1 + random.nextInt(3);
    }

    private String randomCode(int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    // ---------------------------------------------------------------- behaviour controls

    /** Goes offline the default way: answering HTTP 503. */
    public void goOffline() {
        goOffline(OfflineMode.HTTP_503);
    }

    /** Goes offline: no calls are served and no events are reported until {@link #goOnline()}. */
    public void goOffline(OfflineMode mode) {
        synchronized (serverLock) {
            offlineMode = Objects.requireNonNull(mode);
            online = false;
            if (mode == OfflineMode.REFUSE_CONNECTIONS && server != null) {
                server.stop(0);
                server = null;
            }
        }
    }

    /** Comes back online on the same port. Events logged while offline are not reported. */
    public void goOnline() throws IOException {
        synchronized (serverLock) {
            if (server == null) {
                bind();
            }
            online = true;
        }
    }

    /** Whether the device is online. */
    public boolean isOnline() {
        return online;
    }

    /** Every reply waits this long before it is sent ({@link Duration#ZERO} to stop). */
    public void setReplyDelay(Duration delay) {
        this.replyDelay = Objects.requireNonNull(delay);
    }

    /**
     * Holds every reply (after the request is read and counted) until {@link #resumeReplies()}, so
     * that tests can see how many requests a client keeps in flight.
     */
    public void pauseReplies() {
        replyGate = new CountDownLatch(1);
    }

    /** Releases the replies held by {@link #pauseReplies()}. */
    public void resumeReplies() {
        replyGate.countDown();
    }

    /** The next {@code k} calls (any action) fail this way, then the device behaves again. */
    public void failNext(int k, Failure failure) {
        failNext(k, failure, null);
    }

    /** The next {@code k} calls of {@code action} ({@code null}: any action) fail this way. */
    public void failNext(int k, Failure failure, String action) {
        Objects.requireNonNull(failure, "failure");
        synchronized (failures) {
            for (int i = 0; i < k; i++) {
                failures.add(new PendingFailure(failure, action));
            }
        }
    }

    private Failure takeFailure(String action) {
        synchronized (failures) {
            for (Iterator<PendingFailure> it = failures.iterator(); it.hasNext(); ) {
                PendingFailure f = it.next();
                if (f.action() == null || f.action().equals(action)) {
                    it.remove();
                    return f.failure();
                }
            }
            return null;
        }
    }

    /** Where {@code event-report} calls go from now on; {@code null} stops reporting. */
    public void setReportTarget(URI target) {
        this.reportTarget = target;
    }

    // ---------------------------------------------------------------- counters

    /** Calls received for an action, whatever their outcome (auth failures and injected failures included). */
    public long requestCount(String action) {
        LongAdder n = requestsByAction.get(action);
        return n == null ? 0 : n.sum();
    }

    /** Every HTTP request that reached the device while online (including bad ones). */
    public long totalRequests() {
        return totalRequests.sum();
    }

    /** Requests answered 503 because the device was offline. */
    public long rejectedWhileOffline() {
        return rejectedOffline.sum();
    }

    /** Requests being handled right now. */
    public int currentRequests() {
        return inFlight.get();
    }

    /** Distinct {@code reqid} values received since the last {@link #resetCounters()}. */
    public int distinctReqids() {
        return reqids.size();
    }

    /** Requests whose {@code reqid} had been received before (spec 004: unique per device). */
    public long duplicateReqids() {
        return duplicateReqids.sum();
    }

    /** The most requests ever handled at the same time. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /** Seqnums of the events reported (HTTP 200 from the target), in sending order. */
    public List<Long> reportedSeqnums() {
        return List.copyOf(reportedSeqnums);
    }

    /** Reports that got no HTTP 200 (or no answer); the device does not retry them. */
    public long reportsFailed() {
        return reportsFailed.sum();
    }

    /** Zeroes every counter. */
    public void resetCounters() {
        requestsByAction.clear();
        totalRequests.reset();
        rejectedOffline.reset();
        maxInFlight.set(inFlight.get());
        reportedSeqnums.clear();
        reportsFailed.reset();
        reqids.clear();
        duplicateReqids.reset();
    }

    // ---------------------------------------------------------------- event-report

    private void report(ObjectNode event) {
        URI target = reportTarget;
        if (target == null || !online) {
            return;
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("device-id", deviceId);
        body.set("seqnum", event.get("seqnum"));
        event.fields().forEachRemaining(f -> {
            if (!body.has(f.getKey())) {
                body.set(f.getKey(), f.getValue().deepCopy());
            }
        });
        ObjectNode request = MAPPER.createObjectNode();
        request.put("action", "event-report");
        request.putObject("header").put("reqid", Long.toString(reportReqids.incrementAndGet()));
        request.set("body", body);
        long seqnum = event.get("seqnum").asLong();
        reporter.execute(() -> {
            if (!online) {
                return;
            }
            try {
                HttpResponse<Void> response = reportClient.send(HttpRequest.newBuilder(target)
                                .timeout(Duration.ofSeconds(5))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(request)))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    reportedSeqnums.add(seqnum);
                } else {
                    reportsFailed.increment();
                }
            } catch (IOException e) {
                reportsFailed.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    // ---------------------------------------------------------------- HTTP

    private void bind() throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        HttpServer s;
        if (serverTls != null) {
            HttpsServer https = HttpsServer.create(address, 50);
            https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
            s = https;
        } else {
            s = HttpServer.create(address, 50);
        }
        s.createContext("/", this::handle);
        s.setExecutor(handlers);
        s.start();
        port = s.getAddress().getPort();
        server = s;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!online) {
                rejectedOffline.increment();
                send(exchange, 503, "text/plain", "device offline".getBytes(StandardCharsets.UTF_8));
                return;
            }
            totalRequests.increment();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            counted.set(Boolean.TRUE);
            try {
                serve(exchange);
            } finally {
                leave();
            }
        } finally {
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(path)) {
            send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().add("Allow", "POST");
            send(exchange, 405, "text/plain", "method not allowed".getBytes(StandardCharsets.UTF_8));
            return;
        }
        JsonNode request;
        try (InputStream in = exchange.getRequestBody()) {
            request = MAPPER.readTree(in.readAllBytes());
        } catch (JsonProcessingException e) {
            request = null;
        }
        String action = request != null && request.path("action").isTextual() ? request.get("action").asText() : null;
        JsonNode reqidNode = request == null ? null : request.path("header").get("reqid");
        String reqid = reqidNode != null && (reqidNode.isTextual() || reqidNode.isIntegralNumber()) ? reqidNode.asText() : null;
        if (action != null) {
            requestsByAction.computeIfAbsent(action, k -> new LongAdder()).increment();
        }
        if (reqid != null && !reqids.add(reqid)) {
            duplicateReqids.increment();
        }
        try {
            replyGate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sleep(replyDelay);
        Failure failure = takeFailure(action);
        if (failure == Failure.HTTP_500) {
            send(exchange, 500, "text/plain", "internal error".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (failure == Failure.MALFORMED_JSON) {
            sendJson(exchange, "{\"retcode\":0,\"header\":{\"reqid\":\"" + reqid + "\"},\"body\":{\"ev");
            return;
        }
        if (failure == Failure.RETCODE) {
            sendReply(exchange, RETCODE_INJECTED, reqid, null);
            return;
        }
        if (action == null || reqid == null) {
            sendReply(exchange, RETCODE_BAD_REQUEST, reqid, null);
            return;
        }
        if (!token.equals(exchange.getRequestHeaders().getFirst("token"))) {
            sendReply(exchange, RETCODE_UNAUTHORIZED, reqid, null);
            return;
        }
        String replyReqid = failure == Failure.WRONG_REQID ? "9" + reqid : reqid;
        JsonNode params = request.path("body");
        switch (action) {
            case "event-info" -> {
                ObjectNode body = MAPPER.createObjectNode();
                synchronized (this) {
                    body.put("max", max());
                    body.put("min", min());
                }
                sendReply(exchange, 0, replyReqid, body);
            }
            case "event-fetch" -> {
                ObjectNode body = fetch(params);
                if (body == null) {
                    sendReply(exchange, RETCODE_BAD_REQUEST, reqid, null);
                } else {
                    sendReply(exchange, 0, replyReqid, body);
                }
            }
            default -> sendReply(exchange, RETCODE_UNKNOWN_ACTION, reqid, null);
        }
    }

    /** The reply body of {@code event-fetch}, or {@code null} when the parameters are invalid. */
    private ObjectNode fetch(JsonNode params) {
        if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
            return null;
        }
        Long seqnum = nonNegative(params.get("seqnum"));
        Long offset = nonNegative(params.get("offset"));
        Long limit = nonNegative(params.get("limit"));
        if (seqnum != null && seqnum < 0 || offset != null && offset < 0 || limit != null && limit <= 0) {
            return null;
        }
        int n = (int) Math.min(limit == null ? DEFAULT_LIMIT : limit, maxFetchLimit);
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode events = body.putArray("events");
        synchronized (this) {
            long max = max();
            if (max == 0) {
                return body;
            }
            long min = min();
            long start = seqnum != null ? Math.max(seqnum, min) : offset != null ? min + offset : min;
            for (long s = start; s <= max && events.size() < n; s++) {
                events.add(ring[slot(s)]); // stored events are never modified: no copy needed
            }
        }
        return body;
    }

    /** The integer value of a parameter; -1 when it is present but not a non-negative integer. */
    private static Long nonNegative(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 0) {
            return v.longValue();
        }
        return -1L;
    }

    private void sendReply(HttpExchange exchange, int retcode, String reqid, ObjectNode body) throws IOException {
        ObjectNode reply = MAPPER.createObjectNode();
        reply.put("retcode", retcode);
        ObjectNode header = reply.putObject("header");
        if (reqid != null) {
            header.put("reqid", reqid);
        }
        if (body != null) {
            reply.set("body", body);
        }
        send(exchange, 200, "application/json", MAPPER.writeValueAsBytes(reply));
    }

    /**
     * The request stops counting as in flight: called before the reply is written, since a client may
     * send its next request as soon as it has read the reply, before this handler thread returns.
     */
    private void leave() {
        if (counted.get()) {
            counted.set(Boolean.FALSE);
            inFlight.decrementAndGet();
        }
    }

    private void sendJson(HttpExchange exchange, String json) throws IOException {
        send(exchange, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private void send(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
        leave();
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops the server and the reporter. */
    @Override
    public void close() {
        replyGate.countDown();
        synchronized (serverLock) {
            online = false;
            if (server != null) {
                server.stop(0);
                server = null;
            }
        }
        reporter.shutdownNow();
        handlers.shutdownNow();
        try {
            reporter.awaitTermination(2, TimeUnit.SECONDS);
            handlers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "V3DeviceSimulator[" + deviceId + " @ " + endpoint() + "]";
    }
}
