package io.accessbridge.v1;

import static io.accessbridge.ingest.JsonFields.bool;
import static io.accessbridge.ingest.JsonFields.decimal;
import static io.accessbridge.ingest.JsonFields.identifier;
import static io.accessbridge.ingest.JsonFields.integer;
import static io.accessbridge.ingest.JsonFields.object;
import static io.accessbridge.ingest.JsonFields.requiredIdentifier;
import static io.accessbridge.ingest.JsonFields.requiredInteger;
import static io.accessbridge.ingest.JsonFields.smallInteger;
import static io.accessbridge.ingest.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.accessbridge.canonical.AccessEvent;
import io.accessbridge.canonical.CanonicalEvent;
import io.accessbridge.canonical.DeviceUris;
import io.accessbridge.canonical.EventIds;
import io.accessbridge.canonical.EventKind;
import io.accessbridge.canonical.OnvifTopics;
import io.accessbridge.canonical.Timestamps;
import io.accessbridge.images.ImageStore;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.privacy.PrivacyPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one v1 event envelope {@code {"type":0|1,"data":{...}}} (HTTP push or WebSocket frame,
 * specs 000-003) into a canonical event. A pure function of its inputs: every firmware variant
 * is accepted and produces the same canonical form.
 */
public final class V1EventNormalizer {

    /** {@code type} of a recognition record. */
    public static final int TYPE_RECOGNITION = 0;
    /** {@code type} of a device alarm (spec 002). */
    public static final int TYPE_ALARM = 1;

    private final PrivacyPolicy privacy;

    /** A normaliser that applies the given privacy policy. */
    public V1EventNormalizer(PrivacyPolicy privacy) {
        this.privacy = privacy;
    }

    /**
     * Normalises one envelope.
     *
     * @throws InvalidEventException when the envelope is not a v1 event this bridge understands
     */
    public NormalizedEvent normalize(JsonNode envelope, SourceContext ctx) {
        if (envelope == null || !envelope.isObject()) {
            throw new InvalidEventException("body must be a JSON object {\"type\":..,\"data\":{..}}");
        }
        long type = requiredInteger(envelope, "type");
        JsonNode data = object(envelope, "data");
        if (data == null) {
            throw new InvalidEventException("field 'data' is required");
        }
        if (type == TYPE_RECOGNITION) {
            return recognition(data, ctx);
        }
        if (type == TYPE_ALARM) {
            return alarm(data, ctx);
        }
        throw new InvalidEventException("unknown event type " + type + " (known: 0 recognition, 1 alarm)");
    }

    private NormalizedEvent recognition(JsonNode d, SourceContext ctx) {
        String serial = identifier(d, "deviceSN");
        String deviceId = deviceId(ctx, serial);
        Instant time = instant(requiredInteger(d, "timestamp"), "timestamp");
        Boolean pass = bool(d, "pass");
        Integer recognitionType = smallInteger(d, "recognitionType");
        Integer recognizeStatus = smallInteger(d, "recognizeStatus");
        Integer abnormalType = smallInteger(d, "abnormal_type");
        Integer entryMode = smallInteger(d, "entry_mode");
        Integer mode = smallInteger(d, "mode");
        Integer mask = smallInteger(d, "mask");
        Double recognizeScore = decimal(d, "recognizeScore");
        Double livenessScore = decimal(d, "livenessScore");
        Double bodyTemperature = decimal(d, "bodyTemperature");
        String uuid = identifier(d, "uuid");
        JsonNode user = object(d, "user");

        boolean granted = Boolean.TRUE.equals(pass);
        String personType = personType(recognitionType, recognizeStatus, user);
        String reason = reason(granted, recognitionType, recognizeStatus, abnormalType);
        EventKind kind = granted ? EventKind.ACCESS_GRANTED : EventKind.ACCESS_DENIED;

        String userIdForId = user == null ? null : text(user, "user_id");
        String id = uuid != null ? EventIds.ofV1Record(uuid)
                : EventIds.nameBased("v1", deviceId, time.getEpochSecond(), userIdForId, recognitionType,
                        recognizeStatus, recognizeScore, pass);

        Map<String, Object> vendor = new LinkedHashMap<>();
        putIfNotNull(vendor, "recognitionType", recognitionType);
        putIfNotNull(vendor, "recognizeStatus", recognizeStatus);
        putIfNotNull(vendor, "entryMode", entryMode);
        putIfNotNull(vendor, "mode", mode);
        putIfNotNull(vendor, "abnormalType", abnormalType);
        putIfNotNull(vendor, "mask", mask);
        putIfNotNull(vendor, "pass", pass);
        putIfNotNull(vendor, "userType", user == null ? null : smallInteger(user, "type"));
        putIfNotNull(vendor, "uuid", uuid);

        String onvif = granted ? OnvifTopics.ACCESS_GRANTED
                : "stranger".equals(personType) ? OnvifTopics.ACCESS_DENIED_NOT_FOUND : OnvifTopics.ACCESS_DENIED;
        AccessEvent.Temperature temperature = bodyTemperature == null || bodyTemperature == 0.0 ? null
                : new AccessEvent.Temperature(bodyTemperature, abnormalType != null && abnormalType == 40001);
        AccessEvent.Verification verification = recognizeScore == null && livenessScore == null && mask == null
                ? null : new AccessEvent.Verification(recognizeScore, livenessScore, null, code(V1Codes.MASK, mask));
        String method = entryMode != null ? code(V1Codes.ENTRY_MODE, entryMode)
                : mode != null && mode == 0 ? "face" : null;
        String verificationMode = mode == null ? null : code(V1Codes.VERIFICATION_MODE, mode);
        AccessEvent.Credential credential = method == null && verificationMode == null ? null
                : new AccessEvent.Credential(method, verificationMode, null, null);

        Image image = image(text(d, "rgb_image"), id);
        AccessEvent data = new AccessEvent(kind.id(), Timestamps.rfc3339(time),
                device(deviceId, serial, ctx), door(ctx, onvif), ctx.direction(),
                new AccessEvent.Decision(granted, reason), person(user, personType), credential, verification,
                temperature, null, null, null, image.ref, ctx.channel(), vendor);
        return new NormalizedEvent(event(id, kind, deviceId, ctx, time, data), image.bytes);
    }

