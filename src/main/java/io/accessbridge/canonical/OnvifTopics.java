package io.accessbridge.canonical;

/** The ONVIF access-control and door-control event topics that match canonical events. */
public final class OnvifTopics {

    public static final String ACCESS_GRANTED = "tns1:AccessControl/AccessGranted/Credential";
    public static final String ACCESS_DENIED = "tns1:AccessControl/Denied/Credential";
    public static final String ACCESS_DENIED_NOT_FOUND = "tns1:AccessControl/Denied/CredentialNotFound";
    public static final String ACCESS_GRANTED_ANONYMOUS = "tns1:AccessControl/AccessGranted/Anonymous";
    public static final String DOOR_PHYSICAL_STATE = "tns1:Door/State/DoorPhysicalState";
    public static final String DOOR_ALARM = "tns1:Door/State/DoorAlarm";
    public static final String DOOR_TAMPER = "tns1:Door/State/DoorTamper";

    private OnvifTopics() {
    }

    /** The topic of an alarm by its canonical name, or {@code null} when ONVIF has none. */
    public static String forAlarm(String alarmName) {
        return switch (alarmName) {
            case "door-forced-open", "door-open-timeout" -> DOOR_ALARM;
            case "tamper" -> DOOR_TAMPER;
            default -> null;
        };
    }
}
