package io.accessbridge.target;

import io.accessbridge.canonical.AccessEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which employee an access event belongs to in HR/ERP systems: the value of one canonical person field
 * ({@code jobNumber}, {@code userId} or {@code cardNumber}), optionally translated through a lookup table
 * file with one {@code <value>,<employee code>} line per person ({@code #} starts a comment; a first line
 * {@code value,employee} is a header).
 */
public final class EmployeeMapping {

    /** The canonical person field that identifies the employee. */
    public enum Field {
        /** {@code person.jobNumber}, the device's job (staff) number. */
        JOB_NUMBER("jobNumber"),
        /** {@code person.userId}, the person's id on the device. */
        USER_ID("userId"),
        /** {@code person.cardNumber}, the access card number. */
        CARD_NUMBER("cardNumber");

        private final String key;

        Field(String key) {
            this.key = key;
        }

        /** The field's name in settings and in the canonical JSON. */
        public String key() {
            return key;
        }

        /** The field named {@code key}. */
        public static Field of(String key) {
            return Arrays.stream(values()).filter(f -> f.key.equalsIgnoreCase(key)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("bridge.attendance.employee-field must be jobNumber, "
                            + "userId or cardNumber, not '" + key + "'"));
        }

        String of(AccessEvent.Person p) {
            return switch (this) {
                case JOB_NUMBER -> p.jobNumber();
                case USER_ID -> p.userId();
                case CARD_NUMBER -> p.cardNumber();
            };
        }
    }

    /** Outcome of a lookup. */
    public sealed interface Result {
    }

    /** The employee's code in the HR/ERP system. */
    public record Mapped(String employee) implements Result {
    }

    /** The event carries no value in the configured field. */
    public record NoValue() implements Result {
    }

    /** The value is not in the lookup table. */
    public record NotInTable() implements Result {
    }

    private final Field field;
    private final Map<String, String> table;

    /** A mapping by {@code field}, through {@code table} when it is not null. */
    public EmployeeMapping(Field field, Map<String, String> table) {
        this.field = field;
        this.table = table == null ? null : Map.copyOf(table);
    }

    /** The identifying field. */
    public Field field() {
        return field;
    }

    /** Whether a lookup table is used. */
    public boolean hasTable() {
        return table != null;
    }

    /** The employee of {@code person}. */
    public Result employee(AccessEvent.Person person) {
        String value = person == null ? null : field.of(person);
        if (value == null || value.isBlank()) {
            return new NoValue();
        }
        if (table == null) {
            return new Mapped(value.trim());
        }
        String mapped = table.get(value.trim());
        return mapped == null ? new NotInTable() : new Mapped(mapped);
    }

    /** Reads a lookup table file; errors name the file and line. */
    public static Map<String, String> readTable(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("employee map " + file + " cannot be read", e);
        }
        Map<String, String> table = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.equalsIgnoreCase("value,employee"))) {
                continue;
            }
            int comma = line.indexOf(',');
            if (comma <= 0 || comma == line.length() - 1) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": expected <value>,<employee code>");
            }
            String key = line.substring(0, comma).strip();
            if (table.put(key, line.substring(comma + 1).strip()) != null) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": value listed twice");
            }
        }
        return table;
    }

    /** The mapping described by settings, reading the table file when one is set. */
    public static EmployeeMapping from(Settings s) {
        Field field = Field.of(s.string("bridge.attendance.employee-field", "jobNumber"));
        Optional<String> file = s.optional("bridge.attendance.employee-map-file");
        return new EmployeeMapping(field, file.map(f -> readTable(Path.of(f))).orElse(null));
    }
}
