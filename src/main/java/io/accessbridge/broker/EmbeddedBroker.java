package io.accessbridge.broker;

import java.io.File;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.io.aio.AIOSequentialFileFactory;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Artemis broker inside the bridge: persistent journal under {@link BrokerSettings#dataDir()},
 * one acceptor for CORE, AMQP, STOMP and MQTT, duplicate detection sized by
 * {@link BrokerSettings#idCacheSize()}, messages beyond {@link BrokerSettings#globalMaxSizeBytes()} paged to
 * disk instead of held in the heap, and unroutable events sent to the dead-letter address
 * instead of being dropped. Started before the routes, stopped after them.
 */
public final class EmbeddedBroker extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final BrokerSettings settings;
    private EmbeddedActiveMQ broker;

    /** A broker for these settings; nothing starts until {@link #start()}. */
    public EmbeddedBroker(BrokerSettings settings) {
        this.settings = settings;
    }

    /** The Artemis configuration the broker starts with. */
    Configuration configuration() throws Exception {
        String dir = settings.dataDir().toAbsolutePath().toString();
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("access-event-bridge");
        config.setPersistenceEnabled(true);
        config.setJournalType(JournalType.valueOf(settings.journalType()));
        config.setJournalDirectory(dir + "/journal");
        config.setJournalBufferTimeout_NIO(settings.journalBufferTimeoutNanos());
        config.setJournalBufferTimeout_AIO(settings.journalBufferTimeoutNanos());
        config.setPageSyncTimeout(settings.journalBufferTimeoutNanos());
        config.setBindingsDirectory(dir + "/bindings");
        config.setPagingDirectory(dir + "/paging");
        config.setLargeMessagesDirectory(dir + "/large-messages");
        config.setNodeManagerLockDirectory(dir);
        config.setSecurityEnabled(false);
        if (settings.globalMaxSizeBytes() > 0) {
            config.setGlobalMaxSize(settings.globalMaxSizeBytes());
        }
        config.setIDCacheSize(settings.idCacheSize());
        config.setPersistIDCache(true);
        config.setJMXManagementEnabled(false);
        config.setGracefulShutdownEnabled(true);
        config.setGracefulShutdownTimeout(10_000);
        config.addAcceptorConfiguration("multi-protocol", "tcp://" + settings.host() + ":" + settings.port()
                + "?protocols=CORE,AMQP,STOMP,MQTT;tcpSendBufferSize=1048576;tcpReceiveBufferSize=1048576"
                + ";useEpoll=true;amqpCredits=1000;amqpLowCredits=300;amqpDuplicateDetection=true");
        config.addAcceptorConfiguration("in-vm", BrokerSettings.inVmUrl(settings.port()));
        AddressSettings events = new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(settings.deadLetterAddress()))
                .setExpiryAddress(SimpleString.of(settings.deadLetterAddress()))
                .setSendToDLAOnNoRoute(true)
                .setAutoCreateDeadLetterResources(true)
                .setMaxDeliveryAttempts(10)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setDefaultAddressRoutingType(RoutingType.MULTICAST);
        config.addAddressSetting(settings.eventsAddress(), events);
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(settings.deadLetterAddress()))
                .setExpiryAddress(SimpleString.of(settings.deadLetterAddress()))
                .setMaxDeliveryAttempts(10)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE));
        return config;
    }

    @Override
    protected void doStart() throws Exception {
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(configuration());
        broker.start();
        LOG.info("Embedded Artemis broker started: {}:{} (CORE, AMQP, STOMP, MQTT), journal {} ({})",
                settings.host(), settings.port(), settings.dataDir().toAbsolutePath(), journalInUse());
    }

    /**
     * The journal Artemis writes with: ASYNCIO only when libaio and Artemis' native library
     * ({@code libartemis-native-64.so}, inside the activemq-artemis-native jar) load from {@code java.library.path};
     * otherwise Artemis falls back to NIO without saying so, which is the case under a plain {@code java -jar}.
     */
    String journalInUse() {
        if (!"ASYNCIO".equals(settings.journalType())) {
            return settings.journalType();
        }
        File journal = settings.dataDir().resolve("journal").toFile();
        return AIOSequentialFileFactory.isSupported(journal) ? "ASYNCIO"
                : "NIO: ASYNCIO needs libaio and libartemis-native-64.so on java.library.path";
    }

    @Override
    protected void doStop() throws Exception {
        if (broker != null) {
            broker.stop();
            broker = null;
            LOG.info("Embedded Artemis broker stopped");
        }
    }

    /** The running Artemis server, for status and metrics; {@code null} when stopped. */
    public EmbeddedActiveMQ server() {
        return broker;
    }
}
