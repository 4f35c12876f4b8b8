package io.accessbridge.v3.poll;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code v3-poll:<deviceId>}: consumer only; see {@link V3PollComponent}. */
public final class V3PollEndpoint extends DefaultEndpoint {

    private final String deviceId;
    private long intervalMs = 5000;

    V3PollEndpoint(String uri, V3PollComponent component, String deviceId) {
        super(uri, component);
        this.deviceId = deviceId;
    }

    /** The polled device's inventory id. */
    public String getDeviceId() {
        return deviceId;
    }

    /** Pause between polls once the device caught up, milliseconds (default 5000). */
    public long getIntervalMs() {
        return intervalMs;
    }

    /** Sets the pause between polls once the device caught up, milliseconds. */
    public void setIntervalMs(long intervalMs) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("intervalMs must be positive");
        }
        this.intervalMs = intervalMs;
    }

    @Override
    public V3PollComponent getComponent() {
        return (V3PollComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("v3-poll endpoints only consume");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        V3PollConsumer consumer = new V3PollConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
