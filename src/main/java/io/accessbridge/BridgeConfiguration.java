package io.accessbridge;

import io.accessbridge.broker.BrokerSettings;
import io.accessbridge.broker.BrokerTopology;
import io.accessbridge.broker.EmbeddedBroker;
import io.accessbridge.broker.JmsConnectionFactories;
import io.accessbridge.config.BridgeProperties;
import io.accessbridge.images.ImageStore;
import io.accessbridge.ingest.CanonicalMessage;
import io.accessbridge.ingest.PublishOncePolicy;
import io.accessbridge.ingest.PublishOutcomeLog;
import io.accessbridge.ingest.Quarantine;
import io.accessbridge.inventory.DeviceInventory;
import io.accessbridge.inventory.DeviceInventoryLoader;
import io.accessbridge.privacy.PrivacyPolicy;
import io.accessbridge.status.DeviceStatusApi;
import io.accessbridge.status.DeviceStatusRegistry;
import io.accessbridge.status.StoredEvents;
import io.accessbridge.v1.V1EventNormalizer;
import io.accessbridge.v1.V1PushReceiver;
import io.accessbridge.v1.V1PushReplies;
import io.accessbridge.v1.V1RemoteVerifier;
import io.accessbridge.v1.V1WsReceiver;
import io.accessbridge.v1.device.V1DeviceComponent;
import io.accessbridge.v1.device.V1DeviceRoutes;
import io.accessbridge.v1.device.V1DeviceSettings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import java.util.function.Supplier;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The bridge's beans, bound for the YAML routes, and the broker services started before them.
 * Settings come from {@code config/application.properties} (or env / {@code -D}) through
 * {@link BridgeProperties}.
 */
public class BridgeConfiguration implements CamelConfiguration, CamelContextAware {

    private final Map<String, Object> beans = new HashMap<>();
    private CamelContext context;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    private BridgeProperties settings() {
        return new BridgeProperties(context);
    }

    /** Broker connection and topology settings. */
    @BindToRegistry("brokerSettings")
    public BrokerSettings brokerSettings() {
        return once("brokerSettings", () -> BrokerSettings.from(settings()));
    }

    /** The pooled JMS connection factory of the {@code jms} component. */
    @BindToRegistry("jmsConnectionFactory")
    public ConnectionFactory jmsConnectionFactory() {
        return once("jmsConnectionFactory", () -> JmsConnectionFactories.pooled(brokerSettings()));
    }

    /** One Vert.x for the HTTP server and the device clients; its worker pool runs the ingest routes. */
    @BindToRegistry("vertx")
    public Vertx vertx() {
        return once("vertx", () -> Vertx.vertx(new VertxOptions()
                .setWorkerPoolSize(settings().integer("bridge.http.worker-threads", 64))
                .setPreferNativeTransport(true)));
    }

    /** What personal data may leave the bridge. */
    @BindToRegistry("privacyPolicy")
    public PrivacyPolicy privacyPolicy() {
        BridgeProperties p = settings();
        return once("privacyPolicy", () -> new PrivacyPolicy(
                p.bool("bridge.privacy.forward-images", false),
                PrivacyPolicy.IdNumberMode.valueOf(p.string("bridge.privacy.id-number", "DROP").toUpperCase()),
                p.optional("bridge.privacy.hash-key").orElse(null),
                p.bool("bridge.privacy.forward-names", true)));
    }

    /** Claim-check store of snapshots. */
    @BindToRegistry("imageStore")
    public ImageStore imageStore() {
        return once("imageStore", () -> new ImageStore(Path.of(settings().string("bridge.images.dir", "data/images"))));
    }

    /** The device inventory, {@code config/devices.yaml}; a wrong inventory stops start-up. */
    @BindToRegistry("deviceInventory")
    public DeviceInventory deviceInventory() {
        return once("deviceInventory", () -> new DeviceInventoryLoader(System.getenv())
                .load(Path.of(settings().string("bridge.devices.file", "config/devices.yaml"))));
    }

    /** Live state of every device, for the status API, metrics and logs. */
    @BindToRegistry("deviceStatus")
    public DeviceStatusRegistry deviceStatus() {
        return once("deviceStatus", () -> {
            DeviceStatusRegistry registry = new DeviceStatusRegistry();
            deviceInventory().devices().forEach(d -> registry.register(d.id(), d.generation().name().toLowerCase()));
            return registry;
        });
    }

    /** The v1 normaliser shared by HTTP push and WebSocket. */
    @BindToRegistry("v1EventNormalizer")
    public V1EventNormalizer v1EventNormalizer() {
        return once("v1EventNormalizer", () -> new V1EventNormalizer(privacyPolicy()));
    }

