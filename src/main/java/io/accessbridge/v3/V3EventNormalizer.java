package io.accessbridge.v3;

import com.fasterxml.jackson.databind.JsonNode;
import io.accessbridge.canonical.AccessEvent;
import io.accessbridge.canonical.CanonicalEvent;
import io.accessbridge.canonical.DeviceUris;
import io.accessbridge.canonical.EventIds;
import io.accessbridge.canonical.EventKind;
import io.accessbridge.canonical.OnvifTopics;
import io.accessbridge.canonical.Timestamps;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.JsonFields;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.SourceContext;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Turns the event object of a legacy v3.x device (spec 004) into a canonical event. Pure
 * functions: the same input always gives the same output, nothing is logged.
 *
 * <p>Mapping: {@code face}/{@code card}/{@code qrcode}/{@code visitor} become
 * {@code access.granted} when {@code state} is 4 (verified), else {@code access.denied} with the
 * reason of {@code state} ({@code unknown}, {@code permission-not-enabled},
 * {@code permission-expired}, {@code no-permission}) or {@code stranger} when {@code uid} starts
 * with {@code 0000}; {@code door} becomes {@code door.state}; {@code remote} and {@code push}
 * become {@code door.released}; {@code fire} and {@code disa} (tamper) become
 * {@code alarm.raised}/{@code alarm.cleared}; {@code reset} becomes {@code device.reset};
 * {@code therm} becomes {@code temperature.measured}. The raw {@code event}, {@code state},
 * {@code seqnum} and {@code timestamp} are kept in {@code vendor}; {@code uid} goes to
 * {@code person.userId} only.
 */
public final class V3EventNormalizer {

    /** {@code device.generation} of every v3 event. */
    public static final String GENERATION = "v3";

    private static final String STRANGER_PREFIX = "0000";
    private static final int STATE_VERIFIED = 4;
    private static final Pattern SAFE_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private V3EventNormalizer() {
    }

    /**
     * Normalises one v3 event object, as found in {@code event-fetch} results or as the body of
     * {@code event-report}.
     *
     * @param event the event object
     * @param ctx   where it came from; {@code ctx.deviceId()} wins over the event's {@code device-id}
     * @return the canonical event (v3 devices send no images)
     * @throws InvalidEventException when the event is not an object, a field has the wrong type,
     *                               a required field is missing or {@code event} is unknown
     */
    public static NormalizedEvent normalize(JsonNode event, SourceContext ctx) {
        Objects.requireNonNull(ctx, "ctx");
        if (event == null || !event.isObject()) {
            throw new InvalidEventException("v3 event must be a JSON object");
        }
        String eventDeviceId = JsonFields.identifier(event, "device-id");
        String deviceId = ctx.deviceId() != null ? ctx.deviceId() : eventDeviceId;
        if (deviceId == null) {
            throw new InvalidEventException("field 'device-id' is required when the device is not known");
        }
        long seqnum = JsonFields.requiredInteger(event, "seqnum");
        if (seqnum < 0) {
            throw new InvalidEventException("field 'seqnum' must not be negative");
        }
        long timestamp = JsonFields.requiredInteger(event, "timestamp");
        if (timestamp < 0) {
            throw new InvalidEventException("field 'timestamp' must not be negative");
        }
        if (!Timestamps.inRange(timestamp)) {
            throw new InvalidEventException("field 'timestamp' is out of range");
        }
        Instant time = Timestamps.fromUnix(timestamp);
        String type = JsonFields.requiredText(event, "event");
        Integer state = JsonFields.smallInteger(event, "state");
        String uid = JsonFields.text(event, "uid");
        Double score = JsonFields.decimal(event, "score");
        Double sharp = JsonFields.decimal(event, "sharp");
        Double therm = JsonFields.decimal(event, "therm");
        String cardId = JsonFields.text(event, "data");
        String qrCode = JsonFields.text(event, "qrcode");
        String ipAddress = JsonFields.text(event, "ip-addr");

        Map<String, Object> vendor = new LinkedHashMap<>();
        vendor.put("event", type);
        if (state != null) {
            vendor.put("state", state);
        }
        vendor.put("seqnum", seqnum);
        vendor.put("timestamp", timestamp);

        Builder b = new Builder(deviceId, eventDeviceId, ipAddress != null ? ipAddress : ctx.remoteAddress(), ctx);
        b.occurredAt = time;
        b.vendor = vendor;
        AccessEvent.Temperature temperature = therm != null && therm != 0 ? new AccessEvent.Temperature(therm, null) : null;

        switch (type) {
            case "face", "card", "qrcode", "visitor" -> {
                boolean stranger = uid != null && uid.startsWith(STRANGER_PREFIX);
                boolean granted = state != null && state == STATE_VERIFIED;
                String reason = granted ? "verified" : stranger ? "stranger" : deniedReason(state);
                b.kind = granted ? EventKind.ACCESS_GRANTED : EventKind.ACCESS_DENIED;
                b.decision = new AccessEvent.Decision(granted, reason);
                b.onvifTopic = granted ? OnvifTopics.ACCESS_GRANTED
                        : stranger ? OnvifTopics.ACCESS_DENIED_NOT_FOUND : OnvifTopics.ACCESS_DENIED;
                if (uid != null) {
                    String personType = stranger ? "stranger" : type.equals("visitor") ? "visitor" : "employee";
                    b.person = new AccessEvent.Person(uid, personType, null, null, null, null, null, null, null);
                }
                String method = switch (type) {
                    case "qrcode" -> "qr";
                    default -> type;
                };
                b.credential = new AccessEvent.Credential(method, null, cardId, qrCode);
                if (score != null || sharp != null) {
                    b.verification = new AccessEvent.Verification(score, null, sharp, null);
                }
                b.temperature = temperature;
            }
            case "door" -> {
                b.kind = EventKind.DOOR_STATE;
                b.doorState = new AccessEvent.DoorState(switchState(state, "open", "closed"));
                b.onvifTopic = OnvifTopics.DOOR_PHYSICAL_STATE;
            }
            case "remote", "push" -> {
                String reason = type.equals("remote") ? "remote" : "exit-button";
                b.kind = EventKind.DOOR_RELEASED;
                b.credential = new AccessEvent.Credential(reason, null, null, null);
                b.onvifTopic = OnvifTopics.ACCESS_GRANTED_ANONYMOUS;
                vendor.put("reason", reason);
            }
            case "fire", "disa" -> {
                String name = type.equals("fire") ? "fire" : "tamper";
                String alarmState = switchState(state, "raised", "cleared");
                b.kind = alarmState.equals("raised") ? EventKind.ALARM_RAISED : EventKind.ALARM_CLEARED;
                b.alarm = new AccessEvent.Alarm(null, name, alarmState, null, null);
                b.onvifTopic = OnvifTopics.forAlarm(name);
            }
            case "reset" -> b.kind = EventKind.DEVICE_RESET;
            case "therm" -> {
                b.kind = EventKind.TEMPERATURE_MEASURED;
                b.temperature = temperature;
                if (uid != null) {
                    boolean stranger = uid.startsWith(STRANGER_PREFIX);
                    b.person = new AccessEvent.Person(uid, stranger ? "stranger" : "employee",
                            null, null, null, null, null, null, null);
                }
            }
            default -> {
                String shown = SAFE_CODE.matcher(type).matches() ? " '" + type + "'" : "";
                throw new InvalidEventException("field 'event' has an unknown value" + shown);
            }
        }
        return NormalizedEvent.of(b.build(EventIds.ofV3Event(deviceId, seqnum, timestamp)));
    }

