package io.accessbridge.target;

/**
 * Where one delivery target reads its events and what it does with failures. Keys are
 * {@code bridge.target.<name>.*}; the route that delivers to the target has the id
 * {@code forward-<name>} and lives in {@code routes/forward-<name>.camel.yaml}.
 *
 * @param name            the target's name, e.g. {@code erpnext}
 * @param enabled         whether its route consumes ({@code enabled}, default false); its queues are
 *                        created only when enabled, so a disabled target keeps no backlog
 * @param eventsAddress   the multicast events address its queue is bound to ({@code bridge.events.address})
 * @param queue           its own durable queue on the events address ({@code queue}, default
 *                        {@code <events address>.<name>})
 * @param queueFilter     optional broker-side filter of that queue, JMS selector syntax on the event
 *                        properties ({@code queue-filter}); applied when the queue is created
 * @param deadLetterQueue where events it gave up on are kept for replay ({@code dead-letter-queue}, default
 *                        {@code DLQ.<queue>})
 * @param retry           backoff and give-up time ({@code retry.*})
 */
public record TargetSettings(String name, boolean enabled, String eventsAddress, String queue, String queueFilter,
                             String deadLetterQueue, RetrySettings retry) {

    /** The queue as a fully qualified queue name {@code address::queue}, to send to it alone. */
    public String fullyQualifiedQueue() {
        return eventsAddress + "::" + queue;
    }

    /** Reads the settings of target {@code name}. */
    public static TargetSettings from(Settings all, String name) {
        Settings s = all.forTarget(name);
        String p = "bridge.target." + name + ".";
        String address = s.string("bridge.events.address", "access.events");
        String queue = s.string(p + "queue", address + "." + name);
        return new TargetSettings(name, s.bool(p + "enabled", false), address, queue,
                s.optional(p + "queue-filter").orElse(null),
                s.string(p + "dead-letter-queue", "DLQ." + queue),
                RetrySettings.from(s, p));
    }
}
