package io.accessbridge.canonical;

import java.util.Arrays;

/**
 * What happened, as one closed vocabulary shared by every device generation.
 * The CloudEvents {@code type} is {@link #TYPE_PREFIX} followed by {@link #id()}.
 */
public enum EventKind {
    /** A person was let through. */
    ACCESS_GRANTED("access.granted"),
    /** A person was refused (stranger, no permission, failed check, ...). */
    ACCESS_DENIED("access.denied"),
    /** A device alarm started (tamper, forced door, fire, ...). */
    ALARM_RAISED("alarm.raised"),
    /** A device alarm ended. */
    ALARM_CLEARED("alarm.cleared"),
    /** The device tried to clear an alarm and failed. */
    ALARM_CLEAR_FAILED("alarm.clear-failed"),
    /** The door's physical state changed (open/closed). */
    DOOR_STATE("door.state"),
    /** The door was released without a credential: remote open or exit button. */
    DOOR_RELEASED("door.released"),
    /** A body temperature was measured outside an access decision. */
    TEMPERATURE_MEASURED("temperature.measured"),
    /** The device reports that it was reset. */
    DEVICE_RESET("device.reset"),
    /** The device overwrote events before the bridge could fetch them. */
    DEVICE_GAP("device.gap");

    /** Reverse-DNS prefix of every CloudEvents type the bridge emits. */
    public static final String TYPE_PREFIX = "io.accessbridge.";

    private final String id;

    EventKind(String id) {
        this.id = id;
    }

    /** The short, dotted name used in {@code data.kind} and in the JMS property {@code eventKind}. */
    public String id() {
        return id;
    }

    /** The CloudEvents {@code type} attribute for this kind. */
    public String cloudEventType() {
        return TYPE_PREFIX + id;
    }

    /** Looks a kind up by its dotted name. */
    public static EventKind fromId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown event kind: " + id));
    }
}
