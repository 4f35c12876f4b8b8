package io.accessbridge.testing;

import io.accessbridge.broker.BrokerSettings;
import java.nio.file.Path;
import java.util.List;

/** Settings of an embedded broker for a test: TCP on loopback, NIO journal, the bridge's default addresses. */
public final class TestBrokerSettings {

    private TestBrokerSettings() {
    }

    /**
     * An embedded broker on {@code port} storing under {@code dir}, with {@code access.events.all} on the
     * {@code access.events} address, holding at most {@code globalMaxSizeBytes} of messages in memory (0: Artemis'
     * default) before it pages.
     */
    public static BrokerSettings embedded(Path dir, int port, long globalMaxSizeBytes) {
        return new BrokerSettings(true, "127.0.0.1", port, dir, "tcp://127.0.0.1:" + port, null, null, 5000, 10_000, 4,
                "access.events", List.of(new BrokerSettings.QueueSpec("access.events.all", null)), "access.events.DLA",
                "access.quarantine", "NIO", 100_000, globalMaxSizeBytes);
    }
}
