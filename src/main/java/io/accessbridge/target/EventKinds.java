package io.accessbridge.target;

import java.util.Arrays;

/**
 * Matches event kinds against a comma-separated list of patterns, each an exact kind
 * ({@code access.granted}), a prefix with {@code *} ({@code alarm.*}) or {@code *} for all; a pattern
 * starting with {@code !} excludes ({@code *,!alarm.*}). Bean {@code eventKinds}, for route filters.
 */
public final class EventKinds {

    /** Whether {@code kind} matches {@code patterns}: some inclusion matches and no exclusion does. */
    public boolean matches(String kind, String patterns) {
        if (kind == null || patterns == null) {
            return false;
        }
        boolean included = false;
        for (String raw : Arrays.stream(patterns.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            boolean exclude = raw.startsWith("!");
            String p = exclude ? raw.substring(1).trim() : raw;
            if (matchesOne(kind, p)) {
                if (exclude) {
                    return false;
                }
                included = true;
            }
        }
        return included;
    }

    private static boolean matchesOne(String kind, String pattern) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith("*")) {
            return kind.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return kind.equals(pattern);
    }
}
