package io.accessbridge.status;

import io.accessbridge.canonical.CanonicalEvent;
import io.accessbridge.ingest.IngestProperties;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.PublishOutcomeLog;
import io.accessbridge.inventory.DeviceInventory;
import org.apache.camel.Exchange;

/**
 * Route step after a successful publish: records the stored event in the device status (last
 * event time, {@code eventsStored}, and a counter per channel, {@code events.http-push} /
 * {@code events.websocket}) and tells the broker availability log that events are stored. Only
 * devices of the inventory are recorded, so pushes naming unknown devices cannot grow the status.
 * A record sent on two channels is counted on both, although the broker keeps it once.
 */
public final class StoredEvents {

    private final DeviceStatusRegistry status;
    private final DeviceInventory inventory;
    private final PublishOutcomeLog outcomes;

    /**
     * @param status    the device status registry
     * @param inventory the inventory
     * @param outcomes  the broker availability log
     */
    public StoredEvents(DeviceStatusRegistry status, DeviceInventory inventory, PublishOutcomeLog outcomes) {
        this.status = status;
        this.inventory = inventory;
        this.outcomes = outcomes;
    }

    /** Records the exchange's normalised event as stored. */
    public void record(Exchange exchange) {
        outcomes.stored();
        NormalizedEvent n = exchange.getProperty(IngestProperties.NORMALIZED, NormalizedEvent.class);
        if (n == null) {
            return;
        }
        CanonicalEvent e = n.event();
        String id = e.deviceId();
        if (id == null || inventory.device(id).isEmpty()) {
            return;
        }
        status.stored(id, 1, e.time());
        if (e.data().channel() != null) {
            status.count(id, "events." + e.data().channel(), 1);
        }
    }
}
