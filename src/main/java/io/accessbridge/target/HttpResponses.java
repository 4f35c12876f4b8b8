package io.accessbridge.target;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Judges the HTTP answer of a target (the Camel {@code http} endpoint called with
 * {@code throwExceptionOnFailure=false}) the same way for every HTTP target:
 * <ul>
 * <li>2xx: delivered;</li>
 * <li>408, 425, 429 and 5xx: the target is busy or down, retry (honouring {@code Retry-After});</li>
 * <li>3xx, 401, 403, 404, 405, 407, 410: the target is misconfigured or closed as a whole (credentials, URL), retry so
 *     that nothing is dead-lettered while an operator fixes it;</li>
 * <li>any other 4xx: the target refuses this event, dead-letter it.</li>
 * </ul>
 */
public final class HttpResponses {

    private static final Set<Integer> TARGET_LEVEL = Set.of(401, 403, 404, 405, 407, 410);
    private static final Set<Integer> BUSY = Set.of(408, 425, 429);
    private static final int MAX_DETAIL = 500;

    private HttpResponses() {
    }

    /** The status code of the answer. */
    public static int status(Message message) {
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null) {
            throw DeliveryException.retryable("no-http-status", null);
        }
        return status;
    }

    /** The body of the answer as text, empty when there is none. */
    public static String body(Message message) {
        String body = message.getBody(String.class);
        return body == null ? "" : body;
    }

    /** Throws the {@link DeliveryException} an answer that is not 2xx stands for; returns on 2xx. */
    public static void check(Message message, Clock clock) {
        int status = status(message);
        if (status >= 200 && status < 300) {
            return;
        }
        throw failure(status, body(message), message.getHeader("Retry-After"), clock);
    }

    /** The failure an answer that is not 2xx stands for. */
    public static DeliveryException failure(int status, String body, Object retryAfterHeader, Clock clock) {
        String code = "http-" + status;
        String detail = abbreviate(body);
        if (status >= 500 || BUSY.contains(status)) {
            Duration wait = RetryAfter.parse(retryAfterHeader, clock.instant()).orElse(null);
            return DeliveryException.retryable(code, detail, wait);
        }
        if (status < 400 || TARGET_LEVEL.contains(status)) {
            return DeliveryException.retryable(code, detail);
        }
        return DeliveryException.permanent(code, detail);
    }

    /** At most a few hundred characters of a target's answer, for a dead letter's reason. */
    public static String abbreviate(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        return t.length() <= MAX_DETAIL ? t : t.substring(0, MAX_DETAIL) + "...";
    }
}
