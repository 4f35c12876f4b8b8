package io.accessbridge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

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
        byte[] raw = bytes(exchange.getMessage());
        exchange.setProperty(PROPERTY, raw);
        exchange.setProperty(CHANNEL, channel);
        return raw;
    }

    /**
     * The body as bytes. A body the HTTP server hands over as a stream is read once, directly
     * (Camel's stream-to-bytes converter costs two 8-16 KiB buffers per request), and the bytes
     * become the body, so the body can still be read afterwards.
     */
    private static byte[] bytes(Message message) {
        Object body = message.getBody();
        if (body instanceof byte[] b) {
            return b;
        }
        if (body instanceof InputStream in) {
            try (in) {
                byte[] raw = readFully(in);
                message.setBody(raw);
                return raw;
            } catch (IOException e) {
                throw new UncheckedIOException("reading the request body", e);
            }
        }
        byte[] raw = message.getBody(byte[].class);
        return raw == null ? new byte[0] : raw;
    }

    /**
     * Reads a stream to its end into an array of exactly its length. The bytes the stream says are
     * {@linkplain InputStream#available() available} (all of them for the cached request body) are
     * read into an array of that size; {@link InputStream#readAllBytes} would read into an 8 KiB
     * buffer and copy, on every request. Whatever follows is appended.
     */
    static byte[] readFully(InputStream in) throws IOException {
        byte[] head = in.readNBytes(in.available());
        int next = in.read();
        if (next < 0) {
            return head;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + 8192);
        out.write(head);
        out.write(next);
        in.transferTo(out);
        return out.toByteArray();
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
