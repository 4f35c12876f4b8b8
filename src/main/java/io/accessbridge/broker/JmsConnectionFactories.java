package io.accessbridge.broker;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/** Builds the bridge's pooled JMS connection factory for the configured broker. */
public final class JmsConnectionFactories {

    private JmsConnectionFactories() {
    }

    /**
     * The Artemis factory of the bridge's own clients: durable sends block until the broker stored
     * the message and fail after {@link BrokerSettings#sendTimeoutMs()}; no silent reconnect (a
     * broken connection fails its calls, and the caller makes a new one).
     */
    public static ActiveMQConnectionFactory artemis(BrokerSettings settings) {
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(settings.url());
        artemis.setBlockOnDurableSend(true);
        artemis.setCallTimeout(settings.sendTimeoutMs());
        artemis.setCallFailoverTimeout(settings.sendTimeoutMs());
        artemis.setReconnectAttempts(0);
        artemis.setInitialConnectAttempts(1);
        artemis.setConnectionTTL(Math.max(10_000, settings.sendTimeoutMs() * 2));
        artemis.setClientFailureCheckPeriod(Math.max(1_000, settings.sendTimeoutMs() / 2));
        if (settings.user() != null) {
            artemis.setUser(settings.user());
            artemis.setPassword(settings.password());
        }
        return artemis;
    }

    /**
     * A pooled factory whose durable sends block until the broker stored the message, fail
     * after {@link BrokerSettings#sendTimeoutMs()}, and never reconnect silently in the middle
     * of a send (a failed connection is dropped from the pool and a new one is made).
     */
    public static ConnectionFactory pooled(BrokerSettings settings) {
        ActiveMQConnectionFactory artemis = artemis(settings);
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(artemis);
        pool.setMaxConnections(settings.maxConnections());
        pool.setMaxSessionsPerConnection(500);
        pool.setBlockIfSessionPoolIsFull(true);
        pool.setBlockIfSessionPoolIsFullTimeout(settings.sendTimeoutMs());
        pool.setConnectionCheckInterval(-1);
        pool.setUseAnonymousProducers(true);
        return pool;
    }
}
