package io.accessbridge.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.accessbridge.images.ImageStore;
import io.accessbridge.ingest.CanonicalMessage;
import io.accessbridge.ingest.IngestProperties;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.inventory.DeviceInventory;
import io.accessbridge.inventory.DeviceInventoryLoader;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which device an {@code event-report} is put on. */
class V3ReportReceiverTest {

    private static final String INVENTORY = """
            devices:
              - id: nat-a
                generation: v3
                address: http://10.0.9.1:8081
                serialNumber: DEV-A-0001
                token: {env: T}
              - id: nat-b
                generation: v3
                address: http://10.0.9.1:8082
                token: {env: T}
              - id: alone
                generation: v3
                address: http://10.0.9.2
                token: {env: T}
            """;

    @TempDir
    Path dir;

    @Test
    void theDeviceIsTheInventoryIdThenTheSerialNumberThenAnAddressOnlyOneDeviceHas() throws Exception {
        assertThat(deviceOf("nat-b", "10.0.9.1")).isEqualTo("nat-b");
        assertThat(deviceOf("DEV-A-0001", "10.0.9.1")).as("by serial number").isEqualTo("nat-a");
        assertThat(deviceOf("DEV-UNKNOWN", "10.0.9.2")).as("by an address of one device").isEqualTo("alone");
        assertThat(deviceOf("DEV-UNKNOWN", "10.0.9.3")).as("an address of no device: the device-id as sent")
                .isEqualTo("DEV-UNKNOWN");
    }

    @Test
    void aReportFromAnAddressTwoDevicesShareThatNamesNeitherIsRefusedNotStoredUnderAnotherId() {
        // stored under "DEV-UNKNOWN" it would be stored again when nat-a's or nat-b's poller fetches it
        assertThatThrownBy(() -> deviceOf("DEV-UNKNOWN", "10.0.9.1"))
                .isInstanceOf(V3ReportReceiver.UnattributedReportException.class)
                .isInstanceOf(V3ReportReceiver.ReportRefusedException.class);
    }

    private String deviceOf(String deviceId, String remote) throws Exception {
        DeviceInventory inventory = new DeviceInventoryLoader(Map.of("T", "t"))
                .parse("test", new ObjectMapper(new YAMLFactory()).readTree(INVENTORY));
        V3ReportReceiver receiver = new V3ReportReceiver(inventory, new CanonicalMessage(new ImageStore(dir)));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        String report = "{\"action\":\"event-report\",\"header\":{\"reqid\":\"1\"},\"body\":{\"device-id\":\"" + deviceId
                + "\",\"seqnum\":7,\"timestamp\":1587985190,\"event\":\"door\",\"state\":1}}";
        exchange.getMessage().setBody(report.getBytes(StandardCharsets.UTF_8));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS, SocketAddress.inetSocketAddress(40000, remote));
        receiver.normalize(exchange);
        return exchange.getProperty(IngestProperties.NORMALIZED, NormalizedEvent.class).event().data().device().id();
    }
}
