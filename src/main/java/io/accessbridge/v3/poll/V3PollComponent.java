package io.accessbridge.v3.poll;

import io.accessbridge.inventory.DeviceConfig;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code v3-poll} Camel component: {@code v3-poll:<deviceId>?intervalMs=5000} is the consumer of
 * a device's poll route. It fires one exchange per poll, paced by the {@link V3PollScheduler}
 * (at once while the device is behind, after the interval once it caught up, after a backoff when
 * the poll failed, at once when woken). Stopping the route stops polling the device.
 */
public final class V3PollComponent extends DefaultComponent {

    private final V3PollScheduler scheduler;

    /** A component whose consumers are paced by {@code scheduler}. */
    public V3PollComponent(V3PollScheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** The scheduler of this component's consumers. */
    public V3PollScheduler scheduler() {
        return scheduler;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (!DeviceConfig.isValidId(remaining)) {
            throw new IllegalArgumentException("v3-poll needs a device id: v3-poll:<deviceId>");
        }
        V3PollEndpoint endpoint = new V3PollEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
