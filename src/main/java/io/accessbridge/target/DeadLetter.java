package io.accessbridge.target;

import java.time.Instant;

/**
 * One event in a target's dead-letter queue.
 *
 * @param target         the target that gave up on it
 * @param queue          the dead-letter queue it is in
 * @param messageId      its JMS message id in that queue
 * @param eventId        the canonical event id
 * @param kind           the event kind
 * @param deviceId       the device
 * @param reason         why the target gave up (code, then the target's answer)
 * @param attempts       delivery attempts made
 * @param deadLetteredAt when it was dead-lettered
 * @param origin         the queue a replay sends it back to ({@code address::queue})
 */
public record DeadLetter(String target, String queue, String messageId, String eventId, String kind, String deviceId,
                         String reason, int attempts, Instant deadLetteredAt, String origin) {
}
