package io.accessbridge.target;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.apache.camel.ExchangeTimedOutException;

/** Sorts any exception of a delivery attempt into retry-later or dead-letter-now. */
public final class Failures {

    /** Code of an attempt the circuit breaker did not let through. */
    public static final String CIRCUIT_OPEN = "circuit-open";

    private Failures() {
    }

    /**
     * The delivery failure behind {@code t}: a {@link DeliveryException} as thrown; the circuit breaker's
     * refusal, I/O errors and timeouts as retryable; anything else (a mapping error, bad data) as permanent.
     */
    public static DeliveryException classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DeliveryException d) {
                return d;
            }
            if (c instanceof CallNotPermittedException) {
                return DeliveryException.retryable(CIRCUIT_OPEN, null);
            }
            if (c instanceof IOException || c instanceof TimeoutException || c instanceof ExchangeTimedOutException) {
                return DeliveryException.retryable("unreachable-" + c.getClass().getSimpleName(), c.getMessage());
            }
        }
        String type = t == null ? "unknown" : t.getClass().getSimpleName();
        return DeliveryException.permanent("error-" + type, t == null ? null : t.getMessage());
    }
}