    /** Writes the broker message of a canonical event (claim-checks snapshots). */
    @BindToRegistry("canonicalMessage")
    public CanonicalMessage canonicalMessage() {
        return once("canonicalMessage", () -> new CanonicalMessage(imageStore()));
    }

    /** v1 HTTP push: protocol step of route {@code ingest-v1-http}. */
    @BindToRegistry("v1PushReceiver")
    public V1PushReceiver v1PushReceiver() {
        return once("v1PushReceiver", () -> new V1PushReceiver(settings().string("bridge.v1.push.path", "/v1/events"),
                v1EventNormalizer(),
                deviceInventory(),
                canonicalMessage()));
    }

    /** v1 WebSocket: protocol step of the device routes {@code device-<id>}. */
    @BindToRegistry("v1WsReceiver")
    public V1WsReceiver v1WsReceiver() {
        return once("v1WsReceiver", () -> new V1WsReceiver(v1EventNormalizer(), deviceInventory(), canonicalMessage(),
                deviceStatus()));
    }

    /** Settings of the v1 device services (WebSocket, subscription). */
    @BindToRegistry("v1DeviceSettings")
    public V1DeviceSettings v1DeviceSettings() {
        return once("v1DeviceSettings", () -> V1DeviceSettings.from(settings()));
    }

    /** Component {@code v1-device:<id>}: a v1 device's WebSocket client and subscription keeper. */
    @BindToRegistry(V1DeviceComponent.SCHEME)
    public V1DeviceComponent v1DeviceComponent() {
        return once(V1DeviceComponent.SCHEME, () -> new V1DeviceComponent(deviceInventory(), deviceStatus(), vertx(),
                v1DeviceSettings(), publishOutcomes(), System.getenv()));
    }

    /** One route {@code device-<id>} per v1 device, from the route template {@code v1-device}. */
    @BindToRegistry("v1DeviceRoutes")
    public V1DeviceRoutes v1DeviceRoutes() {
        return once("v1DeviceRoutes", () -> new V1DeviceRoutes(deviceInventory()));
    }

    /** Remote verification of v1 recognitions (spec 001), per device. */
    @BindToRegistry("v1RemoteVerification")
    public V1RemoteVerifier v1RemoteVerification() {
        return once("v1RemoteVerification", () -> new V1RemoteVerifier(deviceInventory(), deviceStatus()));
    }

    /** Records stored events in the device status. */
    @BindToRegistry("storedEvents")
    public StoredEvents storedEvents() {
        return once("storedEvents", () -> new StoredEvents(deviceStatus(), deviceInventory(), publishOutcomes()));
    }

    /** {@code GET /api/devices}. */
    @BindToRegistry("deviceStatusApi")
    public DeviceStatusApi deviceStatusApi() {
        return once("deviceStatusApi", () -> new DeviceStatusApi(deviceStatus()));
    }

    /** v1 HTTP push: the protocol's answers. */
    @BindToRegistry("v1PushReplies")
    public V1PushReplies v1PushReplies() {
        return once("v1PushReplies", () -> new V1PushReplies(publishOutcomes()));
    }

    /** Logs the broker's availability once per change, for every ingest path. */
    @BindToRegistry("publishOutcomes")
    public PublishOutcomeLog publishOutcomes() {
        return once("publishOutcomes", PublishOutcomeLog::new);
    }

    /** Keeps two copies of one event from being sent to the broker at the same moment. */
    @BindToRegistry("publishOnce")
    public PublishOncePolicy publishOnce() {
        return once("publishOnce", PublishOncePolicy::new);
    }

    /** Builds quarantine messages from rejected input. */
    @BindToRegistry("quarantine")
    public Quarantine quarantine() {
        return once("quarantine", () -> new Quarantine());
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        BrokerSettings broker = brokerSettings();
        if (broker.embedded()) {
            camelContext.addService(new EmbeddedBroker(broker), true, true);
        }
        camelContext.addService(new BrokerTopology(broker), true, true);
        Vertx vertx = vertx();
        camelContext.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                vertx.close();
            }
        }, true, true);
    }

    /** Each bean is made once, whether Camel binds it first or another bean asks for it first. */
    @SuppressWarnings("unchecked")
    private synchronized <T> T once(String name, Supplier<T> factory) {
        Object bean = beans.get(name);
        if (bean == null) {
            bean = factory.get();
            beans.put(name, bean);
        }
        return (T) bean;
    }
}
