package io.accessbridge.v3.poll;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the poll route {@code device-<id>} of every v3 device of the inventory (channel
 * {@code poll} on) from the route template {@value #TEMPLATE} of {@code routes/v3-devices.camel.yaml}.
 */
public final class V3DeviceRoutes {

    /** Id of the route template. */
    public static final String TEMPLATE = "v3-device";

    private static final Logger LOG = LoggerFactory.getLogger(V3DeviceRoutes.class);

    private V3DeviceRoutes() {
    }

    /** Route id of a device's route. */
    public static String routeId(String deviceId) {
        return "device-" + deviceId;
    }

    /** Adds the routes; returns how many. */
    public static int install(CamelContext context, V3Pollers pollers) throws Exception {
        int n = 0;
        for (V3DevicePoller device : pollers.devices()) {
            if (!device.device().channels().poll()) {
                continue;
            }
            TemplatedRouteBuilder.builder(context, TEMPLATE)
                    .routeId(routeId(device.id()))
                    .parameter("deviceId", device.id())
                    .parameter("intervalMs", device.device().v3().intervalMs())
                    .add();
            n++;
        }
        if (n > 0) {
            LOG.info("Polling {} v3 device(s), at most {} at once", n,
                    context.getRegistry().lookupByNameAndType("v3PollScheduler", V3PollScheduler.class).threads());
        }
        return n;
    }
}
