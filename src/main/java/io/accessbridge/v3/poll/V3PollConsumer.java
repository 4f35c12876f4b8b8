package io.accessbridge.v3.poll;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Fires one exchange per poll of its device into the route (header {@link #DEVICE_ID}); the route
 * tells how the poll went by the exchange property {@link #OUTCOME} (a {@link V3PollScheduler.Outcome});
 * an exchange that ends with an exception counts as {@link V3PollScheduler.Outcome#FAILED}.
 */
public final class V3PollConsumer extends DefaultConsumer {

    /** Header: the device to poll. */
    public static final String DEVICE_ID = "deviceId";
    /** Exchange property set by the route: how the poll went. */
    public static final String OUTCOME = "bridge.v3.pollOutcome";

    private V3PollScheduler.Registration registration;

    V3PollConsumer(V3PollEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public V3PollEndpoint getEndpoint() {
        return (V3PollEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        V3PollEndpoint e = getEndpoint();
        registration = e.getComponent().scheduler().register(e.getDeviceId(), e.getIntervalMs(), this::fire);
    }

    @Override
    protected void doStop() throws Exception {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
        super.doStop();
    }

    private V3PollScheduler.Outcome fire() {
        if (!isRunAllowed()) {
            return V3PollScheduler.Outcome.CAUGHT_UP;
        }
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setHeader(DEVICE_ID, getEndpoint().getDeviceId());
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Poll of v3 device " + getEndpoint().getDeviceId() + " failed",
                        exchange, exchange.getException());
                return V3PollScheduler.Outcome.FAILED;
            }
            return exchange.getProperty(OUTCOME, V3PollScheduler.Outcome.CAUGHT_UP, V3PollScheduler.Outcome.class);
        } finally {
            releaseExchange(exchange, false);
        }
    }
}