    private NormalizedEvent alarm(JsonNode d, SourceContext ctx) {
        String deviceId = deviceId(ctx, identifier(d, "deviceSN"));
        String traceId = requiredIdentifier(d, "trace_id");
        long rawStatus = requiredInteger(d, "status");
        int status = (int) rawStatus;
        String state = status == rawStatus ? V1Codes.ALARM_STATUS.get(status) : null;
        if (state == null) {
            throw new InvalidEventException("field 'status' must be 1, 2 or 3");
        }
        Instant time = instantMillis(requiredInteger(d, "event_time"), "event_time");
        Integer code = smallInteger(d, "code");
        String name = code == null ? "unknown" : V1Codes.ALARM_CODE.getOrDefault(code, "unknown");
        EventKind kind = switch (status) {
            case 1 -> EventKind.ALARM_RAISED;
            case 2 -> EventKind.ALARM_CLEAR_FAILED;
            default -> EventKind.ALARM_CLEARED;
        };
        String id = EventIds.ofV1Alarm(traceId, status);
        Map<String, Object> vendor = new LinkedHashMap<>();
        putIfNotNull(vendor, "code", code);
        vendor.put("status", status);
        Image image = image(text(d, "alarm_photo"), id);
        AccessEvent data = new AccessEvent(kind.id(), Timestamps.rfc3339(time), device(deviceId, null, ctx),
                door(ctx, OnvifTopics.forAlarm(name)), null, null, null, null, null, null,
                new AccessEvent.Alarm(code, name, state, traceId, text(d, "description")),
                null, null, image.ref, ctx.channel(), vendor);
        return new NormalizedEvent(event(id, kind, deviceId, ctx, time, data), image.bytes);
    }

    private static String deviceId(SourceContext ctx, String serial) {
        if (ctx.deviceId() != null) {
            return ctx.deviceId();
        }
        if (serial != null) {
            return serial;
        }
        if (ctx.remoteAddress() != null) {
            return "addr-" + ctx.remoteAddress().replace(':', '-');
        }
        throw new InvalidEventException("cannot tell the sending device: no deviceSN, no device path, no address");
    }

    private static AccessEvent.Device device(String deviceId, String serial, SourceContext ctx) {
        return new AccessEvent.Device(deviceId, serial, "v1", ctx.site(), ctx.remoteAddress());
    }

    private static AccessEvent.Door door(SourceContext ctx, String onvifTopic) {
        return ctx.door() == null && onvifTopic == null ? null : new AccessEvent.Door(ctx.door(), onvifTopic);
    }

    private static CanonicalEvent event(String id, EventKind kind, String deviceId, SourceContext ctx, Instant time,
                                        AccessEvent data) {
        String subject = ctx.door() != null ? ctx.door() : deviceId;
        return new CanonicalEvent(id, kind, DeviceUris.source(deviceId), subject, time, data);
    }

