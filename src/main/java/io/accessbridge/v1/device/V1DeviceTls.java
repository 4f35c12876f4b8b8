package io.accessbridge.v1.device;

import io.accessbridge.inventory.DeviceConfig;
import io.accessbridge.tls.DeviceTls;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.TrustOptions;
import java.util.Map;

/**
 * How the bridge trusts one v1 device's https/wss certificate, as Vert.x client options: the trust
 * of {@link DeviceTls} (the inventory's {@code tls.truststore} or {@code tls.pinnedSha256}, never
 * trust-all, host names checked per {@code tls.verifyHostname}). A device on plain http/ws gets no TLS at all.
 *
 * @param ssl            whether the device is addressed over https/wss
 * @param trust          the trust options, {@code null} for the JDK's default CAs (a device with a CA-issued certificate)
 * @param verifyHostname whether the certificate must name the host the device is addressed by
 */
public record V1DeviceTls(boolean ssl, TrustOptions trust, boolean verifyHostname) {

    /** The TLS of a device, resolving the truststore password from {@code environment}. */
    public static V1DeviceTls of(DeviceConfig device, Map<String, String> environment) {
        return of(DeviceTls.of(device, environment));
    }

    /** The Vert.x form of a device's TLS. */
    public static V1DeviceTls of(DeviceTls tls) {
        TrustOptions trust = tls.trustManager() == null ? null : TrustOptions.wrap(tls.trustManager());
        return new V1DeviceTls(tls.https(), trust, tls.verifyHostname());
    }

    /** Applies this TLS to WebSocket client options. */
    public WebSocketClientOptions apply(WebSocketClientOptions o) {
        o.setTrustAll(false);
        if (ssl) {
            o.setSsl(true).setVerifyHost(verifyHostname);
            if (trust != null) {
                o.setTrustOptions(trust);
            }
        }
        return o;
    }

    /** Applies this TLS to HTTP client options. */
    public HttpClientOptions apply(HttpClientOptions o) {
        o.setTrustAll(false);
        if (ssl) {
            o.setSsl(true).setVerifyHost(verifyHostname);
            if (trust != null) {
                o.setTrustOptions(trust);
            }
        }
        return o;
    }
}
