package io.accessbridge.v3;

import io.accessbridge.inventory.DeviceConfig;
import io.accessbridge.tls.DeviceTls;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The JDK HTTP clients of the v3 devices. Devices on http, and https devices trusted by the JVM's
 * default CAs, share one client; an https device whose inventory entry has a {@code tls} block gets
 * a client of its own whose TLS context trusts exactly what that block trusts ({@link DeviceTls}: the
 * pinned certificate or the truststore, host names checked unless {@code verifyHostname: false}).
 * A JDK client's trust is fixed when it is built, hence one per such device. Never trust-all.
 * Thread-safe.
 */
public final class V3HttpClients {

    private final Duration connectTimeout;
    private final Map<String, String> environment;
    private HttpClient shared;

    /**
     * @param connectTimeout TCP connect timeout of every client
     * @param environment    resolves truststore password references
     */
    public V3HttpClients(Duration connectTimeout, Map<String, String> environment) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * The client to call {@code device} with: its own for an https device with a {@code tls} block
     * (built now, reading its truststore), else the shared one.
     *
     * @throws IllegalStateException when the device's truststore cannot be read; the message names the
     *                               device and the file, never the password
     */
    public HttpClient clientFor(DeviceConfig device) {
        DeviceTls tls;
        try {
            tls = DeviceTls.of(device, environment);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("v3 device '" + device.id() + "': tls: " + e.getMessage(), e);
        }
        if (!tls.trustsByInventory()) {
            return shared();
        }
        return V3EventClient.newHttpClient(connectTimeout, tls.sslContext());
    }

    /** The client shared by every device without a trust of its own. */
    public synchronized HttpClient shared() {
        if (shared == null) {
            shared = V3EventClient.newHttpClient(connectTimeout);
        }
        return shared;
    }
}
