package io.accessbridge.inventory;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One device of {@code config/devices.yaml}.
 *
 * @param id                 inventory id, {@code [A-Za-z0-9._-]{1,64}}; route id {@code device-<id>}
 * @param generation         {@code v1} (HTTP push / WebSocket) or {@code v3} (legacy JSON-action API)
 * @param address            the device's base URL, e.g. {@code http://10.0.4.21:8090} or {@code https://...}
 * @param serialNumber       v1 {@code deviceSN}, to recognise its pushes (optional)
 * @param site               site name, copied into events and the {@code site} JMS property (optional)
 * @param door               door or access point name, the events' {@code subject} (optional)
 * @param direction          attendance direction {@code IN} or {@code OUT}; {@code null} for none
 * @param timeZone           the device's local time zone, for HR/ERP targets (default UTC)
 * @param channels           which channels are on
 * @param tls                how to trust the device's certificate for https/wss
 * @param token              v3 API token, resolved from its reference (never written inline)
 * @param v3                 v3 polling settings
 * @param remoteVerification v1 remote verification (spec 001), off when {@code null}
 */
public record DeviceConfig(String id, Generation generation, URI address, String serialNumber, String site,
                           String door, String direction, ZoneId timeZone, Channels channels, Tls tls,
                           SecretRef token, V3Polling v3, RemoteVerification remoteVerification) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Whether {@code id} is a well-formed inventory id: 1-64 characters of {@code A-Z a-z 0-9 . _ -}. */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Device protocol generation. */
    public enum Generation { V1, V3 }

    /**
     * Channels of a device.
     *
     * @param push      v1 HTTP push (the bridge keeps the device subscribed), default true
     * @param websocket v1 WebSocket client on {@code /v1/event}, default false
     * @param poll      v3 polling with {@code event-info}/{@code event-fetch}, default true
     * @param report    v3 {@code event-report} pushes accepted, default true
     */
    public record Channels(boolean push, boolean websocket, boolean poll, boolean report) {
    }

    /**
     * Trust for a device's https/wss certificate. Never trust-all.
     *
     * @param truststore          PKCS12/JKS truststore holding the device's (self-signed) certificate
     * @param truststorePassword  its password, by reference
     * @param pinnedSha256        alternatively, the SHA-256 fingerprint (hex) of the device certificate
     * @param verifyHostname      check the certificate's host name (default true; devices addressed by IP
     *                            with self-signed certificates usually need a pin or false)
     */
    public record Tls(String truststore, SecretRef truststorePassword, String pinnedSha256, boolean verifyHostname) {
    }

    /**
     * v3 polling.
     *
     * @param apiVersion   path segment of the API, e.g. {@code v3.1}
     * @param pageSize     {@code limit} of each {@code event-fetch} (default 100)
     * @param intervalMs   pause between polls once caught up (default 5000)
     * @param firstContact where to start when there is no checkpoint
     */
    public record V3Polling(String apiVersion, int pageSize, long intervalMs, FirstContact firstContact) {
    }

    /**
     * Where a v3 device with no checkpoint starts.
     *
     * @param mode  {@code ALL} (everything the device holds), {@code NEW} (only events after first contact)
     *              or {@code SINCE} (events at or after {@code since})
     * @param since the date for {@code SINCE}
     */
    public record FirstContact(Mode mode, Instant since) {
        /** First-contact policy. */
        public enum Mode { ALL, NEW, SINCE }
    }

    /**
     * Remote verification: ask an access-control decision endpoint whether to open the door.
     *
     * @param endpoint  HTTP URL taking the canonical event JSON, answering {@code {"pass":bool,"tips":"..."}}
     * @param timeoutMs answer within this time or fall back (default 300)
     * @param failSafe  {@code ECHO} (the device's own decision) or {@code DENY} when the endpoint is slow or down
     */
    public record RemoteVerification(URI endpoint, long timeoutMs, FailSafe failSafe) {
        /** What to answer when the decision endpoint does not. */
        public enum FailSafe { ECHO, DENY }
    }

    /** The time zone, UTC when not configured. */
    public ZoneId zone() {
        return timeZone == null ? ZoneId.of("UTC") : timeZone;
    }

    /** The host of the device address. */
    public Optional<String> host() {
        return Optional.ofNullable(address).map(URI::getHost);
    }
}
