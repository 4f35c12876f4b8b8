package io.accessbridge.testing;

import io.accessbridge.broker.BrokerSettings;
import io.accessbridge.broker.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;

/**
 * An embedded broker for a test: TCP on a free loopback port, NIO journal, the bridge's default addresses
 * ({@code access.events.all} on {@code access.events}).
 */
public final class TestBroker {

    private final BrokerSettings settings;
    private final EmbeddedBroker broker;

    private TestBroker(BrokerSettings settings) {
        this.settings = settings;
        this.broker = new EmbeddedBroker(settings);
    }

    /**
     * Starts a broker storing under {@code dir} that holds at most {@code globalMaxSizeBytes} of messages in memory
     * (0: Artemis' default) before it pages.
     */
    public static TestBroker start(Path dir, long globalMaxSizeBytes) {
        int port = FreePorts.next();
        TestBroker b = new TestBroker(new BrokerSettings(true, "127.0.0.1", port, dir, "tcp://127.0.0.1:" + port, null,
                null, 5000, 10_000, 4, "access.events", List.of(new BrokerSettings.QueueSpec("access.events.all", null)),
                "access.events.DLA", "access.quarantine", "NIO", 100_000, globalMaxSizeBytes));
        b.broker.start();
        return b;
    }

    /** The broker's settings, for the bridge's own broker services (e.g. its topology). */
    public BrokerSettings settings() {
        return settings;
    }

    /** The broker's core URL, {@code tcp://127.0.0.1:<port>}. */
    public String url() {
        return settings.url();
    }

    /** Stops the broker. */
    public void stop() {
        broker.stop();
    }
}
