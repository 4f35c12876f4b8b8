package io.accessbridge.canonical;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic event ids. The same device record always yields the same id, so re-sent,
 * re-fetched and double-channel copies collapse in the broker's duplicate detection.
 */
public final class EventIds {

    /** Namespace of the bridge's name-based (version 5) UUIDs. */
    public static final UUID NAMESPACE = UUID.fromString("6f0d3c1e-8a57-4f3b-9a41-2d8e5b7c9f10");

    private EventIds() {
    }

    /** Id of a v1 recognition record that carries its own {@code uuid}. */
    public static String ofV1Record(String uuid) {
        return uuid;
    }

    /** Id of a v1 alarm: its {@code trace_id} and status, so raise and clear are two events. */
    public static String ofV1Alarm(String traceId, int status) {
        return traceId + ":" + status;
    }

    /** Id of a v3 event: the device, its seqnum and timestamp (a reset device reuses seqnums). */
    public static String ofV3Event(String deviceId, long seqnum, long timestamp) {
        return deviceId + ":" + seqnum + ":" + timestamp;
    }

    /** A version 5 UUID of the given identifying fields, joined unambiguously. */
    public static String nameBased(Object... fields) {
        StringBuilder name = new StringBuilder();
        for (Object field : fields) {
            String s = String.valueOf(field);
            name.append(s.length()).append(':').append(s).append('|');
        }
        return uuidV5(NAMESPACE, name.toString()).toString();
    }

    static UUID uuidV5(UUID namespace, String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            ByteBuffer ns = ByteBuffer.allocate(16);
            ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
            sha1.update(ns.array());
            byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
            ByteBuffer bb = ByteBuffer.wrap(hash, 0, 16);
            return new UUID(bb.getLong(), bb.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }
}
