package io.accessbridge.v3;

/**
 * A v3 device answered {@code event-fetch} with HTTP 200 and a body the bridge cannot read: not
 * well-formed JSON (for example a number longer than the JSON reader allows), or an event that is
 * not an object or has no usable {@code seqnum}. Carries the reply as received so that the poller
 * can keep it on the quarantine queue; the reply may hold personal data and is never logged.
 */
public final class V3UnreadableReplyException extends V3ProtocolException {

    private final byte[] reply;

    /**
     * @param message what went wrong, without personal data or secrets
     * @param reply   the reply body as received
     */
    public V3UnreadableReplyException(String message, byte[] reply) {
        super(message, 200, null);
        this.reply = reply.clone();
    }

    /** The reply body as received. */
    public byte[] reply() {
        return reply.clone();
    }
}
