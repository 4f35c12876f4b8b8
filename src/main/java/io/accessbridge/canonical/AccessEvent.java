package io.accessbridge.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The canonical access event: the {@code data} of every CloudEvent the bridge publishes.
 * Its JSON form is described by {@code schema/access-event-1.0.json}. Absent parts are
 * omitted from the JSON, never written as {@code null}.
 *
 * @param kind         what happened, one of {@link EventKind#id()}
 * @param occurredAt   when it happened on the device, UTC RFC 3339
 * @param device       the device that reported it
 * @param door         the door or access point, from the inventory
 * @param direction    attendance direction of the access point: {@code IN}, {@code OUT} or absent
 * @param decision     the access decision, for access events
 * @param person       who was recognised, for access events (never {@code pin})
 * @param credential   how the person identified themselves
 * @param verification recognition and liveness scores, mask detection
 * @param temperature  body temperature when measured
 * @param alarm        alarm code and state, for alarm events
 * @param doorState    physical door state, for door events
 * @param gap          the seqnum range the device lost, for {@code device.gap}
 * @param image        claim-check reference to a stored snapshot, only when images are enabled
 * @param channel      how the event reached the bridge: {@code http-push}, {@code websocket},
 *                     {@code v3-fetch} or {@code v3-report}
 * @param vendor       the raw vendor codes the mapped values came from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccessEvent(
        String kind,
        String occurredAt,
        Device device,
        Door door,
        String direction,
        Decision decision,
        Person person,
        Credential credential,
        Verification verification,
        Temperature temperature,
        Alarm alarm,
        DoorState doorState,
        Gap gap,
        Image image,
        String channel,
        Map<String, Object> vendor) {

    /** The device that reported the event. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Device(String id, String serialNumber, String generation, String site, String ipAddress) {
    }

    /** The door or access point; {@code onvifTopic} is the matching ONVIF event topic when one exists. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Door(String name, String onvifTopic) {
    }

    /**
     * The access decision. {@code reason} is a stable token such as {@code verified},
     * {@code stranger}, {@code not-live}, {@code blacklisted}, {@code no-permission},
     * {@code permission-expired}, {@code outside-allowed-time}, {@code wrong-pin}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Decision(boolean granted, String reason) {
    }

    /**
     * The recognised person. {@code type} is {@code employee}, {@code visitor}, {@code blacklisted},
     * {@code stranger} or {@code unknown}. {@code idNumberHash} is present only when hashing is
     * configured; {@code pin} never exists here.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Person(String userId, String type, String name, String jobNumber, String cardNumber,
                         String idNumberHash, List<Group> groups, String visitorValidFrom,
                         String visitorValidUntil) {
    }

    /** A group the person belongs to on the device. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Group(String id, String name) {
    }

    /**
     * How the person identified themselves. {@code method} comes from the vendor's entry mode
     * (for example {@code face}, {@code card}, {@code face+card}, {@code qr}, {@code exit-button});
     * {@code verificationMode} is the device's configured verification policy.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Credential(String method, String verificationMode, String cardId, String qrCode) {
    }

    /** Recognition scores (0..1 or vendor scale) and mask detection ({@code not-checked}, {@code no-mask}, {@code mask}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verification(Double recognitionScore, Double livenessScore, Double imageSharpness, String mask) {
    }

    /** A body temperature in degrees Celsius; {@code abnormal} when the device flagged it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Temperature(double celsius, Boolean abnormal) {
    }

    /**
     * A device alarm. {@code name} is {@code tamper}, {@code door-forced-open}, {@code door-open-timeout},
     * {@code password-attack}, {@code fire} or {@code unknown}; {@code state} is {@code raised},
     * {@code clear-failed} or {@code cleared}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Alarm(Integer code, String name, String state, String traceId, String description) {
    }

    /** Physical door state: {@code open} or {@code closed}. */
    public record DoorState(String state) {
    }

    /** A seqnum range ({@code from}..{@code to}, inclusive) the device overwrote before it was fetched. */
    public record Gap(long from, long to, long count) {
    }

    /** A claim check: where the snapshot image is stored, never the image itself. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(String ref, String mediaType, Long size) {
    }
}
