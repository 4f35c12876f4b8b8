package io.accessbridge.canonical;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds the CloudEvents {@code source} of a device: {@code urn:accessbridge:device:<id>}. */
public final class DeviceUris {

    private static final String PREFIX = "urn:accessbridge:device:";

    private DeviceUris() {
    }

    /** The source URI of the device with this id. */
    public static URI source(String deviceId) {
        return URI.create(PREFIX + URLEncoder.encode(deviceId, StandardCharsets.UTF_8));
    }
}
