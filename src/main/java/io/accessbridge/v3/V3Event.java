package io.accessbridge.v3;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event object of a v3 device's log, as returned by {@code event-fetch}.
 * {@link #toString()} shows only the seqnum: the JSON holds personal data (user and card ids)
 * and must not reach log lines.
 *
 * @param seqnum the event's sequence number, unique per device (until the device is reset)
 * @param json   the raw event object of spec 004, unmodified
 */
public record V3Event(long seqnum, JsonNode json) {

    @Override
    public String toString() {
        return "V3Event[seqnum=" + seqnum + "]";
    }
}
