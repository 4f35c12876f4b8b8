package io.accessbridge.ingest;

/** Exchange property names shared by the receivers, the replies and the quarantine. */
public final class IngestProperties {

    /** The sender's IP address. */
    public static final String REMOTE_ADDRESS = "bridge.remoteAddress";
    /** The inventory id of the device the input came from, when known. */
    public static final String DEVICE_ID = "bridge.deviceId";
    /** The normalised event of this exchange. */
    public static final String NORMALIZED = "bridge.normalized";

    private IngestProperties() {
    }
}
