package io.accessbridge.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.accessbridge.tls.DeviceTls;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates {@code config/devices.yaml}. Every error names the file, the device and the
 * field, e.g. {@code config/devices.yaml: device 'lobby-1': field 'direction': must be IN, OUT or none};
 * all errors of a file are reported together.
 */
public final class DeviceInventoryLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FIELDS = Set.of("id", "generation", "address", "serialNumber", "site", "door",
            "direction", "timeZone", "channels", "tls", "token", "v3", "remoteVerification");

    private final Map<String, String> environment;

    /** A loader resolving secret references against {@code environment}. */
    public DeviceInventoryLoader(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Loads a file; a missing file is an empty inventory. */
    public DeviceInventory load(Path file) {
        if (!Files.exists(file)) {
            return new DeviceInventory(List.of());
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new InventoryException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return parse(file.toString(), root);
    }

    /** Validates a parsed inventory; {@code name} is used in messages. */
    public DeviceInventory parse(String name, JsonNode root) {
        List<String> errors = new ArrayList<>();
        List<DeviceConfig> devices = new ArrayList<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return new DeviceInventory(List.of());
        }
        JsonNode list = root.get("devices");
        if (list == null || !list.isArray()) {
            throw new InventoryException(name + ": top-level field 'devices' must be a list");
        }
        Set<String> ids = new HashSet<>();
        int index = 0;
        for (JsonNode node : list) {
            index++;
            String label = node.hasNonNull("id") ? "device '" + node.get("id").asText() + "'" : "device #" + index;
            Errors e = new Errors(name + ": " + label, errors);
            DeviceConfig d = device(node, e);
            if (d != null && !ids.add(d.id())) {
                e.add("id", "duplicate id");
            }
            if (d != null && e.clean()) {
                devices.add(d);
            }
        }
        if (!errors.isEmpty()) {
            throw new InventoryException(String.join("\n", errors));
        }
        return new DeviceInventory(devices);
    }

    private static final class Errors {
        private final String prefix;
        private final List<String> sink;
        private final int before;

        Errors(String prefix, List<String> sink) {
            this.prefix = prefix;
            this.sink = sink;
            this.before = sink.size();
        }

        void add(String field, String problem) {
            sink.add(prefix + ": field '" + field + "': " + problem);
        }

        boolean clean() {
            return sink.size() == before;
        }
    }

    private DeviceConfig device(JsonNode n, Errors e) {
        if (!n.isObject()) {
            e.add("-", "must be a mapping");
            return null;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                e.add(f, "unknown field (known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        String id = text(n, "id");
        if (!DeviceConfig.isValidId(id)) {
            e.add("id", "required, 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        DeviceConfig.Generation generation = null;
        String g = text(n, "generation");
        if (g == null || !(g.equalsIgnoreCase("v1") || g.equalsIgnoreCase("v3"))) {
            e.add("generation", "required, v1 or v3");
        } else {
            generation = DeviceConfig.Generation.valueOf(g.toUpperCase(Locale.ROOT));
        }
        URI address = null;
        String a = text(n, "address");
        if (a != null) {
            try {
                address = URI.create(a);
                if (!("http".equals(address.getScheme()) || "https".equals(address.getScheme())) || address.getHost() == null) {
                    e.add("address", "must be an http:// or https:// URL with a host");
                }
            } catch (IllegalArgumentException ex) {
                e.add("address", "not a valid URL");
            }
        } else if (generation == DeviceConfig.Generation.V3) {
            e.add("address", "required for v3 devices (the bridge polls it)");
        }
        String direction = text(n, "direction");
        if (direction != null) {
            direction = direction.toUpperCase(Locale.ROOT);
            if (direction.equals("NONE")) {
                direction = null;
            } else if (!direction.equals("IN") && !direction.equals("OUT")) {
                e.add("direction", "must be IN, OUT or none");
            }
        }
        ZoneId zone = null;
        String tz = text(n, "timeZone");
        if (tz != null) {
            try {
                zone = ZoneId.of(tz);
            } catch (DateTimeException ex) {
                e.add("timeZone", "not a time zone id (e.g. Europe/Berlin, UTC)");
            }
        }
        JsonNode ch = n.get("channels");
        DeviceConfig.Channels channels = new DeviceConfig.Channels(
                bool(ch, "push", true, e, "channels.push"), bool(ch, "websocket", false, e, "channels.websocket"),
                bool(ch, "poll", true, e, "channels.poll"), bool(ch, "report", true, e, "channels.report"));
        if (channels.websocket() && address == null) {
            e.add("address", "required when channels.websocket is on");
        }
        DeviceConfig.Tls tls = tls(n.get("tls"), e);
        if (address != null && "https".equals(address.getScheme()) && tls == null) {
            e.add("tls", "required for an https device: a truststore or a pinned certificate (trust-all is never used)");
        }
        SecretRef token = secret(n.get("token"), e, "token");
        if (generation == DeviceConfig.Generation.V3 && token == null) {
            e.add("token", "required for v3 devices: {env: NAME} or {file: path}");
        }
        DeviceConfig.V3Polling v3 = v3(n.get("v3"), e);
        DeviceConfig.RemoteVerification rv = remoteVerification(n.get("remoteVerification"), e);
        if (id == null || generation == null || !e.clean()) {
            return null;
        }
        return new DeviceConfig(id, generation, address, text(n, "serialNumber"), text(n, "site"), text(n, "door"),
                direction, zone, channels, tls, token, v3, rv);
    }

    private DeviceConfig.Tls tls(JsonNode t, Errors e) {
        if (t == null || t.isNull()) {
            return null;
        }
        String store = text(t, "truststore");
        String pin = text(t, "pinnedSha256");
        if (store == null && pin == null) {
            e.add("tls", "needs truststore or pinnedSha256");
        }
        if (store != null && !Files.isReadable(Path.of(store))) {
            e.add("tls.truststore", "file " + store + " cannot be read");
        }
        if (pin != null && !pin.replace(":", "").matches("(?i)[0-9a-f]{64}")) {
            e.add("tls.pinnedSha256", "must be 64 hex digits (colons allowed)");
        }
        SecretRef pw = secret(t.get("truststorePassword"), e, "tls.truststorePassword");
        if (store != null && Files.isReadable(Path.of(store)) && usable(t.get("truststorePassword"), pw)) {
            try {
                DeviceTls.loadTrustStore(store, pw, environment);
            } catch (IllegalStateException ex) {
                e.add("tls.truststore", ex.getMessage());
            }
        }
        return new DeviceConfig.Tls(store, pw, pin == null ? null : pin.replace(":", "").toLowerCase(Locale.ROOT),
                bool(t, "verifyHostname", true, e, "tls.verifyHostname"));
    }

    /** Whether a secret is absent or resolves (its own errors are reported on its field). */
    private boolean usable(JsonNode node, SecretRef ref) {
        if (node == null || node.isNull()) {
            return true;
        }
        if (ref == null) {
            return false;
        }
        try {
            ref.resolve(environment);
            return true;
        } catch (IllegalStateException ex) {
            return false;
        }
    }

    private SecretRef secret(JsonNode s, Errors e, String field) {
        if (s == null || s.isNull()) {
            return null;
        }
        if (s.isTextual()) {
            e.add(field, "secrets are never written inline: use {env: NAME} or {file: path}");
            return null;
        }
        SecretRef ref = new SecretRef(text(s, "env"), text(s, "file"));
        if ((ref.env() == null) == (ref.file() == null)) {
            e.add(field, "give exactly one of env or file");
            return null;
        }
        try {
            ref.resolve(environment);
        } catch (IllegalStateException ex) {
            e.add(field, ex.getMessage());
        }
        return ref;
    }

    private static DeviceConfig.V3Polling v3(JsonNode v, Errors e) {
        String api = v == null ? null : text(v, "apiVersion");
        if (api != null && !api.matches("v3\\.[0-9]+")) {
            e.add("v3.apiVersion", "must look like v3.1");
        }
        int page = v == null || !v.has("pageSize") ? 100 : v.get("pageSize").asInt(-1);
        if (page < 1 || page > 1000) {
            e.add("v3.pageSize", "must be 1..1000");
        }
        long interval = v == null || !v.has("intervalMs") ? 5000 : v.get("intervalMs").asLong(-1);
        if (interval < 100) {
            e.add("v3.intervalMs", "must be at least 100");
        }
        DeviceConfig.FirstContact first = new DeviceConfig.FirstContact(DeviceConfig.FirstContact.Mode.ALL, null);
        String fc = v == null ? null : text(v, "firstContact");
        if (fc != null) {
            String f = fc.trim();
            if (f.equalsIgnoreCase("all")) {
                first = new DeviceConfig.FirstContact(DeviceConfig.FirstContact.Mode.ALL, null);
            } else if (f.equalsIgnoreCase("new")) {
                first = new DeviceConfig.FirstContact(DeviceConfig.FirstContact.Mode.NEW, null);
            } else if (f.toLowerCase(Locale.ROOT).startsWith("since:")) {
                try {
                    first = new DeviceConfig.FirstContact(DeviceConfig.FirstContact.Mode.SINCE,
                            Instant.parse(f.substring("since:".length()).trim()));
                } catch (DateTimeException ex) {
                    e.add("v3.firstContact", "since: needs an RFC 3339 instant, e.g. since:2024-01-01T00:00:00Z");
                }
            } else {
                e.add("v3.firstContact", "must be all, new or since:<instant>");
            }
        }
        return new DeviceConfig.V3Polling(api == null ? "v3.1" : api, page, interval, first);
    }

    private static DeviceConfig.RemoteVerification remoteVerification(JsonNode r, Errors e) {
        if (r == null || r.isNull()) {
            return null;
        }
        String ep = text(r, "endpoint");
        URI uri = null;
        try {
            uri = ep == null ? null : URI.create(ep);
        } catch (IllegalArgumentException ex) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
            e.add("remoteVerification.endpoint", "required, an http(s) URL");
        }
        long timeout = r.has("timeoutMs") ? r.get("timeoutMs").asLong(-1) : 300;
        if (timeout < 10 || timeout > 10_000) {
            e.add("remoteVerification.timeoutMs", "must be 10..10000");
        }
        String fs = text(r, "failSafe");
        DeviceConfig.RemoteVerification.FailSafe failSafe = DeviceConfig.RemoteVerification.FailSafe.ECHO;
        if (fs != null) {
            try {
                failSafe = DeviceConfig.RemoteVerification.FailSafe.valueOf(fs.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                e.add("remoteVerification.failSafe", "must be echo or deny");
            }
        }
        return new DeviceConfig.RemoteVerification(uri, timeout, failSafe);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }

    private static boolean bool(JsonNode n, String field, boolean dflt, Errors e, String path) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            e.add(path, "must be true or false");
            return dflt;
        }
        return v.booleanValue();
    }
}
