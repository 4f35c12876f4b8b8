package io.accessbridge.v1.device;

import io.accessbridge.inventory.DeviceConfig;
import io.accessbridge.inventory.DeviceInventory;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.camel.spi.RouteTemplateParameterSource;

/**
 * Instantiates the route template {@value #TEMPLATE} ({@code routes/devices-v1.camel.yaml}) once per
 * v1 device of the inventory at start, as route {@code device-<id>} with parameter
 * {@code deviceId}. Camel reads every {@link RouteTemplateParameterSource} in the registry when the
 * context starts.
 */
public final class V1DeviceRoutes implements RouteTemplateParameterSource {

    /** Id of the route template. */
    public static final String TEMPLATE = "v1-device";

    private final Map<String, String> deviceByRoute = new LinkedHashMap<>();

    /** The routes of the v1 devices of {@code inventory}. */
    public V1DeviceRoutes(DeviceInventory inventory) {
        for (DeviceConfig d : inventory.devices(DeviceConfig.Generation.V1)) {
            deviceByRoute.put("device-" + d.id(), d.id());
        }
    }

    @Override
    public Map<String, Object> parameters(String routeId) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(TEMPLATE_ID, TEMPLATE);
        p.put("deviceId", deviceByRoute.get(routeId));
        return p;
    }

    @Override
    public Set<String> routeIds() {
        return new LinkedHashSet<>(deviceByRoute.keySet());
    }
}
