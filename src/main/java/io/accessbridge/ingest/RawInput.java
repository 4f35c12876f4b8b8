package io.accessbridge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.camel.Exchange;

/**
 * The raw body a device sent, kept on the exchange from the moment it arrives so that a
 * rejected input can go to quarantine exactly as received.
 */
public final class RawInput {

    /** Exchange property holding the raw body bytes. */
    public static final String PROPERTY = "bridge.rawInput";
    /** Exchange property holding the ingest channel. */
    public static final String CHANNEL = "bridge.channel";

    private RawInput() {
    }

    /** Keeps the current body as the raw input and returns it. */
    public static byte[] capture(Exchange exchange, String channel) {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        if (raw == null) {
            raw = new byte[0];
        }
        exchange.setProperty(PROPERTY, raw);
        exchange.setProperty(CHANNEL, channel);
        return raw;
    }

    /** The raw input kept by {@link #capture}. */
    public static byte[] of(Exchange exchange) {
        byte[] raw = exchange.getProperty(PROPERTY, byte[].class);
        return raw == null ? new byte[0] : raw;
    }

    /** Parses JSON; the error names the position, never the content. */
    public static JsonNode parseJson(byte[] raw) {
        if (raw.length == 0) {
            throw new InvalidEventException("empty body: expected a JSON object");
        }
        try {
            JsonNode node = VendorJson.MAPPER.readTree(raw);
            if (node == null || node.isMissingNode()) {
                throw new InvalidEventException("empty body: expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new InvalidEventException("malformed JSON" + (loc == null ? ""
                    : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()));
        } catch (java.io.IOException e) {
            throw new InvalidEventException("unreadable body");
        }
    }

    /** SHA-256 hex of the raw input: its quarantine duplicate id. */
    public static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Text of the raw input for logs: never its content, only its size and hash prefix. */
    public static String describe(byte[] raw) {
        return raw.length + " bytes, sha256 " + sha256(raw).substring(0, 12);
    }

    /** UTF-8 text of bytes. */
    static String utf8(byte[] raw) {
        return new String(raw, StandardCharsets.UTF_8);
    }
}
