package io.accessbridge.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a settings file against the reference settings shipped in the jar (the bridge's own
 * {@code config/application.properties}, copied at build time): every {@code bridge.*} key must be one the bridge
 * reads, and every value of a known key must have the reference's kind (whole number, number, true/false,
 * duration, or one of a few words). Per-target keys ({@code bridge.target.<name>.*}) are checked against the keys
 * of the built-in targets for any target named in {@code bridge.targets}; queue filters
 * ({@code bridge.events.queue.<queue>.filter}) for any queue. {@code camel.*} keys are checked for kind only when the
 * reference has them (Camel reports its own unknown keys at start).
 */
public final class SettingsCheck {

    /** Classpath location of the reference settings. */
    public static final String REFERENCE = "/io/accessbridge/ops/reference/application.properties";

    private static final Pattern ENTRY = Pattern.compile("^\\s*(#?)\\s*([A-Za-z][A-Za-z0-9._-]*)\\s*[=:]\\s?(.*)$");
    private static final Pattern DURATION = Pattern.compile("\\d+(ms|s|m|h|d)");
    private static final Pattern TARGET_KEY = Pattern.compile("bridge\\.target\\.([A-Za-z0-9_-]+)\\.(.+)");
    private static final Pattern QUEUE_FILTER = Pattern.compile("bridge\\.events\\.queue\\.(.+)\\.filter");
    private static final Map<String, Set<String>> WORDS = Map.of(
            "bridge.privacy.id-number", Set.of("DROP", "HASH"),
            "bridge.broker.journal-type", Set.of("ASYNCIO", "NIO", "MAPPED"),
            "bridge.attendance.unmapped", Set.of("SKIP", "DEAD_LETTER"),
            "bridge.attendance.employee-field", Set.of("jobNumber", "userId", "cardNumber"),
            "bridge.target.odoo.on-conflict", Set.of("DEAD_LETTER", "SKIP"));

    private enum Kind { TEXT, WHOLE, NUMBER, BOOLEAN, DURATION }

    /** A key of a settings file and where it is. */
    private record Entry(String key, String value, int line) {
    }

    private final Map<String, Kind> reference = new LinkedHashMap<>();
    private final Map<String, String> defaults = new LinkedHashMap<>();
    private final Set<String> targetSuffixes = new TreeSet<>();
    private final Map<String, Kind> targetKinds = new LinkedHashMap<>();

