package io.accessbridge.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.canonical.CloudEventCodec;
import io.accessbridge.ingest.IngestProperties;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.inventory.DeviceConfig;
import io.accessbridge.inventory.DeviceInventory;
import io.accessbridge.status.DeviceState;
import io.accessbridge.status.DeviceStatusRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;

/**
 * Remote verification of v1 recognitions (spec 001), a step of the HTTP push route after the
 * event is stored. For a device with {@code remoteVerification} in the inventory, the canonical
 * event (CloudEvent JSON) is POSTed to the decision endpoint, which answers
 * {@code {"pass":true|false,"tips":"..."}}; the answer becomes the push reply's {@code data.pass}
 * and {@code data.customtips} (at most 10 characters, cut on character boundaries, control
 * characters removed). When the endpoint does not answer within the device's {@code timeoutMs},
 * fails, or answers something else, the fail-safe applies at the timeout: {@code ECHO} answers
 * the device's own decision, {@code DENY} answers {@code pass:false}. Devices without
 * {@code remoteVerification}, and alarms, keep the default: the device's own decision is echoed.
 *
 * <p>The endpoint's reachability is the {@code remote-verification} channel of the device status
 * (logged once per change); counters {@code remoteVerification.decisions} and
 * {@code remoteVerification.failSafe}.
 */
public final class V1RemoteVerifier {

    /** Channel name in the device status. */
    public static final String CHANNEL = "remote-verification";
    /** Longest {@code customtips} devices show (spec 001). */
    public static final int MAX_TIPS = 10;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DeviceInventory inventory;
    private final DeviceStatusRegistry status;
    private final HttpClient http;

    /**
     * @param inventory the inventory (each device's endpoint, timeout and fail-safe)
     * @param status    the device status registry
     */
    public V1RemoteVerifier(DeviceInventory inventory, DeviceStatusRegistry status) {
        this.inventory = inventory;
        this.status = status;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sets {@link V1Replies#PASS_OVERRIDE} and {@link V1Replies#CUSTOM_TIPS} for a verified device; never throws. */
    public void decide(Exchange exchange) {
        NormalizedEvent n = exchange.getProperty(IngestProperties.NORMALIZED, NormalizedEvent.class);
        if (n == null || n.event().deviceId() == null) {
            return;
        }
        DeviceConfig device = inventory.device(n.event().deviceId()).orElse(null);
        if (device == null || device.remoteVerification() == null) {
            return;
        }
        Object devicePass = n.event().data().vendor() == null ? null : n.event().data().vendor().get("pass");
        if (!(devicePass instanceof Boolean own) || n.event().data().alarm() != null) {
            return;
        }
        DeviceConfig.RemoteVerification rv = device.remoteVerification();
        Decision d = ask(device.id(), rv, CloudEventCodec.serialize(n.event()));
        if (d == null) {
            status.count(device.id(), "remoteVerification.failSafe", 1);
            exchange.setProperty(V1Replies.PASS_OVERRIDE,
                    rv.failSafe() == DeviceConfig.RemoteVerification.FailSafe.DENY ? Boolean.FALSE : own);
            return;
        }
        status.count(device.id(), "remoteVerification.decisions", 1);
        exchange.setProperty(V1Replies.PASS_OVERRIDE, d.pass());
        if (d.tips() != null) {
            exchange.setProperty(V1Replies.CUSTOM_TIPS, d.tips());
        }
    }

    private record Decision(boolean pass, String tips) {
    }

    private Decision ask(String deviceId, DeviceConfig.RemoteVerification rv, byte[] event) {
        long timeoutMs = rv.timeoutMs();
        HttpRequest request = HttpRequest.newBuilder(rv.endpoint())
                .timeout(Duration.ofMillis(timeoutMs))
                .header("Content-Type", "application/cloudevents+json; charset=UTF-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(event))
                .build();
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = call.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            status.channel(deviceId, CHANNEL, DeviceState.DISCONNECTED, "no answer within " + timeoutMs + " ms");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            String why = c instanceof java.net.http.HttpTimeoutException ? "no answer within " + timeoutMs + " ms"
                    : c instanceof java.net.ConnectException ? "connection refused or unreachable"
                    : c.getClass().getSimpleName();
            status.channel(deviceId, CHANNEL, DeviceState.DISCONNECTED, why);
            return null;
        }
        if (response.statusCode() != 200) {
            status.channel(deviceId, CHANNEL, DeviceState.FAILING, "decision endpoint answered HTTP " + response.statusCode());
            return null;
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            json = null;
        }
        if (json == null || !json.path("pass").isBoolean()) {
            status.channel(deviceId, CHANNEL, DeviceState.FAILING, "decision endpoint answer has no boolean 'pass'");
            return null;
        }
        status.channel(deviceId, CHANNEL, DeviceState.CONNECTED, null);
        JsonNode tips = json.get("tips");
        return new Decision(json.get("pass").booleanValue(), tips != null && tips.isTextual() ? tips(tips.asText()) : null);
    }

    /** At most {@value #MAX_TIPS} characters (code points, never half a surrogate pair), control characters removed. */
    static String tips(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().filter(cp -> !Character.isISOControl(cp)).limit(MAX_TIPS).forEach(sb::appendCodePoint);
        return sb.toString();
    }
}
