package io.accessbridge.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.accessbridge.config.BridgeProperties;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the embedded broker is configured with, from the bridge's settings: memory bound, paging and its sync. */
class EmbeddedBrokerConfigurationTest {

    @TempDir
    Path data;

    private Configuration configured(Properties settings) throws Exception {
        settings.setProperty("bridge.broker.data-dir", data.toString());
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(settings);
            return new EmbeddedBroker(BrokerSettings.from(new BridgeProperties(context))).configuration();
        }
    }

    private static long quarterOfTheHeapAtMost256MiB() {
        return Math.min(Runtime.getRuntime().maxMemory() / 4, 256L * 1024 * 1024);
    }

    @Test
    void byDefaultMessagesBeyondAQuarterOfTheHeapArePagedAndPagesAreSyncedAsOftenAsTheJournal() throws Exception {
        Configuration c = configured(new Properties());
        assertThat(c.getGlobalMaxSize()).isEqualTo(quarterOfTheHeapAtMost256MiB());
        assertThat(c.getPageSyncTimeout()).isEqualTo(100_000).isEqualTo(c.getJournalBufferTimeout_NIO());
        assertThat(c.getAddressSettings().get("access.events").getAddressFullMessagePolicy())
                .isEqualTo(AddressFullMessagePolicy.PAGE);
        assertThat(c.getAddressSettings().get("#").getAddressFullMessagePolicy())
                .isEqualTo(AddressFullMessagePolicy.PAGE);
        assertThat(c.getPagingDirectory()).isEqualTo(data.toAbsolutePath() + "/paging");
    }

    @Test
    void theMemoryBoundAndTheSyncIntervalFollowTheirSettings() throws Exception {
        Properties p = new Properties();
        p.setProperty("bridge.broker.global-max-size-mb", "16");
        p.setProperty("bridge.broker.journal-buffer-timeout-us", "500");
        Configuration c = configured(p);
        assertThat(c.getGlobalMaxSize()).isEqualTo(16L * 1024 * 1024);
        assertThat(c.getPageSyncTimeout()).isEqualTo(500_000);
    }

    @Test
    void zeroOrAnEmptySettingMeansAQuarterOfTheHeapAtMost256MiB() throws Exception {
        Properties p = new Properties();
        p.setProperty("bridge.broker.global-max-size-mb", "0");
        assertThat(configured(p).getGlobalMaxSize()).isEqualTo(quarterOfTheHeapAtMost256MiB());
        p.setProperty("bridge.broker.global-max-size-mb", " ");
        assertThat(configured(p).getGlobalMaxSize()).isEqualTo(quarterOfTheHeapAtMost256MiB());
    }
}
