package io.accessbridge.ops;

import io.accessbridge.config.BeanConfiguration;
import io.accessbridge.BridgeApplication;
import io.accessbridge.broker.BrokerSettings;
import io.accessbridge.broker.EmbeddedBroker;
import io.accessbridge.status.DeviceStatusRegistry;
import io.accessbridge.target.DeadLetters;
import io.accessbridge.target.Settings;
import io.accessbridge.target.TargetSettings;
import io.accessbridge.target.TargetStats;
import io.accessbridge.target.TargetsConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.LifecycleStrategySupport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Operations: the broker readiness check, the status API and page ({@code routes/ops.camel.yaml}), the
 * Prometheus meters served at {@code /observe/metrics}, and the ingest watcher feeding them. Settings:
 * <ul>
 *   <li>{@code bridge.status.recent-events} (50): events kept for {@code /api/events/recent}</li>
 *   <li>{@code bridge.status.idle-after} (15m): a device that only pushes is ACTIVE until this long without
 *       events, then IDLE</li>
 *   <li>{@code bridge.ops.token} (empty): the token {@code /api/*} and {@code /status} require; empty leaves them
 *       open to anyone who reaches the port</li>
 *   <li>{@code bridge.status.replay-enabled} (true): whether {@code POST /api/targets/{name}/replay} may move
 *       dead letters</li>
 *   <li>{@code bridge.health.broker-timeout-ms} (2000): an external broker that does not answer within this is
 *       DOWN</li>
 *   <li>{@code bridge.health.broker-cache-ms} (3000): how long a broker check's answer is reused</li>
 * </ul>
 */
public class OpsConfiguration extends BeanConfiguration {

    /** The meter registry camel-micrometer-prometheus binds and serves at {@code /observe/metrics}. */
    public static final String METRICS_REGISTRY = "metricsRegistry";

    private final Clock clock = Clock.systemUTC();
    private final Instant startedAt = clock.instant();

    private Settings settings() {
        return Settings.of(properties());
    }

    private BrokerSettings brokerSettings() {
        return once("ops.brokerSettings", () -> BrokerSettings.from(properties()));
    }

    /** The last events stored, masked. */
    @BindToRegistry("recentEvents")
    public RecentEvents recentEvents() {
        return once("recentEvents", () -> new RecentEvents(settings().integer("bridge.status.recent-events", 50)));
    }

    /** Events per minute over the last hour. */
    @BindToRegistry("eventRate")
    public EventRate eventRate() {
        return once("eventRate", EventRate::new);
    }

    /** Duplicates dropped by the embedded broker. */
    @BindToRegistry("duplicateCounter")
    public DuplicateCounter duplicateCounter() {
        return once("duplicateCounter", DuplicateCounter::new);
    }

    /** Watches the sends to {@code direct:publish} and {@code direct:quarantine}. */
    @BindToRegistry("ingestTracker")
    public IngestTracker ingestTracker() {
        return once("ingestTracker", () -> new IngestTracker(recentEvents(),
                settings().duration("bridge.status.idle-after", Duration.ofMinutes(15)), clock));
    }

    /** Broker state and queue depths, cached. */
    @BindToRegistry("brokerProbe")
    public BrokerProbe brokerProbe() {
        Settings s = settings();
        return once("brokerProbe", () -> new BrokerProbe(brokerSettings(), this::embeddedBroker,
                s.integer("bridge.health.broker-timeout-ms", 2000), s.integer("bridge.health.broker-cache-ms", 3000),
                clock));
    }

    /** Readiness check {@code bridge/broker}. */
    public BrokerHealthCheck brokerHealthCheck() {
        return once("brokerHealthCheck", () -> new BrokerHealthCheck(brokerProbe()));
    }

    /** Devices, targets and broker as an operator sees them. */
    @BindToRegistry("opsStatus")
    public OpsStatus opsStatus() {
        return once("opsStatus", () -> new OpsStatus(lookup("deviceStatus", DeviceStatusRegistry.class),
                ingestTracker(), lookup("targetStats", TargetStats.class), this::targets, brokerProbe(), clock));
    }

    /** The bridge's Prometheus meters. */
    @BindToRegistry("opsMetrics")
    public OpsMetrics opsMetrics() {
        return once("opsMetrics", () -> new OpsMetrics(lookup("deviceStatus", DeviceStatusRegistry.class),
                ingestTracker(), duplicateCounter(), lookup("targetStats", TargetStats.class), opsStatus(),
                brokerSettings().queues().stream().map(BrokerSettings.QueueSpec::name).toList(),
                brokerSettings().eventsAddress()));
    }

    /** Who may use {@code /api/*} and {@code /status} ({@code bridge.ops.token}). */
    @BindToRegistry("opsAccess")
    public OpsAccess opsAccess() {
        return once("opsAccess", () -> new OpsAccess(properties().optional("bridge.ops.token").orElse(null)));
    }

    /** {@code /api/status}, {@code /api/events/recent}, {@code /api/targets/{name}/replay}. */
    @BindToRegistry("statusApi")
    public StatusApi statusApi() {
        BrokerSettings b = brokerSettings();
        boolean replay = settings().bool("bridge.status.replay-enabled", true);
        return once("statusApi", () -> new StatusApi(opsStatus(), ingestTracker(), recentEvents(), eventRate(),
                duplicateCounter(), this::targets, list -> new DeadLetters(replayConnections(), list, clock),
                new StatusApi.Info(getCamelContext().getName(), version(), startedAt, b.embedded() ? null : b.url(),
                        b.eventsAddress(), b.queues().stream().map(BrokerSettings.QueueSpec::name).toList(), replay),
                clock));
    }

    /** The status page at {@code /status}. */
    @BindToRegistry("statusPage")
    public StatusPage statusPage() {
        return once("statusPage", StatusPage::new);
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        camelContext.getManagementStrategy().addEventNotifier(ingestTracker());
        opsMetrics().inflightFrom(route -> camelContext.getInflightRepository().size(route));
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextInitialized(CamelContext c) {
                HealthCheckRegistry health = HealthCheckRegistry.get(c);
                if (health != null) {
                    health.register(brokerHealthCheck());
                }
            }

            @Override
            public void onContextStarted(CamelContext c) {
                MeterRegistry meters = c.getRegistry().lookupByNameAndType(METRICS_REGISTRY, MeterRegistry.class);
                if (meters != null) {
                    ingestTracker().bindTo(meters);
                    opsMetrics().bindTo(meters);
                }
            }
        });
        camelContext.addService(new OpsMonitor(camelContext, opsStatus(), eventRate(), opsMetrics(),
                duplicateCounter(), this::embeddedBroker, clock), true, true);
        BrokerProbe probe = brokerProbe();
        camelContext.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                probe.close();
                ActiveMQConnectionFactory cf = (ActiveMQConnectionFactory) made("replayConnections");
                if (cf != null) {
                    cf.close();
                }
            }
        }, true, true);
    }

    /** The targets of {@code bridge.targets}. */
    List<TargetSettings> targets() {
        return once("ops.targets", () -> {
            Settings s = settings();
            return s.list("bridge.targets", String.join(",", TargetsConfiguration.BUILT_IN)).stream()
                    .map(n -> TargetSettings.from(s, n)).toList();
        });
    }

    private ActiveMQConnectionFactory replayConnections() {
        return once("replayConnections", () -> {
            BrokerSettings b = brokerSettings();
            ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(b.url());
            cf.setCallTimeout(b.sendTimeoutMs());
            cf.setReconnectAttempts(0);
            if (b.user() != null) {
                cf.setUser(b.user());
                cf.setPassword(b.password());
            }
            return cf;
        });
    }

    private EmbeddedBroker embeddedBroker() {
        return getCamelContext().hasService(EmbeddedBroker.class);
    }

    /** The jar's version, or {@code dev} when run from classes. */
    public static String version() {
        String v = BridgeApplication.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
