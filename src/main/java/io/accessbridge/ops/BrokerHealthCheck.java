package io.accessbridge.ops;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness check {@code broker}: DOWN when the embedded broker is not running or the external broker does
 * not answer, so {@code /observe/health/ready} answers 503 while events could not be stored.
 */
public final class BrokerHealthCheck extends AbstractHealthCheck {

    private final BrokerProbe probe;

    /** A check asking {@code probe}. */
    public BrokerHealthCheck(BrokerProbe probe) {
        super("bridge", "broker");
        this.probe = probe;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return true;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        BrokerProbe.State s = probe.state();
        builder.detail("broker", s.detail());
        builder.detail("embedded", probe.embedded());
        builder.detail("checkedAt", s.checkedAt().toString());
        if (s.up()) {
            builder.up();
        } else {
            builder.message(s.detail()).down();
        }
    }
}
