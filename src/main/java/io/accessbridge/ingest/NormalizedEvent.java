package io.accessbridge.ingest;

import io.accessbridge.canonical.CanonicalEvent;

/**
 * A normaliser's output: the canonical event and, only when the privacy policy allows images,
 * the snapshot bytes to store under {@code event.data().image().ref()} (claim check).
 *
 * @param event the canonical event
 * @param image decoded JPEG bytes to store, or {@code null}
 */
public record NormalizedEvent(CanonicalEvent event, byte[] image) {

    /** An event without an image to store. */
    public static NormalizedEvent of(CanonicalEvent event) {
        return new NormalizedEvent(event, null);
    }
}
