package io.accessbridge.v1.device;

import io.accessbridge.ingest.PublishOutcomeLog;
import io.accessbridge.inventory.DeviceConfig;
import io.accessbridge.inventory.DeviceInventory;
import io.accessbridge.status.DeviceStatusRegistry;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel component {@code v1-device:<device-id>}: the consumer of a v1 device route
 * ({@code device-<id>}, from the route template {@code v1-device}). While its route runs, the
 * consumer holds the device's WebSocket client (when {@code channels.websocket} is on) and keeps
 * its push subscription (when {@code channels.push} is on); each WebSocket message becomes one
 * exchange of the route. The id must name a v1 device of the inventory.
 */
public final class V1DeviceComponent extends DefaultComponent {

    /** URI scheme. */
    public static final String SCHEME = "v1-device";

    private static final Logger LOG = LoggerFactory.getLogger(V1DeviceComponent.class);

    private final DeviceInventory inventory;
    private final DeviceStatusRegistry status;
    private final Vertx vertx;
    private final V1DeviceSettings settings;
    private final PublishOutcomeLog outcomes;
    private final Map<String, String> environment;
    private ExecutorService publishers;

    /**
     * @param inventory   the device inventory
     * @param status      the device status registry
     * @param vertx       the bridge's Vert.x
     * @param settings    the v1 device settings
     * @param outcomes    the broker availability log
     * @param environment where secret references (truststore passwords) are resolved
     */
    public V1DeviceComponent(DeviceInventory inventory, DeviceStatusRegistry status, Vertx vertx,
                             V1DeviceSettings settings, PublishOutcomeLog outcomes, Map<String, String> environment) {
        this.inventory = inventory;
        this.status = status;
        this.vertx = vertx;
        this.settings = settings;
        this.outcomes = outcomes;
        this.environment = environment;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        DeviceConfig device = inventory.device(remaining).orElseThrow(() ->
                new IllegalArgumentException(uri + ": no device '" + remaining + "' in the inventory"));
        if (device.generation() != DeviceConfig.Generation.V1) {
            throw new IllegalArgumentException(uri + ": device '" + remaining + "' is not a v1 device");
        }
        return new V1DeviceEndpoint(uri, this, device);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        publishers = getCamelContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "v1-ws-publish", settings.publishThreads());
        boolean anyPush = inventory.devices(DeviceConfig.Generation.V1).stream().anyMatch(d -> d.channels().push());
        if (anyPush && settings.publicUrl() == null) {
            LOG.warn("bridge.public-url is not set: v1 devices with push on are not subscribed to the bridge");
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (publishers != null) {
            getCamelContext().getExecutorServiceManager().shutdown(publishers);
            publishers = null;
        }
        super.doStop();
    }

    DeviceStatusRegistry status() {
        return status;
    }

    Vertx vertx() {
        return vertx;
    }

    V1DeviceSettings settings() {
        return settings;
    }

    PublishOutcomeLog outcomes() {
        return outcomes;
    }

    Map<String, String> environment() {
        return environment;
    }

    ExecutorService publishers() {
        return publishers;
    }
}