    private static String personType(Integer recognitionType, Integer recognizeStatus, JsonNode user) {
        if (recognitionType != null && V1Codes.RECOGNITION_TYPE.containsKey(recognitionType)) {
            return V1Codes.RECOGNITION_TYPE.get(recognitionType);
        }
        if (recognizeStatus != null) {
            if (recognizeStatus == 3) {
                return "stranger";
            }
            if (recognizeStatus == 0 || recognizeStatus == 1) {
                return "unknown";
            }
        }
        Integer userType = user == null ? null : smallInteger(user, "type");
        if (userType != null && V1Codes.USER_TYPE.containsKey(userType)) {
            return V1Codes.USER_TYPE.get(userType);
        }
        return "unknown";
    }

    private static String reason(boolean granted, Integer recognitionType, Integer recognizeStatus,
                                 Integer abnormalType) {
        if (abnormalType != null && abnormalType != 0) {
            return V1Codes.ABNORMAL_TYPE.getOrDefault(abnormalType, "abnormal-" + abnormalType);
        }
        if (granted) {
            return "verified";
        }
        if (recognitionType != null) {
            switch (recognitionType) {
                case 3: return "stranger";
                case 4: return "not-live";
                case 5: return "blacklisted";
                default: break;
            }
        }
        if (recognizeStatus != null && recognizeStatus != 2 && recognizeStatus != 4 && recognizeStatus != 5) {
            return V1Codes.RECOGNIZE_STATUS.get(recognizeStatus) != null
                    ? V1Codes.RECOGNIZE_STATUS.get(recognizeStatus) : "unknown";
        }
        return "denied";
    }

    private AccessEvent.Person person(JsonNode user, String personType) {
        if (user == null) {
            return "stranger".equals(personType) || "unknown".equals(personType)
                    ? new AccessEvent.Person(null, personType, null, null, null, null, null, null, null) : null;
        }
        List<AccessEvent.Group> groups = null;
        JsonNode g = user.get("groups");
        if (g != null && !g.isNull()) {
            if (!g.isArray()) {
                throw new InvalidEventException("field 'user.groups' must be an array");
            }
            groups = new ArrayList<>();
            for (JsonNode item : g) {
                if (!item.isObject()) {
                    throw new InvalidEventException("field 'user.groups' must hold objects");
                }
                groups.add(new AccessEvent.Group(text(item, "id"), text(item, "name")));
            }
        }
        Long from = integer(user, "guest_time_start");
        Long until = integer(user, "guest_time_end");
        return new AccessEvent.Person(
                text(user, "user_id"),
                personType,
                privacy.forwardNames() ? text(user, "name") : null,
                text(user, "job_number"),
                text(user, "ic_number"),
                privacy.idNumberHash(text(user, "id_number")),
                groups,
                from == null || from == 0 ? null : Timestamps.rfc3339(instantMillis(from, "guest_time_start")),
                until == null || until == 0 ? null : Timestamps.rfc3339(instantMillis(until, "guest_time_end")));
    }

    private record Image(AccessEvent.Image ref, byte[] bytes) {
    }

    /** The snapshot to claim-check; an undecodable image is dropped, the event is never refused for it. */
    private Image image(String base64, String eventId) {
        if (!privacy.forwardImages() || base64 == null) {
            return new Image(null, null);
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new Image(null, null);
        }
        if (bytes.length == 0) {
            return new Image(null, null);
        }
        return new Image(new AccessEvent.Image(ImageStore.refFor(eventId), "image/jpeg", (long) bytes.length), bytes);
    }

    /**
     * A Unix time in seconds or milliseconds ({@code timestamp}: seconds in every spec example, milliseconds
     * accepted); one outside the years 0000-9999 is rejected. Any other instant is kept as the device said it.
     */
    private static Instant instant(long value, String field) {
        if (!Timestamps.inRange(value)) {
            throw new InvalidEventException("field '" + field + "' is out of range");
        }
        return Timestamps.fromUnix(value);
    }

    /**
     * A Unix time in milliseconds, as specs 002/003 document {@code event_time} and {@code guest_time_*}: read
     * by magnitude, a device clock reset to 1970 would be taken for seconds and moved years later.
     */
    private static Instant instantMillis(long value, String field) {
        if (!Timestamps.inMillisRange(value)) {
            throw new InvalidEventException("field '" + field + "' is out of range");
        }
        return Timestamps.fromUnixMillis(value);
    }

    private static String code(Map<Integer, String> table, Integer raw) {
        return raw == null ? null : table.getOrDefault(raw, "unknown");
    }

    private static void putIfNotNull(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
