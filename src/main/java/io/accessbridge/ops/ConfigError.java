package io.accessbridge.ops;

/**
 * One mistake found by {@code check-config}.
 *
 * @param file    the file it is in
 * @param line    1-based line, or 0 when not known
 * @param column  1-based column, or 0 when not known
 * @param field   the setting key or inventory field, or {@code null}
 * @param message what is wrong
 */
public record ConfigError(String file, int line, int column, String field, String message) {

    /** {@code file:line[:column]: [field: ]message}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(file == null ? "" : file);
        if (line > 0) {
            s.append(':').append(line);
            if (column > 0) {
                s.append(':').append(column);
            }
        }
        if (!s.isEmpty()) {
            s.append(": ");
        }
        if (field != null) {
            s.append(field).append(": ");
        }
        return s.append(message).toString();
    }
}
