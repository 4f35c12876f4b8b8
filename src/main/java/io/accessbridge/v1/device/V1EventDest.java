package io.accessbridge.v1.device;

import io.accessbridge.inventory.DeviceConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The {@code event_dest} a v1 device is subscribed to:
 * {@code <bridge.public-url><bridge.v1.push.path>/<device-id>}, the device id in the path so that
 * its alarms (which carry no serial number) are attributed to it. The bridge refuses to give a
 * device a URL it cannot reach: none configured, not http(s), or a loopback or wildcard address
 * while the device itself is not on loopback.
 *
 * @param url     the URL, or {@code null} when refused
 * @param refusal why it is refused, or {@code null}
 */
public record V1EventDest(String url, String refusal) {

    private static final int MAX_BYTES = 1024;

    /** The event_dest of a device, or the reason there is none. */
    public static V1EventDest of(String publicUrl, String pushPath, DeviceConfig device) {
        if (publicUrl == null || publicUrl.isBlank()) {
            return refused("bridge.public-url is not set (the URL devices reach the bridge at)");
        }
        URI base;
        try {
            base = URI.create(publicUrl.trim());
        } catch (IllegalArgumentException e) {
            return refused("bridge.public-url is not a valid URL");
        }
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || base.getHost() == null) {
            return refused("bridge.public-url must be an http:// or https:// URL with a host");
        }
        String host = base.getHost();
        boolean deviceOnLoopback = device.address() != null && isLoopback(device.address().getHost());
        if (isWildcard(host)) {
            return refused("bridge.public-url names the wildcard address " + host + ", which no device can reach");
        }
        if (isLoopback(host) && !deviceOnLoopback) {
            return refused("bridge.public-url names the loopback host " + host
                    + ", which the device cannot reach (it is not on this machine)");
        }
        String root = base.toString();
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        String path = pushPath.startsWith("/") ? pushPath : "/" + pushPath;
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String url = root + path + "/" + device.id();
        if (url.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return refused("event_dest would be longer than the 1024 characters devices accept");
        }
        return new V1EventDest(url, null);
    }

    private static V1EventDest refused(String why) {
        return new V1EventDest(null, why);
    }

    /** Whether a host is {@code localhost} or a loopback IP literal (names are not resolved). */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = strip(host).toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        InetAddress ip = literal(h);
        return ip != null && ip.isLoopbackAddress();
    }

    private static boolean isWildcard(String host) {
        InetAddress ip = literal(strip(host));
        return ip != null && ip.isAnyLocalAddress();
    }

    private static String strip(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static InetAddress literal(String h) {
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
