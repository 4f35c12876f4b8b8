package io.accessbridge.simulator.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.accessbridge.inventory.DeviceConfig;
import io.accessbridge.inventory.DeviceInventory;
import io.accessbridge.inventory.DeviceInventoryLoader;
import io.accessbridge.v3.V3EventClient;
import io.accessbridge.v3.V3EventInfo;
import io.accessbridge.v3.V3HttpClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class V3SimulatorMainTest {

    @Test
    void startsTheDevicesAndWritesAnInventoryTheBridgeLoads(@TempDir Path dir) throws Exception {
        V3SimulatorMain main = new V3SimulatorMain();
        new CommandLine(main).parseArgs("--devices", "2", "--events", "25", "--capacity", "20",
                "--token", "demo-token", "--inventory-dir", dir.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (V3SimulatorMain.Running running = main.start(new PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertThat(running.simulators()).hasSize(2);
            DeviceInventory inventory = new DeviceInventoryLoader(Map.of()).load(dir.resolve("devices.yaml"));
            assertThat(inventory.devices(DeviceConfig.Generation.V3)).extracting(DeviceConfig::id)
                    .containsExactly("v3-sim-1", "v3-sim-2");
            DeviceConfig d = inventory.device("v3-sim-2").orElseThrow();
            V3EventInfo info = new V3EventClient(V3EventClient.newHttpClient(), d.address(), d.v3().apiVersion(),
                    d.token().resolve(Map.of()), null).info();
            assertThat(info).isEqualTo(new V3EventInfo(6, 25));
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("v3-sim-1", "events 6..25", "inventory: ").doesNotContain("demo-token");
        assertThat(Files.readString(dir.resolve("devices.yaml"))).doesNotContain("demo-token");
    }

    @Test
    void withTlsServesHttpsWithAGeneratedCertificateThatTheWrittenInventoryPins(@TempDir Path dir) throws Exception {
        V3SimulatorMain main = new V3SimulatorMain();
        new CommandLine(main).parseArgs("--devices", "1", "--events", "5", "--tls", "--inventory-dir", dir.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (V3SimulatorMain.Running running = main.start(new PrintStream(out, true, StandardCharsets.UTF_8))) {
            DeviceConfig d = new DeviceInventoryLoader(Map.of()).load(dir.resolve("devices.yaml"))
                    .device("v3-sim-1").orElseThrow();
            assertThat(d.address().getScheme()).isEqualTo("https");
            assertThat(d.tls().pinnedSha256()).hasSize(64);
            String token = d.token().resolve(Map.of());
            HttpClient pinning = new V3HttpClients(Duration.ofSeconds(2), Map.of()).clientFor(d);
            assertThat(new V3EventClient(pinning, d.address(), d.v3().apiVersion(), token, null).info())
                    .isEqualTo(new V3EventInfo(1, 5));
            HttpClient jvmDefaults = V3EventClient.newHttpClient();
            assertThatThrownBy(() -> new V3EventClient(jvmDefaults, d.address(), d.v3().apiVersion(), token, null).info())
                    .as("the self-signed certificate is not trusted by the JVM's CAs")
                    .isInstanceOf(SSLHandshakeException.class);
            assertThat(running.simulators().get(0).requestCount("event-info")).isEqualTo(1);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("self-signed certificate: ", "https://127.0.0.1:");
        assertThat(dir.resolve("v3-sim.p12")).exists();
    }

    @Test
    void rejectsNonPositiveDeviceCounts() {
        int code = new CommandLine(new V3SimulatorMain()).execute("--devices", "0");
        assertThat(code).isNotZero();
    }
}
