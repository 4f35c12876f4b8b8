package io.accessbridge.v1;

import java.util.Map;

/** The v1 vendor enumerations (specs 000-003) and their canonical names. */
final class V1Codes {

    /** {@code recognitionType} (000, 002, 003) -> person type. */
    static final Map<Integer, String> RECOGNITION_TYPE = Map.of(
            1, "employee", 2, "visitor", 3, "stranger", 4, "unknown", 5, "blacklisted");

    /** {@code user.type} (002) -> person type. */
    static final Map<Integer, String> USER_TYPE = Map.of(1, "employee", 2, "visitor", 5, "blacklisted");

    /** {@code recognizeStatus} (001) -> reason token. */
    static final Map<Integer, String> RECOGNIZE_STATUS = Map.of(
            0, "unknown", 1, "not-live", 2, "in-library", 3, "stranger", 4, "recognized",
            5, "authentication-passed", 6, "authentication-failed");

    /** {@code entry_mode} (002) -> credential method. */
    static final Map<Integer, String> ENTRY_MODE = Map.ofEntries(
            Map.entry(1, "face"), Map.entry(2, "qr"), Map.entry(3, "card"), Map.entry(4, "face+card"),
            Map.entry(5, "id-card"), Map.entry(6, "face+id-card"), Map.entry(7, "health-code"),
            Map.entry(8, "face+pin"), Map.entry(9, "card+pin"), Map.entry(10, "face+card+pin"),
            Map.entry(11, "exit-button"), Map.entry(12, "job-number+pin"));

    /** {@code mode}, verification policy, per 002/003 (000 differs; its raw value is kept). */
    static final Map<Integer, String> VERIFICATION_MODE = Map.of(
            0, "face", 1, "face|card", 2, "face&card", 3, "face|card|qr|pin", 4, "id-card",
            5, "face|id-card", 6, "face&id-card", 7, "face&pin", 8, "face&card&pin", 9, "card&pin");

    /** {@code abnormal_type} (002) -> denial reason token. */
    static final Map<Integer, String> ABNORMAL_TYPE = Map.ofEntries(
            Map.entry(10001, "person-id-mismatch"), Map.entry(10002, "person-card-mismatch"),
            Map.entry(10003, "person-qr-mismatch"), Map.entry(20001, "visitor-outside-validity"),
            Map.entry(20002, "outside-allowed-time"), Map.entry(30001, "invalid-id-card"),
            Map.entry(30002, "invalid-ic-card"), Map.entry(30003, "invalid-qr-code"),
            Map.entry(40001, "abnormal-temperature"), Map.entry(70001, "wrong-pin"),
            Map.entry(70002, "too-many-wrong-pins"));

    /** {@code mask} -> mask detection. */
    static final Map<Integer, String> MASK = Map.of(0, "not-checked", 1, "no-mask", 2, "mask");

    /** Alarm {@code code} (002) -> alarm name. */
    static final Map<Integer, String> ALARM_CODE = Map.of(
            10001, "tamper", 10002, "door-forced-open", 10003, "door-open-timeout",
            10004, "password-attack", 20003, "fire");

    /** Alarm {@code status} (002) -> alarm state. */
    static final Map<Integer, String> ALARM_STATUS = Map.of(1, "raised", 2, "clear-failed", 3, "cleared");

    private V1Codes() {
    }
}
