package io.accessbridge;

import io.accessbridge.config.BeanConfiguration;
import io.accessbridge.broker.EventPublisher;
import io.accessbridge.broker.BrokerSettings;
import io.accessbridge.broker.BrokerTopology;
import io.accessbridge.broker.EmbeddedBroker;
import io.accessbridge.broker.JmsConnectionFactories;
import io.accessbridge.checkpoint.CheckpointStore;
import io.accessbridge.checkpoint.FileCheckpointStore;
import io.accessbridge.checkpoint.InMemoryCheckpointStore;
import io.accessbridge.config.BridgeProperties;
import io.accessbridge.images.ImageStore;
import io.accessbridge.ingest.EventPublishStep;
import io.accessbridge.ingest.FormBodyCapture;
import io.accessbridge.ingest.HttpFailureLog;
import io.accessbridge.ingest.CanonicalMessage;
import io.accessbridge.ingest.InFlightIds;
import io.accessbridge.ingest.PublishOncePolicy;
import io.accessbridge.ingest.PublishOutcomeLog;
import io.accessbridge.ingest.Quarantine;
import io.accessbridge.inventory.DeviceConfig;
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
import io.accessbridge.v3.V3ReportReceiver;
import io.accessbridge.v3.V3ReportReplies;
import io.accessbridge.v3.V3Settings;
import io.accessbridge.v3.poll.V3DeviceRoutes;
import io.accessbridge.v3.poll.V3PollComponent;
import io.accessbridge.v3.poll.V3PollScheduler;
import io.accessbridge.v3.poll.V3Pollers;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import jakarta.jms.ConnectionFactory;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The bridge's beans, bound for the YAML routes, and the broker services started before them.
 * Settings come from {@code config/application.properties} (or env / {@code -D}) through
 * {@link BridgeProperties}.
 */
