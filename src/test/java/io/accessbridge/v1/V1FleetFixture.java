package io.accessbridge.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1Fleet;
import java.time.Duration;

/** Simulated v1 fleets for the delivery-guarantee tests: fast retries, optional deliberate duplicates. */
final class V1FleetFixture {

    private V1FleetFixture() {
    }

    /** A started fleet of {@code devices} pushing {@code perDevice} records at {@code perSecond} each to {@code pushBase/<serial>}. */
    static V1Fleet start(int devices, long perDevice, double perSecond, double duplicateProbability, String pushBase) {
        V1DeviceSimulator.Options device = V1DeviceSimulator.Options.defaults()
                .withServeApi(false)
                .withRetryBackoff(Duration.ofMillis(20), Duration.ofMillis(400))
                .withPushTimeout(Duration.ofSeconds(10))
                .withDuplicateProbability(duplicateProbability);
        V1Fleet fleet = new V1Fleet(V1Fleet.Options.of(devices).withSeed(42L).withLoad(perSecond, perDevice)
                .withDevice(device)).start();
        fleet.subscribeAll(pushBase + "/" + V1Fleet.SN_PLACEHOLDER, true);
        fleet.startGenerating();
        return fleet;
    }

    /**
     * Asserts what the fleet shows while the bridge turns every push away ({@code fault}, e.g. "the broker is down"):
     * devices retry (20 more retries than {@code retriesAtFault}, the count when the fault began), nothing more is
     * acknowledged for 1.5 s, and devices keep what was not acknowledged.
     */
    static void assertTurnedAwayAndKept(V1Fleet fleet, long retriesAtFault, String fault) throws InterruptedException {
        await().atMost(Duration.ofMinutes(1)).until(() -> fleet.stats().retries() > retriesAtFault + 20);
        long acknowledged = fleet.stats().acknowledged();
        Thread.sleep(1500);
        assertThat(fleet.stats().acknowledged()).as("nothing is acknowledged while " + fault).isEqualTo(acknowledged);
        assertThat(fleet.stats().cached()).as("devices keep what was not acknowledged").isGreaterThan(0);
    }
}
