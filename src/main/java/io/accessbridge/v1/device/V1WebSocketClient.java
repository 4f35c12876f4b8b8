package io.accessbridge.v1.device;

import io.accessbridge.status.DeviceState;
import io.accessbridge.status.DeviceStatusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's one WebSocket connection to one v1 device ({@code GET /v1/event}, spec 003), written
 * on Vert.x directly.
 *
 * <p><b>Exactly one connection, ever.</b> Every state change runs on one Vert.x context per device,
 * and a new connection attempt starts only after the previous attempt or connection has ended: a
 * pending handshake is never overlapped by a reconnect (the camel-vertx-websocket 4.17 bug
 * CAMEL-25582 opens a second connection exactly there). A handshake that gets no answer within
 * {@link V1DeviceSettings#handshakeTimeout()} is failed by Vert.x, which closes its TCP connection
 * first; a connection being closed is waited for (at most the closing timeout) before the next try.
 *
 * <p><b>Reconnects</b> back off exponentially from {@link V1DeviceSettings#reconnectInitial()} to
 * {@link V1DeviceSettings#reconnectMax()} with jitter (half the delay fixed, half random); a device
 * at its client limit (HTTP 503) is left alone for at least {@link V1DeviceSettings#busyBackoff()}.
 * The backoff resets once the device has sent something on a new connection.
 *
 * <p><b>Half-open links</b> are found with a ping every {@link V1DeviceSettings#pingInterval()}: a
 * link on which nothing (pong or event) arrives within {@link V1DeviceSettings#pongTimeout()} after a
 * ping is closed and reconnected.
 *
 * <p><b>Messages</b> (text or binary, whole or in continuation frames) reach the listener as the
 * bytes received, never decoded and re-encoded, so that a message that is not UTF-8 JSON goes to
 * quarantine exactly as the device sent it. A message over {@link #MAX_MESSAGE_BYTES} is dropped
 * whole and counted ({@code websocket.oversized}), and the connection stays; a single frame over
 * it is refused by the WebSocket decoder, which closes the connection (1009), and the client
 * reconnects.
 *
 * <p>The {@code websocket} channel of the device status says connected only while the connection is
 * open and answering; every end of it is recorded at once, with the reason.
 */
public final class V1WebSocketClient {

    /** Channel name in the device status. */
    public static final String CHANNEL = "websocket";
    /** The largest WebSocket frame, and the largest message (all its frames together), the client takes. */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    /** What the client tells its owner. Called on the device's Vert.x context: must not block. */
    public interface Listener {

        /** A connection was opened (the device may have rebooted since the last one). */
        void onOpen(String remoteAddress);

        /** One WebSocket message (one event, spec 003) as received. */
        void onMessage(byte[] data, String remoteAddress);
    }

    private static final Logger LOG = LoggerFactory.getLogger(V1WebSocketClient.class);

    private enum State { STOPPED, WAITING, CONNECTING, OPEN, CLOSING }

    private final String deviceId;
    private final URI uri;
    private final V1DeviceSettings settings;
    private final Vertx vertx;
    private final Context context;
    private final DeviceStatusRegistry status;
    private final Listener listener;
    private final WebSocketClient client;
    private final WebSocketConnectOptions connectOptions;

    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();

    // touched only on the device's context
    private State state = State.STOPPED;
    private WebSocket current;
    private String remoteAddress;
    private long timer = -1;
    private long pingTimer = -1;
    private int failures;
    private long lastHeardNanos;
    private long attemptStartedNanos;
    private String closeReason;
    private DeviceState closeState;
    private CompletableFuture<Void> stopped;

    /**
     * @param deviceId the device's inventory id
     * @param uri      its {@code ws://} or {@code wss://} URI of {@code /v1/event}
     * @param tls      how its certificate is trusted
     * @param settings timeouts and backoff
     * @param vertx    the bridge's Vert.x
     * @param context  the device's Vert.x context (all callbacks run on it)
     * @param status   the device status registry
     * @param listener receives connections and messages
     */
    public V1WebSocketClient(String deviceId, URI uri, V1DeviceTls tls, V1DeviceSettings settings, Vertx vertx,
                             Context context, DeviceStatusRegistry status, Listener listener) {
        this.deviceId = deviceId;
        this.uri = uri;
        this.settings = settings;
        this.vertx = vertx;
        this.context = context;
        this.status = status;
        this.listener = listener;
        int closingSeconds = (int) Math.max(1, (settings.closingTimeout().toMillis() + 999) / 1000);
        WebSocketClientOptions options = tls.apply(new WebSocketClientOptions()
                .setName("v1-ws-" + deviceId)
                .setShared(false)
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setSslHandshakeTimeout(settings.connectTimeout().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setClosingTimeout(closingSeconds)
                .setMaxFrameSize(MAX_MESSAGE_BYTES)
                .setMaxMessageSize(MAX_MESSAGE_BYTES)
                .setTcpKeepAlive(true));
        this.client = vertx.createWebSocketClient(options);
        int port = uri.getPort() > 0 ? uri.getPort() : tls.ssl() ? 443 : 80;
        this.connectOptions = new WebSocketConnectOptions()
                .setHost(uri.getHost())
                .setPort(port)
                .setSsl(tls.ssl())
                .setURI(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/v1/event" : uri.getRawPath())
                .setTimeout(settings.handshakeTimeout().toMillis());
    }

    /** Starts connecting. */
    public void start() {
        context.runOnContext(v -> {
            if (state == State.STOPPED) {
                state = State.WAITING;
                connect();
            }
        });
    }

    /**
     * Closes the connection and stops reconnecting.
     *
     * @return completes once the connection (if any) is closed, so that a restarted client never
     *         overlaps the old connection
     */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        context.runOnContext(v -> {
            boolean connecting = state == State.CONNECTING;
            state = State.STOPPED;
            cancelTimers();
            WebSocket ws = current;
            current = null;
            status.channel(deviceId, CHANNEL, DeviceState.DISCONNECTED, "stopped");
            if (connecting) {
                // the attempt under way ends (and its connection is closed) before the stop completes
                stopped = closed;
                client.close();
                return;
            }
            if (ws == null || ws.isClosed()) {
                client.close();
                closed.complete(null);
                return;
            }
            ws.closeHandler(x -> {
                client.close();
                closed.complete(null);
            });
            ws.close((short) 1001, "bridge stopping");
        });
        return closed;
    }

    /** Connection attempts made since start. */
    public long attempts() {
        return attempts.get();
    }

    /** Connections opened since start. */
    public long opened() {
        return opened.get();
    }

    private void connect() {
        if (state != State.WAITING) {
            return;
        }
        state = State.CONNECTING;
        timer = -1;
        attempts.incrementAndGet();
        status.count(deviceId, "websocket.attempts", 1);
        attemptStartedNanos = System.nanoTime();
        client.connect(connectOptions).onComplete(ar -> {
            if (ar.succeeded()) {
                onConnected(ar.result());
            } else {
                onConnectFailed(ar.cause());
            }
        });
    }

    private void onConnected(WebSocket ws) {
        if (state != State.CONNECTING) {
            CompletableFuture<Void> done = stopped;
            stopped = null;
            if (ws.isClosed()) {
                if (done != null) {
                    done.complete(null);
                }
                return;
            }
            ws.closeHandler(x -> {
                if (done != null) {
                    done.complete(null);
                }
            });
            ws.close();
            return;
        }
        state = State.OPEN;
        current = ws;
        closeReason = null;
        closeState = null;
        remoteAddress = ws.remoteAddress() == null ? uri.getHost() : ws.remoteAddress().hostAddress();
        lastHeardNanos = System.nanoTime();
        opened.incrementAndGet();
        status.count(deviceId, "websocket.connects", 1);
        // whole messages, also when the device fragments one into several frames
        MessageAssembler assembler = new MessageAssembler();
        ws.frameHandler(frame -> {
            if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
                heard();
                byte[] message = assembler.add(frame);
                if (message != null) {
                    listener.onMessage(message, remoteAddress);
                }
            }
        });
        ws.pongHandler(data -> heard());
        ws.exceptionHandler(e -> {
            if (closeReason == null) {
                closeReason = describe(e);
                closeState = DeviceState.DISCONNECTED;
            }
        });
        ws.closeHandler(v -> onClosed(ws));
        pingTimer = vertx.setPeriodic(settings.pingInterval().toMillis(), id -> ping(ws));
        status.channel(deviceId, CHANNEL, DeviceState.CONNECTED, null);
        listener.onOpen(remoteAddress);
    }

    /**
     * Joins a message's frames as received, byte for byte: a text message is not decoded here (its
     * bytes go to the parser, or to quarantine as they came when they are not UTF-8 JSON; the
     * connection is not failed for them as RFC 6455 8.1 would have it). A message whose frames
     * together exceed {@link #MAX_MESSAGE_BYTES} is dropped whole, up to and including its final
     * frame, and counted as {@code websocket.oversized}; the connection stays (a single frame over
     * the limit is refused by the WebSocket decoder, which closes the connection with 1009). Used on
     * the device's context only.
     */
    private final class MessageAssembler {
        private Buffer parts;
        private int size;
        private boolean dropping;
        private boolean inMessage;

        /** Takes one data frame; returns the message it completes, or {@code null}. */
        byte[] add(WebSocketFrame frame) {
            if (!frame.isContinuation()) {
                // a new message (the decoder refuses one that starts inside another)
                parts = null;
                size = 0;
                dropping = false;
                inMessage = true;
            } else if (!inMessage) {
                return null; // a continuation of no message (the decoder refuses it too): not a message
            }
            Buffer data = frame.binaryData();
            if (!dropping) {
                size += data.length();
                if (size > MAX_MESSAGE_BYTES) {
                    dropping = true;
                    parts = null;
                    status.count(deviceId, "websocket.oversized", 1);
                    LOG.warn("Device {}: WebSocket message over {} bytes dropped (counted as websocket.oversized)",
                            deviceId, MAX_MESSAGE_BYTES);
                } else if (parts == null && frame.isFinal()) {
                    inMessage = false;
                    return data.getBytes();
                } else {
                    if (parts == null) {
                        parts = Buffer.buffer(Math.min(MAX_MESSAGE_BYTES, Math.max(256, data.length() * 2)));
                    }
                    parts.appendBuffer(data);
                }
            }
            if (!frame.isFinal()) {
                return null;
            }
            byte[] message = dropping || parts == null ? null : parts.getBytes();
            parts = null;
            size = 0;
            dropping = false;
            inMessage = false;
            return message;
        }
    }

    private void heard() {
        lastHeardNanos = System.nanoTime();
        failures = 0;
    }

    private void ping(WebSocket ws) {
        if (current != ws || state != State.OPEN) {
            return;
        }
        long sentAt = System.nanoTime();
        ws.writePing(Buffer.buffer("bridge"));
        vertx.setTimer(settings.pongTimeout().toMillis(), id -> {
            if (current == ws && state == State.OPEN && lastHeardNanos < sentAt) {
                halfOpen(ws);
            }
        });
    }

    private void halfOpen(WebSocket ws) {
        status.count(deviceId, "websocket.halfOpen", 1);
        closeReason = "no answer to ping within " + settings.pongTimeout().toMillis() + " ms (half-open link)";
        closeState = DeviceState.DISCONNECTED;
        state = State.CLOSING;
        cancelPing();
        // say so at once: the link is dead even though its TCP connection takes a moment to close
        status.channel(deviceId, CHANNEL, closeState, closeReason);
        ws.close((short) 1001, "no pong");
    }

    private void onClosed(WebSocket ws) {
        if (current != ws) {
            return;
        }
        current = null;
        cancelPing();
        if (state == State.STOPPED) {
            return;
        }
        String reason = closeReason;
        if (reason == null) {
            Short code = ws.closeStatusCode();
            reason = code == null ? "connection lost" : "closed by the device (" + code + ")";
        }
        status.channel(deviceId, CHANNEL, closeState == null ? DeviceState.DISCONNECTED : closeState, reason);
        retryLater(false);
    }

    private void onConnectFailed(Throwable cause) {
        if (state != State.CONNECTING) {
            if (stopped != null) {
                stopped.complete(null);
                stopped = null;
            }
            return;
        }
        boolean busy = false;
        DeviceState st = DeviceState.DISCONNECTED;
        String reason;
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attemptStartedNanos);
        UpgradeRejectedException rejected = find(cause, UpgradeRejectedException.class);
        if (rejected != null && rejected.getStatus() == 503) {
            busy = true;
            st = DeviceState.FAILING;
            reason = "device refused the connection: at its WebSocket client limit (HTTP 503)";
            status.count(deviceId, "websocket.busy", 1);
        } else if (rejected != null) {
            st = DeviceState.FAILING;
            reason = "device refused the WebSocket upgrade (HTTP " + rejected.getStatus() + ")";
        } else if (find(cause, SSLException.class) != null) {
            st = DeviceState.FAILING;
            reason = "TLS handshake failed: " + rootMessage(cause);
        } else if (elapsedMs >= settings.handshakeTimeout().toMillis()) {
            reason = "no answer to the WebSocket upgrade within " + settings.handshakeTimeout().toMillis() + " ms";
        } else {
            reason = describe(cause);
        }
        status.channel(deviceId, CHANNEL, st, reason);
        retryLater(busy);
    }

    private void retryLater(boolean busy) {
        state = State.WAITING;
        long delay = backoffMillis(failures++);
        if (busy) {
            long least = settings.busyBackoff().toMillis();
            delay = Math.max(delay, least + ThreadLocalRandom.current().nextLong(least / 2 + 1));
        }
        timer = vertx.setTimer(Math.max(1, delay), id -> connect());
    }

    /** Exponential backoff with jitter: half the capped delay fixed, the other half random. */
    long backoffMillis(int failuresSoFar) {
        long initial = settings.reconnectInitial().toMillis();
        long max = settings.reconnectMax().toMillis();
        long capped = initial << Math.min(failuresSoFar, 20);
        if (capped <= 0 || capped > max) {
            capped = max;
        }
        long half = capped / 2;
        return half + ThreadLocalRandom.current().nextLong(capped - half + 1);
    }

    private void cancelTimers() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        cancelPing();
    }

    private void cancelPing() {
        if (pingTimer >= 0) {
            vertx.cancelTimer(pingTimer);
            pingTimer = -1;
        }
    }

    private static String describe(Throwable cause) {
        if (find(cause, ConnectException.class) != null) {
            return "connection refused or unreachable";
        }
        if (find(cause, UnknownHostException.class) != null) {
            return "unknown host";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String name = root.getClass().getSimpleName();
        if (name.toLowerCase(Locale.ROOT).contains("timeout")) {
            return "connect timed out";
        }
        return "connection failed: " + name;
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.length() > 160 ? m.substring(0, 160) : m;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        Throwable c = t;
        int depth = 0;
        while (c != null && depth++ < 10) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            c = c.getCause();
        }
        return null;
    }
}