    /** A check against the reference settings in the jar. */
    public static SettingsCheck withReference() {
        try (InputStream in = SettingsCheck.class.getResourceAsStream(REFERENCE)) {
            if (in == null) {
                throw new IllegalStateException("reference settings " + REFERENCE + " missing from the jar");
            }
            return new SettingsCheck(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A check against {@code referenceText} (properties format; commented-out keys count as known). */
    public SettingsCheck(String referenceText) {
        for (Entry e : entries(referenceText, true)) {
            Kind kind = kindOf(e.key(), e.value());
            reference.putIfAbsent(e.key(), kind);
            defaults.putIfAbsent(e.key(), e.value().trim());
            Matcher t = TARGET_KEY.matcher(e.key());
            if (t.matches()) {
                targetSuffixes.add(t.group(2));
                targetKinds.putIfAbsent(t.group(2), kind);
            }
            if (e.key().startsWith("bridge.targets.retry.")) {
                String suffix = "retry." + e.key().substring("bridge.targets.retry.".length());
                targetSuffixes.add(suffix);
                targetKinds.putIfAbsent(suffix, kind);
            }
        }
        targetSuffixes.addAll(List.of("queue-filter", "dead-letter-queue", "event-kinds"));
    }

    /** The value the reference gives {@code key}, or {@code null}. */
    public String referenceValue(String key) {
        return defaults.get(key);
    }

    /** The reference's keys. */
    public Set<String> knownKeys() {
        return reference.keySet();
    }

    /** The mistakes of the settings file {@code text}, named {@code file} in messages. */
    public List<ConfigError> check(String file, String text) {
        List<ConfigError> errors = new ArrayList<>();
        List<Entry> entries = entries(text, false);
        Properties values = new Properties();
        try {
            values.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            errors.add(new ConfigError(file, 0, 0, null, "not a properties file: " + e.getMessage()));
            return errors;
        }
        Set<String> targets = new TreeSet<>(List.of(values.getProperty("bridge.targets",
                String.join(",", io.accessbridge.target.TargetsConfiguration.BUILT_IN)).split("\\s*,\\s*")));
        for (Entry e : entries) {
            String value = values.getProperty(e.key(), e.value()).trim();
            Kind kind = kind(e.key(), targets);
            if (kind == null) {
                if (e.key().startsWith("bridge.")) {
                    errors.add(new ConfigError(file, e.line(), 0, e.key(), unknown(e.key(), targets)));
                }
                continue;
            }
            String problem = problem(e.key(), kind, value);
            if (problem != null) {
                errors.add(new ConfigError(file, e.line(), 0, e.key(), problem + " (got '" + value + "')"));
            }
        }
        return errors;
    }

    /** The problem of a value from elsewhere (an environment variable) for {@code key}, or {@code null}. */
    public String problem(String key, String value) {
        Kind kind = kind(key, Set.of());
        return kind == null ? null : problem(key, kind, value.trim());
    }

    private String problem(String key, Kind kind, String value) {
        if (value.isEmpty() || value.contains("{{") || value.contains("${")) {
            return null;
        }
        Set<String> words = WORDS.get(key);
        if (words != null && words.stream().noneMatch(w -> w.equalsIgnoreCase(value))) {
            return "must be one of " + String.join(", ", new TreeSet<>(words));
        }
        return switch (kind) {
            case WHOLE -> value.matches("-?\\d+") ? null : "must be a whole number";
            case NUMBER -> value.matches("-?\\d+(\\.\\d+)?") ? null : "must be a number";
            case BOOLEAN -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null
                    : "must be true or false";
            case DURATION -> DURATION.matcher(value).matches() ? null
                    : "must be a duration such as 500ms, 30s, 5m, 6h or 1d";
            case TEXT -> null;
        };
    }

    private Kind kind(String key, Set<String> targets) {
        Kind k = reference.get(key);
        if (k != null) {
            return k;
        }
        if (QUEUE_FILTER.matcher(key).matches()) {
            return Kind.TEXT;
        }
        Matcher t = TARGET_KEY.matcher(key);
        if (t.matches() && (targets.isEmpty() || targets.contains(t.group(1))) && targetSuffixes.contains(t.group(2))) {
            return targetKinds.getOrDefault(t.group(2), Kind.TEXT);
        }
        return null;
    }

    private String unknown(String key, Set<String> targets) {
        Matcher t = TARGET_KEY.matcher(key);
        if (t.matches() && !targets.contains(t.group(1))) {
            return "unknown setting: target '" + t.group(1) + "' is not listed in bridge.targets";
        }
        String near = null;
        int best = Integer.MAX_VALUE;
        for (String k : reference.keySet()) {
            int d = distance(key, k);
            if (d < best) {
                best = d;
                near = k;
            }
        }
        if (t.matches()) {
            for (String s : targetSuffixes) {
                String k = "bridge.target." + t.group(1) + "." + s;
                int d = distance(key, k);
                if (d < best) {
                    best = d;
                    near = k;
                }
            }
        }
        return "unknown setting" + (near != null && best <= Math.max(2, key.length() / 5)
                ? " (did you mean " + near + "?)" : "");
    }

    private static Kind kindOf(String key, String value) {
        String v = value.trim();
        if (key.endsWith("retry.multiplier") || key.endsWith("retry.jitter")) {
            return Kind.NUMBER;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Kind.BOOLEAN;
        }
        if (v.matches("-?\\d+")) {
            return Kind.WHOLE;
        }
        if (v.matches("-?\\d+\\.\\d+")) {
            return Kind.NUMBER;
        }
        if (DURATION.matcher(v).matches()) {
            return Kind.DURATION;
        }
        return Kind.TEXT;
    }

    /** The keys of a properties text with their line numbers (continuation lines joined). */
    private static List<Entry> entries(String text, boolean includeCommented) {
        List<Entry> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int start = i;
            StringBuilder joined = new StringBuilder(line);
            while (joined.toString().endsWith("\\") && !joined.toString().endsWith("\\\\") && i + 1 < lines.length) {
                joined.setLength(joined.length() - 1);
                joined.append(lines[++i].stripLeading());
            }
            Matcher m = ENTRY.matcher(joined.toString());
            if (!m.matches()) {
                continue;
            }
            boolean commented = !m.group(1).isEmpty();
            if (commented && (!includeCommented || !m.group(2).contains("."))) {
                continue;
            }
            if (!commented || m.group(2).startsWith("bridge.")) {
                out.add(new Entry(m.group(2), m.group(3), start + 1));
            }
        }
        return out;
    }

    private static int distance(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        int[] prev = new int[y.length() + 1];
        int[] cur = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[y.length()];
    }
}
