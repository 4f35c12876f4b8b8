package io.accessbridge.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;

/** The last events stored, newest first, masked as {@link RecentEvent}s; a fixed number is kept. */
public final class RecentEvents {

    private final int capacity;
    private final Deque<RecentEvent> events = new ArrayDeque<>();

    /** Keeps the last {@code capacity} events. */
    public RecentEvents(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    /** Adds an event, dropping the oldest when full. */
    public synchronized void add(RecentEvent event) {
        events.addFirst(event);
        while (events.size() > capacity) {
            events.removeLast();
        }
    }

    /** At most {@code limit} events, newest first. */
    public synchronized List<RecentEvent> latest(int limit) {
        List<RecentEvent> out = new ArrayList<>(Math.min(limit, events.size()));
        for (RecentEvent e : events) {
            if (out.size() >= limit) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** How many events are kept at most. */
    public int capacity() {
        return capacity;
    }

    /** The masked reference of an event id: the first 12 hex digits of its SHA-256. */
    public static String ref(String eventId) {
        if (eventId == null) {
            return null;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
