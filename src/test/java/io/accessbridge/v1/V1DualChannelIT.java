package io.accessbridge.v1;

import static io.accessbridge.v1.V1DeviceBridge.device;
import static io.accessbridge.v1.V1DeviceBridge.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.accessbridge.canonical.EventHeaders;
import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1Fleet;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.ExpectedIds;
import io.accessbridge.testing.RunningBridge;
import jakarta.jms.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * v1 devices with both channels on (WebSocket and HTTP push, the bridge subscribing them itself),
 * WebSocket connections cut at random and deliberate push duplicates: every record is in the
 * broker exactly once, attributed to the device that made it (alarms included, which carry no
 * serial number), and both channels delivered some of them.
 */
@Timeout(180)
class V1DualChannelIT {

    private static final int DEVICES = 6;
    private static final int RECORDS = 150;

    @TempDir
    Path dir;

    @Test
    void everyRecordArrivesExactlyOnceFromBothChannels() throws Exception {
        V1DeviceSimulator.Options device = V1DeviceSimulator.Options.defaults()
                .withRetryBackoff(Duration.ofMillis(20), Duration.ofMillis(400))
                .withDuplicateProbability(0.2);
        try (V1Fleet fleet = new V1Fleet(V1Fleet.Options.of(DEVICES).withSerialPrefix("DUAL").withSeed(11L)
                .withLoad(30, RECORDS).withDevice(device)).start()) {
            List<String> entries = new ArrayList<>();
            for (V1DeviceSimulator d : fleet.devices()) {
                entries.add(device(d.serialNumber(), d.baseUri().toString(), true, true, ""));
            }
            RunningBridge bridge = V1DeviceBridge.start(dir.resolve("data"), V1DeviceBridge.inventory(dir, entries),
                    true, Map.of());
            try (EventCollector consumer = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> fleet.devices().stream().allMatch(d ->
                        d.currentWsClients() == 1 && d.subscription().map(s -> s.enabled()).orElse(false)));

                fleet.startGenerating();
                Random random = new Random(5);
                while (!fleet.generationDone()) {
                    fleet.devices().get(random.nextInt(DEVICES)).dropConnections();
                    Thread.sleep(250);
                }
                await().atMost(Duration.ofMinutes(1)).until(fleet::drained);

                V1Fleet.FleetStats stats = fleet.stats();
                assertThat(stats.generated()).isEqualTo((long) DEVICES * RECORDS);
                assertThat(stats.acknowledged()).as("HTTP push, the durable channel, delivered all").isEqualTo(stats.generated());
                assertThat(stats.duplicatesSent()).isPositive();
                Map<String, String> deviceOf = new HashMap<>();
                for (V1DeviceSimulator d : fleet.devices()) {
                    for (String key : d.acknowledgedKeys()) {
                        deviceOf.put(ExpectedIds.idOf(d.serialNumber(), key), d.serialNumber());
                    }
                }
                assertThat(deviceOf).hasSize(DEVICES * RECORDS);

                await().atMost(Duration.ofMinutes(1)).until(() -> consumer.distinct() >= deviceOf.size());
                Thread.sleep(1000);
                assertThat(consumer.ids()).containsExactlyInAnyOrderElementsOf(deviceOf.keySet());
                assertThat(consumer.duplicates()).isEmpty();
                assertThat(consumer.total()).isEqualTo(deviceOf.size());

                Map<String, Integer> byChannel = new HashMap<>();
                int alarmsOnWebSocket = 0;
                for (Message m : consumer.messages()) {
                    String id = m.getStringProperty(EventHeaders.CE_ID);
                    String channel = m.getStringProperty(EventHeaders.CHANNEL);
                    byChannel.merge(channel, 1, Integer::sum);
                    assertThat(m.getStringProperty(EventHeaders.DEVICE_ID)).as("device of %s", id).isEqualTo(deviceOf.get(id));
                    if (m.getStringProperty(EventHeaders.EVENT_KIND).startsWith("alarm.") && "websocket".equals(channel)) {
                        alarmsOnWebSocket++;
                    }
                }
                assertThat(byChannel.keySet()).containsExactlyInAnyOrder("websocket", "http-push");
                assertThat(alarmsOnWebSocket).as("alarms attributed through their WebSocket connection").isPositive();

                Map<String, JsonNode> status = V1DeviceBridge.status(bridge);
                for (V1DeviceSimulator d : fleet.devices()) {
                    JsonNode s = status.get(d.serialNumber());
                    assertThat(s.get("lastEventAt").isNull()).isFalse();
                    assertThat(s.path("counters").path("events.websocket").asLong()).isPositive();
                    assertThat(s.path("counters").path("events.http-push").asLong()).isPositive();
                    assertThat(s.path("counters").path("websocket.framesLost").asLong()).isZero();
                    assertThat(state(bridge, d.serialNumber(), "subscription")).isEqualTo("CONNECTED");
                }
            } finally {
                V1DeviceBridge.close(bridge);
            }
        }
    }
}
