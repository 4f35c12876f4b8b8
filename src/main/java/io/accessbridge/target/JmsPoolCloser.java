package io.accessbridge.target;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.support.service.ServiceSupport;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/**
 * Closes the pooled broker connections when the bridge stops, after the routes and before the embedded
 * broker, so that the broker does not wait for clients that will never disconnect on their own.
 */
public final class JmsPoolCloser extends ServiceSupport {

    private final ConnectionFactory factory;

    /** Closes {@code factory} at stop when it is a pool. */
    public JmsPoolCloser(ConnectionFactory factory) {
        this.factory = factory;
    }

    @Override
    protected void doStop() {
        if (factory instanceof JmsPoolConnectionFactory pool) {
            pool.clear();
        }
    }
}
