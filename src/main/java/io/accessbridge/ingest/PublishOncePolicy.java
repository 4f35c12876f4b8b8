package io.accessbridge.ingest;

import io.accessbridge.canonical.EventHeaders;
import java.util.Objects;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.Policy;

/**
 * Never sends two copies of one event to the broker at the same time. The broker's duplicate
 * detection checks its id cache and adds the id when the send commits, so two copies sent at the
 * same moment (a v1 record arriving by WebSocket and by HTTP push at once, a v3 event fetched and
 * reported together) can both pass the check and both be stored. The wrapped send claims its
 * duplicate id ({@code _AMQ_DUPL_ID}) in the process-wide {@link InFlightIds}, which the v3 batch
 * publisher shares: the second copy is sent only after the first is stored, and the broker then
 * drops it. Guards the sends of one bridge process.
 */
public final class PublishOncePolicy implements Policy {

    private final InFlightIds inFlight;

    /** A policy claiming ids in {@code inFlight}. */
    public PublishOncePolicy(InFlightIds inFlight) {
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to prepare
    }

    @Override
    public Processor wrap(Route route, Processor processor) {
        return exchange -> {
            Object id = exchange.getMessage().getHeader(EventHeaders.DUPLICATE_ID);
            if (id == null) {
                processor.process(exchange);
                return;
            }
            try (InFlightIds.Claim claim = inFlight.claim(id.toString())) {
                processor.process(exchange);
            }
        };
    }
}
