package io.accessbridge.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares a rejected input for the quarantine queue: the raw bytes as received, the reason,
 * channel, sender and (when known) device id as properties, and the SHA-256 of the bytes as duplicate id (a device that
 * re-sends the same bad record fills the quarantine once).
 */
public final class Quarantine {

    /** Property: why the input was rejected. */
    public static final String REASON = "quarantineReason";
    /** Property: the ingest channel. */
    public static final String CHANNEL = "channel";
    /** Property: the sender's address. */
    public static final String REMOTE_ADDRESS = "remoteAddress";
    /** Property: the device's inventory id, when the receiver knew it. */
    public static final String DEVICE_ID = "deviceId";
    /** Property: when the input arrived, epoch millis. */
    public static final String RECEIVED_AT = "receivedAt";

    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);

    /** Replaces the message with the quarantine message of the exchange's raw input. */
    public void prepare(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause == null ? "rejected" : cause.getMessage();
        byte[] raw = RawInput.of(exchange);
        String channel = exchange.getProperty(RawInput.CHANNEL, "unknown", String.class);
        String remote = exchange.getProperty(IngestProperties.REMOTE_ADDRESS, String.class);
        String deviceId = exchange.getProperty(IngestProperties.DEVICE_ID, String.class);
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader("_AMQ_DUPL_ID", "quarantine:" + RawInput.sha256(raw));
        m.setHeader(REASON, reason);
        m.setHeader(CHANNEL, channel);
        if (remote != null) {
            m.setHeader(REMOTE_ADDRESS, remote);
        }
        if (deviceId != null) {
            m.setHeader(DEVICE_ID, deviceId);
        }
        m.setHeader(RECEIVED_AT, exchange.getClock().getCreated());
        m.setBody(raw);
        LOG.warn("Quarantined input from {} on {}: {} ({})", remote, channel, reason, RawInput.describe(raw));
    }
}
