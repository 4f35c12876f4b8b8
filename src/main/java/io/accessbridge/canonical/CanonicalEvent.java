package io.accessbridge.canonical;

import java.net.URI;
import java.time.Instant;

/**
 * A normalised event before serialisation: the CloudEvents context attributes and its data.
 *
 * @param id      deterministic id; also the broker's duplicate-detection id
 * @param kind    what happened
 * @param source  the device as a URI, see {@link DeviceUris}
 * @param subject the door or access point, never a person
 * @param time    when it happened
 * @param data    the canonical access event
 */
public record CanonicalEvent(String id, EventKind kind, URI source, String subject, Instant time, AccessEvent data) {

    /** The device id the event belongs to. */
    public String deviceId() {
        return data.device().id();
    }
}