public class BridgeConfiguration extends BeanConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeConfiguration.class);

    /** Broker connection and topology settings. */
    @BindToRegistry("brokerSettings")
    public BrokerSettings brokerSettings() {
        return once("brokerSettings", () -> BrokerSettings.from(properties()));
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
                .setWorkerPoolSize(properties().integer("bridge.http.worker-threads", 64))
                .setPreferNativeTransport(true)));
    }

    /** What personal data may leave the bridge. */
    @BindToRegistry("privacyPolicy")
    public PrivacyPolicy privacyPolicy() {
        BridgeProperties p = properties();
        return once("privacyPolicy", () -> new PrivacyPolicy(
                p.bool("bridge.privacy.forward-images", false),
                PrivacyPolicy.IdNumberMode.valueOf(p.string("bridge.privacy.id-number", "DROP").toUpperCase()),
                p.optional("bridge.privacy.hash-key").orElse(null),
                p.bool("bridge.privacy.forward-names", true)));
    }

    /** Claim-check store of snapshots. */
    @BindToRegistry("imageStore")
    public ImageStore imageStore() {
        return once("imageStore", () -> new ImageStore(Path.of(properties().string("bridge.images.dir", "data/images"))));
    }

    /** The device inventory, {@code config/devices.yaml}; a wrong inventory stops start-up. */
    @BindToRegistry("deviceInventory")
    public DeviceInventory deviceInventory() {
        return once("deviceInventory", () -> {
            DeviceInventory inventory = new DeviceInventoryLoader(System.getenv())
                    .load(Path.of(properties().string("bridge.devices.file", "config/devices.yaml")));
            inventory.sharedHosts().forEach(host -> LOG.warn("Devices {} have the same address {}: what arrives from it "
                    + "without an id of its own (device path, deviceSN, a v3 device-id that is an inventory id or "
                    + "serialNumber) is put on none of them; their v3 event-reports are refused (403) and polled instead",
                    inventory.devices().stream().filter(d -> d.host().filter(host::equals).isPresent())
                            .map(DeviceConfig::id).toList(), host));
            return inventory;
        });
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

    /** v1 HTTP push: protocol step of route {@code ingest-v1-http}. */
    @BindToRegistry("v1PushReceiver")
    public V1PushReceiver v1PushReceiver() {
        return once("v1PushReceiver", () -> new V1PushReceiver(properties().string("bridge.v1.push.path", "/v1/events"),
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
        return once("v1DeviceSettings", () -> V1DeviceSettings.from(properties()));
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
        return once("publishOnce", () -> new PublishOncePolicy(inFlightIds()));
    }

    /** The ids being sent right now, shared by the publish route and the v3 batch publisher (see {@link InFlightIds}). */
    @BindToRegistry("inFlightIds")
    public InFlightIds inFlightIds() {
        return once("inFlightIds", () -> new InFlightIds(
                java.time.Duration.ofMillis(2 * brokerSettings().sendTimeoutMs() + 1000)));
    }

    /** Builds quarantine messages from rejected input. */
    @BindToRegistry("quarantine")
    public Quarantine quarantine() {
        return once("quarantine", () -> new Quarantine());
    }

    /** Builds broker messages of canonical events (body and properties), for every publisher. */
    @BindToRegistry("canonicalMessage")
    public CanonicalMessage canonicalMessage() {
        return once("canonicalMessage", () -> new CanonicalMessage(imageStore()));
    }

    /** Publishes events and returns once the broker stored them: every ingest route's publish step and the v3 pages. */
    @BindToRegistry("eventPublisher")
    public EventPublisher eventPublisher() {
        return once("eventPublisher", () -> new EventPublisher(brokerSettings(), canonicalMessage(), inFlightIds()));
    }

    /** The broker step of route {@code publish-canonical-event}. */
    @BindToRegistry("eventPublishStep")
    public EventPublishStep eventPublishStep() {
        return once("eventPublishStep", () -> new EventPublishStep(eventPublisher()));
    }

    /** Legacy v3.x settings ({@code bridge.v3.*}, {@code bridge.checkpoint.*}). */
    @BindToRegistry("v3Settings")
    public V3Settings v3Settings() {
        return once("v3Settings", () -> V3Settings.from(properties()));
    }

    /**
     * Per-device read positions: {@code bridge.checkpoint.store} = {@code file} (default, under
     * {@code bridge.checkpoint.dir}), {@code memory}, or the class name of a {@link CheckpointStore}
     * with a public no-argument constructor.
     */
    @BindToRegistry("checkpointStore")
    public CheckpointStore checkpointStore() {
        return once("checkpointStore", () -> {
            V3Settings v3 = v3Settings();
            String kind = v3.checkpointStore();
            if (kind.equals("file")) {
                try {
                    return new FileCheckpointStore(v3.checkpointDir());
                } catch (IOException e) {
                    throw new UncheckedIOException("checkpoint directory " + v3.checkpointDir() + " cannot be used", e);
                }
            }
            if (kind.equals("memory")) {
                return new InMemoryCheckpointStore();
            }
            try {
                return (CheckpointStore) Class.forName(kind).getConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalStateException("setting bridge.checkpoint.store: " + kind
                        + " is not file, memory or a CheckpointStore class with a public no-argument constructor", e);
            }
        });
    }

    /** Paces the polls of v3 devices; caps how many are polled at once. */
    @BindToRegistry("v3PollScheduler")
    public V3PollScheduler v3PollScheduler() {
        V3Settings v3 = v3Settings();
        return once("v3PollScheduler", () -> new V3PollScheduler(v3.maxConcurrentPolls(), v3.backoffInitialMs(),
                v3.backoffMaxMs()));
    }

    /** The {@code v3-poll} component, consumer of the {@code device-<id>} routes. */
    @BindToRegistry("v3-poll")
    public V3PollComponent v3PollComponent() {
        return once("v3-poll", () -> new V3PollComponent(v3PollScheduler()));
    }

    /** The v3 devices at run time: steps of the poll routes and of the event-report route. */
    @BindToRegistry("v3Pollers")
    public V3Pollers v3Pollers() {
        return once("v3Pollers", () -> new V3Pollers(getCamelContext(), deviceInventory(), v3Settings(), checkpointStore(),
                eventPublisher(), v3PollScheduler(), deviceStatus(), System.getenv(), Clock.systemUTC()));
    }

    /** v3 event-report: protocol step of route {@code ingest-v3-report}. */
    @BindToRegistry("v3ReportReceiver")
    public V3ReportReceiver v3ReportReceiver() {
        return once("v3ReportReceiver", () -> new V3ReportReceiver(deviceInventory(), canonicalMessage()));
    }

    /** v3 event-report: the protocol's answers. */
    @BindToRegistry("v3ReportReplies")
    public V3ReportReplies v3ReportReplies() {
        return once("v3ReportReplies", () -> new V3ReportReplies());
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        BrokerSettings broker = brokerSettings();
        if (broker.embedded()) {
            camelContext.addService(new EmbeddedBroker(broker), true, true);
        }
        camelContext.addService(new BrokerTopology(broker), true, true);
        ConnectionFactory pool = jmsConnectionFactory();
        camelContext.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                // before the embedded broker stops: its graceful shutdown waits for open client connections
                if (pool instanceof JmsPoolConnectionFactory jmsPool) {
                    jmsPool.stop();
                }
            }
        }, true, true);
        camelContext.addService(v3PollScheduler(), true, true);
        V3Pollers pollers = v3Pollers();
        camelContext.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                // after the routes: no ingest route publishes any more
                pollers.close();
                eventPublisher().close();
            }
        }, true, true);
        camelContext.addStartupListener(new StartupListener() {
            private boolean installed;

            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // routes from templates are added once every route of routes/ is running
                if (!alreadyStarted) {
                    // form and multipart bodies on the device inputs are kept as sent (quarantine)
                    FormBodyCapture.install(ctx, "ingest-v1-http", "ingest-v3-report");
                    // cut-off requests and oversized bodies logged in the bridge's words, not as router ERRORs
                    HttpFailureLog.install(ctx);
                }
            }

            @Override
            public synchronized void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted)
                    throws Exception {
                if (!installed) {
                    installed = true;
                    V3DeviceRoutes.install(ctx, pollers);
                }
            }
        });
        Vertx vertx = vertx();
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                // last: the HTTP server and the device clients run on it until the context has stopped
                vertx.close();
            }
        });
    }
}
