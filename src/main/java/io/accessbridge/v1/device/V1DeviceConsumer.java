package io.accessbridge.v1.device;

import io.accessbridge.ingest.IngestProperties;
import io.accessbridge.inventory.DeviceConfig;
import io.accessbridge.v1.V1WsReceiver;
import io.vertx.core.Context;
import io.vertx.core.impl.VertxInternal;
import java.net.URI;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One v1 device's session with the bridge, alive while its route {@code device-<id>} runs: a
 * {@link V1WebSocketClient} (channel {@code websocket}), a {@link V1SubscriptionKeeper} (channel
 * {@code subscription}), and a {@link V1FrameDispatcher} that turns every WebSocket message into an
 * exchange of the route. The client and the keeper share one Vert.x context; a new WebSocket
 * connection triggers a subscription check, since the device may have rebooted.
 */
public final class V1DeviceConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(V1DeviceConsumer.class);

    private final DeviceConfig device;
    private V1WebSocketClient webSocket;
    private V1SubscriptionKeeper subscription;
    private V1FrameDispatcher dispatcher;

    V1DeviceConsumer(V1DeviceEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.device = endpoint.device();
    }

    @Override
    public V1DeviceEndpoint getEndpoint() {
        return (V1DeviceEndpoint) super.getEndpoint();
    }

    /** The WebSocket client, or {@code null} when the channel is off. */
    public V1WebSocketClient webSocket() {
        return webSocket;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        V1DeviceComponent c = getEndpoint().getComponent();
        V1DeviceSettings settings = c.settings();
        Context context = ((VertxInternal) c.vertx()).createEventLoopContext();
        V1DeviceTls tls = V1DeviceTls.of(device, c.environment());
        if (device.channels().push()) {
            if (device.address() == null) {
                LOG.info("Device {} has no address in the inventory: its push subscription is not managed", device.id());
            } else {
                V1EventDest dest = V1EventDest.of(settings.publicUrl(), settings.pushPath(), device);
                subscription = new V1SubscriptionKeeper(device.id(), device.address(), dest.url(), dest.refusal(), tls,
                        settings, c.vertx(), context, c.status());
                subscription.start();
            }
        }
        if (device.channels().websocket()) {
            dispatcher = new V1FrameDispatcher(device.id(), settings, c.publishers(), c.vertx(), c.status(),
                    c.outcomes(), this::publish);
            webSocket = new V1WebSocketClient(device.id(), webSocketUri(device.address()), tls, settings, c.vertx(),
                    context, c.status(), new V1WebSocketClient.Listener() {
                        @Override
                        public void onOpen(String remoteAddress) {
                            if (subscription != null) {
                                subscription.check();
                            }
                        }

                        @Override
                        public void onMessage(byte[] data, String remoteAddress) {
                            dispatcher.offer(data, remoteAddress);
                        }
                    });
            webSocket.start();
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (webSocket != null) {
            var closed = webSocket.stop();
            if (!getEndpoint().getCamelContext().isStopping()) {
                // a route restart: the old connection must be gone before the new client connects
                try {
                    closed.get(getEndpoint().getComponent().settings().closingTimeout().toMillis() + 5_000,
                            java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    LOG.warn("Device {}: WebSocket not closed in time while its route stopped", device.id());
                }
            }
        }
        if (dispatcher != null) {
            dispatcher.stop();
        }
        if (subscription != null) {
            subscription.stop();
        }
        super.doStop();
    }

    private void publish(V1FrameDispatcher.Frame frame) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(frame.data());
            exchange.setProperty(V1WsReceiver.DEVICE_ID, device.id());
            exchange.setProperty(IngestProperties.REMOTE_ADDRESS, frame.remoteAddress());
            getProcessor().process(exchange);
            Exception failure = exchange.getException();
            if (failure != null) {
                throw failure;
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** {@code ws://host:port/v1/event} for an http device, {@code wss://...} for an https one. */
    static URI webSocketUri(URI address) {
        String scheme = "https".equalsIgnoreCase(address.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + "://" + address.getRawAuthority() + "/v1/event");
    }
}