    /**
     * A {@code device.gap} event: the device overwrote (or lost in a reset) the seqnums
     * {@code from..to} before the bridge fetched them. Its id is derived from the device, the
     * checkpoint epoch and the range, so detecting the same gap twice yields the same id.
     *
     * @param from       first lost seqnum, inclusive
     * @param to         last lost seqnum, inclusive
     * @param epoch      the checkpoint epoch the range belongs to (seqnums restart on reset)
     * @param detectedAt when the bridge noticed; the event's time
     * @param ctx        the poller's context; {@code ctx.deviceId()} is required
     */
    public static NormalizedEvent gap(long from, long to, long epoch, Instant detectedAt, SourceContext ctx) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(detectedAt, "detectedAt");
        if (ctx.deviceId() == null) {
            throw new IllegalArgumentException("ctx.deviceId() is required for a gap event");
        }
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("gap range must satisfy 0 <= from <= to");
        }
        Map<String, Object> vendor = new LinkedHashMap<>();
        vendor.put("epoch", epoch);
        Builder b = new Builder(ctx.deviceId(), null, ctx.remoteAddress(), ctx);
        b.kind = EventKind.DEVICE_GAP;
        b.occurredAt = detectedAt;
        b.gap = new AccessEvent.Gap(from, to, to - from + 1);
        b.vendor = vendor;
        return NormalizedEvent.of(b.build(EventIds.nameBased("v3-gap", ctx.deviceId(), epoch, from, to)));
    }

    private static String deniedReason(Integer state) {
        if (state == null) {
            return "unknown";
        }
        return switch (state) {
            case 1 -> "permission-not-enabled";
            case 2 -> "permission-expired";
            case 3 -> "no-permission";
            default -> "unknown";
        };
    }

    private static String switchState(Integer state, String on, String off) {
        if (state == null) {
            throw new InvalidEventException("field 'state' is required");
        }
        return switch (state) {
            case 1 -> on;
            case 0 -> off;
            default -> throw new InvalidEventException("field 'state' must be 0 or 1");
        };
    }

    private static final class Builder {
        final String deviceId;
        final String serialNumber;
        final String ipAddress;
        final SourceContext ctx;
        EventKind kind;
        Instant occurredAt;
        String onvifTopic;
        AccessEvent.Decision decision;
        AccessEvent.Person person;
        AccessEvent.Credential credential;
        AccessEvent.Verification verification;
        AccessEvent.Temperature temperature;
        AccessEvent.Alarm alarm;
        AccessEvent.DoorState doorState;
        AccessEvent.Gap gap;
        Map<String, Object> vendor;

        Builder(String deviceId, String serialNumber, String ipAddress, SourceContext ctx) {
            this.deviceId = deviceId;
            this.serialNumber = serialNumber;
            this.ipAddress = ipAddress;
            this.ctx = ctx;
        }

        CanonicalEvent build(String id) {
            AccessEvent.Device device = new AccessEvent.Device(deviceId, serialNumber, GENERATION, ctx.site(), ipAddress);
            AccessEvent.Door door = ctx.door() != null || onvifTopic != null
                    ? new AccessEvent.Door(ctx.door(), onvifTopic) : null;
            AccessEvent data = new AccessEvent(kind.id(), Timestamps.rfc3339(occurredAt), device, door,
                    ctx.direction(), decision, person, credential, verification, temperature, alarm, doorState,
                    gap, null, ctx.channel(), Collections.unmodifiableMap(vendor));
            String subject = ctx.door() != null ? ctx.door() : deviceId;
            return new CanonicalEvent(id, kind, DeviceUris.source(deviceId), subject, occurredAt, data);
        }
    }
}
