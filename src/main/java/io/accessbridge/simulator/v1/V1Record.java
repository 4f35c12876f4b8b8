package io.accessbridge.simulator.v1;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One record produced by a simulated v1 device, as it goes on the wire.
 *
 * @param variant the document shape it follows
 * @param type    the envelope {@code type}: 0 recognition record, 1 device alarm
 * @param key     what identifies the record: its {@code uuid} (002/003 shape), {@code trace_id:status}
 *                for alarms, or the whole {@code data} JSON text for the 000/001 shapes, which carry
 *                no id of their own
 * @param json    the envelope {@code {"type":..,"data":{..}}} as sent by HTTP push and WebSocket
 * @param data    the {@code data} object; callers must not modify it
 */
public record V1Record(V1RecordGenerator.Variant variant, int type, String key, String json, ObjectNode data) {

    /** Type of a recognition (pass-through) record. */
    public static final int TYPE_RECOGNITION = 0;
    /** Type of a device alarm. */
    public static final int TYPE_ALARM = 1;

    /** The record's {@code uuid}, or {@code null} for shapes without one. */
    public String uuid() {
        return data.hasNonNull("uuid") ? data.get("uuid").asText() : null;
    }

    /** The record's {@code deviceSN}, or {@code null} for alarms. */
    public String deviceSN() {
        return data.hasNonNull("deviceSN") ? data.get("deviceSN").asText() : null;
    }

    @Override
    public String toString() {
        return "V1Record[" + variant + ", type=" + type + "]";
    }
}
