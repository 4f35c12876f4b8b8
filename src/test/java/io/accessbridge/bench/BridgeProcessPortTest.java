package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ports for servers started a moment later: below the outgoing connections' range, free, not repeated. */
class BridgeProcessPortTest {

    @Test
    void portsAreFreeDistinctAndBelowTheEphemeralRange() throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = BridgeProcess.freePort();
            assertThat(port).isBetween(15_000, 32_767);
            try (ServerSocket s = new ServerSocket(port)) {
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
            ports.add(port);
        }
        assertThat(ports).hasSize(50);
    }

    @Test
    void aPortInUseIsNotHandedOut() throws Exception {
        int port = BridgeProcess.freePort();
        try (ServerSocket taken = new ServerSocket(port)) {
            for (int i = 0; i < 200; i++) {
                assertThat(BridgeProcess.freePort()).isNotEqualTo(port);
            }
        }
    }
}
