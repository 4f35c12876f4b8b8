package io.accessbridge.v1;

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
}
