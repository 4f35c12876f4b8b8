package io.accessbridge.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Lenient, typed reads of vendor JSON. Vendors disagree on types (an id is an int in one
 * firmware and a string in the next), so a value of the wrong JSON type is converted when the
 * conversion is lossless and rejected with {@link InvalidEventException} when it is not.
 * Messages name the field, never its value.
 */
public final class JsonFields {

    private JsonFields() {
    }

    /** A text field; numbers are turned into their decimal text; blank text is absent. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            String s = v.asText();
            return s.isBlank() ? null : s;
        }
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        throw new InvalidEventException("field '" + field + "' must be a string");
    }

    /**
     * Longest identifier accepted ({@code deviceSN}, {@code device-id}, {@code uuid}, {@code trace_id}): they
     * become the event id, the CloudEvent source and broker message properties, and a message's properties
     * must fit the broker's header limit, so a longer one is bad input rather than a store that fails on every
     * re-send.
     */
    public static final int MAX_IDENTIFIER_LENGTH = 128;

    /** A text field that identifies something: at most {@link #MAX_IDENTIFIER_LENGTH} characters. */
    public static String identifier(JsonNode node, String field) {
        String s = text(node, field);
        if (s != null && s.length() > MAX_IDENTIFIER_LENGTH) {
            throw new InvalidEventException("field '" + field + "' is longer than " + MAX_IDENTIFIER_LENGTH
                    + " characters");
        }
        return s;
    }

    /** A required identifier ({@link #identifier}). */
    public static String requiredIdentifier(JsonNode node, String field) {
        String s = identifier(node, field);
        if (s == null) {
            throw new InvalidEventException("field '" + field + "' is required");
        }
        return s;
    }

    /** A required text field. */
    public static String requiredText(JsonNode node, String field) {
        String s = text(node, field);
        if (s == null) {
            throw new InvalidEventException("field '" + field + "' is required");
        }
        return s;
    }

    /** An integer field; integral text is accepted; absent is {@code null}. */
    public static Long integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) < 9e15) {
            return (long) v.asDouble();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new InvalidEventException("field '" + field + "' must be an integer");
            }
        }
        throw new InvalidEventException("field '" + field + "' must be an integer");
    }

    /** A required integer field. */
    public static long requiredInteger(JsonNode node, String field) {
        Long v = integer(node, field);
        if (v == null) {
            throw new InvalidEventException("field '" + field + "' is required");
        }
        return v;
    }

    /** An integer field that must fit an int. */
    public static Integer smallInteger(JsonNode node, String field) {
        Long v = integer(node, field);
        if (v == null) {
            return null;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new InvalidEventException("field '" + field + "' is out of range");
        }
        return v.intValue();
    }

    /** A decimal field; numeric text is accepted; absent is {@code null}. */
    public static Double decimal(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber() && Double.isFinite(v.doubleValue())) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            try {
                double d = Double.parseDouble(v.asText().trim());
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new InvalidEventException("field '" + field + "' must be a number");
    }

    /** A boolean field; {@code 0}/{@code 1} and {@code "true"}/{@code "false"} are accepted. */
    public static Boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber() && v.canConvertToInt() && (v.intValue() == 0 || v.intValue() == 1)) {
            return v.intValue() == 1;
        }
        if (v.isTextual() && ("true".equalsIgnoreCase(v.asText()) || "false".equalsIgnoreCase(v.asText()))) {
            return Boolean.parseBoolean(v.asText());
        }
        throw new InvalidEventException("field '" + field + "' must be a boolean");
    }

    /** An object field, or {@code null} when absent; any other JSON type is an error. */
    public static JsonNode object(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new InvalidEventException("field '" + field + "' must be an object");
        }
        return v;
    }
}
