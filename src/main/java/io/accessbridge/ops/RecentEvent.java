package io.accessbridge.ops;

import java.time.Instant;

/**
 * One stored event as the status page shows it: nothing that names or identifies a person. The event id is
 * replaced by a short hash (enough to tell events apart, useless to look a record up on a device).
 *
 * @param ref      first 12 hex digits of the SHA-256 of the event id
 * @param storedAt when the bridge stored it
 * @param time     when it happened (the device's clock), or {@code null}
 * @param kind     canonical kind, e.g. {@code access.granted}
 * @param device   device id
 * @param door     door or access point (the event's subject), or {@code null}
 * @param decision {@code granted}, {@code denied}, or {@code null} for events without a decision
 * @param reason   the decision's reason code (e.g. {@code verified}, {@code stranger}), or {@code null}
 * @param channel  ingest channel, e.g. {@code http-push}
 */
public record RecentEvent(String ref, Instant storedAt, Instant time, String kind, String device, String door,
                          String decision, String reason, String channel) {
}
