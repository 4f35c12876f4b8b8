package io.accessbridge.target;

import io.accessbridge.canonical.EventHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which dead letters to list or replay; every part is optional.
 *
 * @param kind      only this event kind ({@code access.granted})
 * @param deviceId  only events of this device
 * @param olderThan only events dead-lettered at least this long ago
 * @param newerThan only events dead-lettered at most this long ago
 * @param limit     at most this many per target (0: all)
 */
public record DeadLetterFilter(String kind, String deviceId, Duration olderThan, Duration newerThan, int limit) {

    /** Every dead letter. */
    public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null, null, 0);

    /** The JMS selector of this filter, ages measured from {@code now}; null when it selects everything. */
    public String selector(Instant now) {
        List<String> parts = new ArrayList<>();
        if (kind != null) {
            parts.add(EventHeaders.EVENT_KIND + " = " + quote(kind));
        }
        if (deviceId != null) {
            parts.add(EventHeaders.DEVICE_ID + " = " + quote(deviceId));
        }
        if (olderThan != null) {
            parts.add(DeliveryPolicy.TIME + " <= " + now.minus(olderThan).toEpochMilli());
        }
        if (newerThan != null) {
            parts.add(DeliveryPolicy.TIME + " >= " + now.minus(newerThan).toEpochMilli());
        }
        return parts.isEmpty() ? null : String.join(" AND ", parts);
    }

    /** A JMS selector string literal. */
    static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
