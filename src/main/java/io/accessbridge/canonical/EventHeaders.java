package io.accessbridge.canonical;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message properties that travel with every canonical event on the broker, so that
 * consumers can select with JMS selectors or Artemis filters without parsing the body.
 * Names follow the CloudEvents JMS binding ({@code cloudEvents_*}).
 */
public final class EventHeaders {

    /** Artemis duplicate-detection property; its value is the event id. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    public static final String CE_ID = "cloudEvents_id";
    public static final String CE_SOURCE = "cloudEvents_source";
    public static final String CE_TYPE = "cloudEvents_type";
    public static final String CE_SPECVERSION = "cloudEvents_specversion";
    public static final String CE_SUBJECT = "cloudEvents_subject";
    public static final String CE_TIME = "cloudEvents_time";
    /** The device id, e.g. {@code deviceId = 'lobby-1'}. */
    public static final String DEVICE_ID = "deviceId";
    /** The canonical kind, e.g. {@code eventKind LIKE 'alarm.%'}. */
    public static final String EVENT_KIND = "eventKind";
    /** The site from the inventory, when known. */
    public static final String SITE = "site";
    /** The ingest channel: http-push, websocket, v3-fetch, v3-report. */
    public static final String CHANNEL = "channel";

    private EventHeaders() {
    }

    /** The properties of one event, in a stable order; absent values are left out. */
    public static Map<String, Object> of(CanonicalEvent event) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put(DUPLICATE_ID, event.id());
        h.put(CE_ID, event.id());
        h.put(CE_SOURCE, event.source().toString());
        h.put(CE_TYPE, event.kind().cloudEventType());
        h.put(CE_SPECVERSION, "1.0");
        h.put(CE_TIME, Timestamps.rfc3339(event.time()));
        if (event.subject() != null) {
            h.put(CE_SUBJECT, event.subject());
        }
        h.put(DEVICE_ID, event.deviceId());
        h.put(EVENT_KIND, event.kind().id());
        if (event.data().device().site() != null) {
            h.put(SITE, event.data().device().site());
        }
        if (event.data().channel() != null) {
            h.put(CHANNEL, event.data().channel());
        }
        return h;
    }
}
