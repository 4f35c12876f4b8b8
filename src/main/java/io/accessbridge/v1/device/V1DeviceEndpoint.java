package io.accessbridge.v1.device;

import io.accessbridge.inventory.DeviceConfig;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** Endpoint {@code v1-device:<device-id>}: consumer only (see {@link V1DeviceComponent}). */
public final class V1DeviceEndpoint extends DefaultEndpoint {

    private final DeviceConfig device;

    V1DeviceEndpoint(String uri, V1DeviceComponent component, DeviceConfig device) {
        super(uri, component);
        this.device = device;
    }

    /** The device of this endpoint. */
    public DeviceConfig device() {
        return device;
    }

    @Override
    public V1DeviceComponent getComponent() {
        return (V1DeviceComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("v1-device endpoints can only be consumed from");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        V1DeviceConsumer consumer = new V1DeviceConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
