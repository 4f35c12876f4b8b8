package io.accessbridge.v1.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.status.DeviceState;
import io.accessbridge.status.DeviceStatusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one v1 device subscribed to the bridge (specs 000/001): reads
 * {@code GET /v1/event/subscribe} at start, every {@link V1DeviceSettings#subscriptionInterval()}
 * and whenever {@link #check()} is called (the device's WebSocket reconnected: it may have rebooted
 * and lost its subscription), and when {@code event_dest} or {@code enabled} differ from what the
 * inventory wants, sets them with {@code POST /v1/event/subscribe}. Devices answer errors as HTTP
 * 200 with another {@code code} in the body, so the body's {@code code} decides.
 *
 * <p>The {@code subscription} channel of the device status is connected while the device is
 * subscribed as wanted, failing when it refuses (or the bridge refuses to give it a loopback URL),
 * disconnected when its API cannot be reached; each change is logged once.
 */
public final class V1SubscriptionKeeper {

    /** Channel name in the device status. */
    public static final String CHANNEL = "subscription";

    private static final Logger LOG = LoggerFactory.getLogger(V1SubscriptionKeeper.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PATH = "/v1/event/subscribe";

    private final String deviceId;
    private final String wantedEventDest;
    private final String refusal;
    private final V1DeviceSettings settings;
    private final Vertx vertx;
    private final Context context;
    private final DeviceStatusRegistry status;
    private final HttpClient http;
    private final String host;
    private final int port;

    // touched only on the device's context
    private boolean running;
    private boolean inProgress;
    private boolean again;
    private long periodic = -1;

    /**
     * @param deviceId        the device's inventory id
     * @param address         the device's API base URL
     * @param wantedEventDest the {@code event_dest} it must have
     * @param refusal         when not {@code null}, why the bridge will not subscribe it (shown in status)
     * @param tls             how its certificate is trusted
     * @param settings        interval and timeouts
     * @param vertx           the bridge's Vert.x
     * @param context         the device's Vert.x context
     * @param status          the device status registry
     */
    public V1SubscriptionKeeper(String deviceId, URI address, String wantedEventDest, String refusal, V1DeviceTls tls,
                                V1DeviceSettings settings, Vertx vertx, Context context, DeviceStatusRegistry status) {
        this.deviceId = deviceId;
        this.wantedEventDest = wantedEventDest;
        this.refusal = refusal;
        this.settings = settings;
        this.vertx = vertx;
        this.context = context;
        this.status = status;
        this.host = address.getHost();
        this.port = address.getPort() > 0 ? address.getPort() : tls.ssl() ? 443 : 80;
        this.http = refusal != null ? null : vertx.createHttpClient(tls.apply(new HttpClientOptions()
                .setName("v1-api-" + deviceId)
                .setShared(false)
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setMaxPoolSize(1)
                .setKeepAlive(false)));
    }

    /** Checks now and then on the schedule. */
    public void start() {
        context.runOnContext(v -> {
            if (running) {
                return;
            }
            running = true;
            periodic = vertx.setPeriodic(settings.subscriptionInterval().toMillis(), id -> runCheck());
            runCheck();
        });
    }

    /** Stops checking; the status no longer claims to know the subscription. */
    public void stop() {
        context.runOnContext(v -> {
            running = false;
            status.channel(deviceId, CHANNEL, DeviceState.UNKNOWN, "not checked: device route stopped");
            if (periodic >= 0) {
                vertx.cancelTimer(periodic);
                periodic = -1;
            }
            if (http != null) {
                http.close();
            }
        });
    }

    /** Checks the subscription as soon as possible (coalesced with a check under way). */
    public void check() {
        context.runOnContext(v -> runCheck());
    }

    private void runCheck() {
        if (!running) {
            return;
        }
        if (inProgress) {
            again = true;
            return;
        }
        if (refusal != null) {
            status.channel(deviceId, CHANNEL, DeviceState.FAILING, refusal);
            return;
        }
        inProgress = true;
        again = false;
        status.count(deviceId, "subscription.checks", 1);
        call(HttpMethod.GET, null)
                .compose(this::reconcile)
                .onComplete(ar -> {
                    inProgress = false;
                    if (!running) {
                        return;
                    }
                    if (ar.failed()) {
                        Throwable c = ar.cause();
                        if (c instanceof Refused r) {
                            status.channel(deviceId, CHANNEL, DeviceState.FAILING, r.getMessage());
                        } else {
                            status.channel(deviceId, CHANNEL, DeviceState.DISCONNECTED,
                                    "device API unreachable: " + describe(c));
                        }
                    } else {
                        status.channel(deviceId, CHANNEL, DeviceState.CONNECTED, null);
                    }
                    if (again) {
                        runCheck();
                    }
                });
    }

    private Future<Void> reconcile(JsonNode read) {
        JsonNode data = read.get("data");
        String dest = data != null && data.path("event_dest").isTextual() ? data.get("event_dest").asText() : null;
        boolean enabled = data != null && data.path("enabled").isBoolean() && data.get("enabled").booleanValue();
        if (wantedEventDest.equals(dest) && enabled) {
            return Future.succeededFuture();
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("event_dest", wantedEventDest);
        body.put("enabled", true);
        return call(HttpMethod.POST, body).map(set -> {
            status.count(deviceId, "subscription.corrections", 1);
            LOG.info("Device {} subscribed to {} (it had {})", deviceId, wantedEventDest,
                    dest == null ? "no subscription" : (enabled ? "" : "a disabled subscription to ") + dest);
            return null;
        });
    }

    private Future<JsonNode> call(HttpMethod method, ObjectNode body) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(PATH)
                .setTimeout(settings.apiTimeout().toMillis());
        return http.request(options).compose(req -> {
            if (body != null) {
                req.putHeader("Content-Type", "application/json");
                return req.send(Buffer.buffer(body.toString()));
            }
            return req.send();
        }).compose(resp -> resp.body().map(b -> parse(method, resp.statusCode(), b)));
    }

    private static JsonNode parse(HttpMethod method, int httpStatus, Buffer body) {
        String what = method + " " + PATH;
        if (httpStatus != 200) {
            throw new Refused("device answered HTTP " + httpStatus + " to " + what);
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            throw new Refused("device answered " + what + " with something that is not JSON");
        }
        JsonNode code = json == null ? null : json.get("code");
        if (code == null || !code.canConvertToInt() || code.asInt() != 200) {
            String msg = json == null ? "" : json.path("msg").asText(json.path("message").asText(""));
            if (msg.length() > 80) {
                msg = msg.substring(0, 80);
            }
            throw new Refused("device refused " + what + " (code " + (code == null ? "missing" : code.asText())
                    + (msg.isEmpty() ? "" : ": " + msg) + ")");
        }
        return json;
    }

    private static String describe(Throwable c) {
        Throwable t = c;
        for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused or unreachable";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS handshake failed";
            }
        }
        String name = c.getClass().getSimpleName();
        return name.toLowerCase(java.util.Locale.ROOT).contains("timeout") ? "no answer within "
                + "the API timeout" : name;
    }

    /** The device answered, but not with {@code code} 200. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
