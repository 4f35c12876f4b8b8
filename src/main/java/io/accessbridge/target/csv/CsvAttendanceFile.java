package io.accessbridge.target.csv;

import io.accessbridge.target.AttendancePunch;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * The CSV attendance file for payroll systems that import files (bean {@code csvAttendance}): one row per
 * punch, appended to {@code attendance-YYYY-MM-DD.csv} of the day it is written (a new file each day in
 * {@code bridge.target.csv.time-zone}), each file starting with a header row. Columns: the site's local date
 * and time of the punch, the same instant in UTC, the employee code, IN/OUT, device, site, door and the event
 * id. Nothing else about the person is written: no name, PIN, card or id numbers (unless the employee code is
 * configured to be the card number). Values are quoted per RFC 4180, and a value that a spreadsheet would
 * take for a formula is prefixed with {@code '}. A redelivered punch (after a crash between the write and the
 * queue acknowledgement) is recognised by its event id in the file's last row and not written again.
 */
public final class CsvAttendanceFile {

    /** The header row. */
    public static final List<String> COLUMNS = List.of("date", "time", "timestamp_utc", "employee", "direction",
            "device", "site", "door", "event_id");

    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Path dir;
    private final ZoneId rotationZone;
    private final Clock clock;

    /** Files under {@code dir}, a new one at each midnight of {@code rotationZone}. */
    public CsvAttendanceFile(Path dir, ZoneId rotationZone, Clock clock) {
        this.dir = dir;
        this.rotationZone = rotationZone;
        this.clock = clock;
    }

    /** The file written today. */
    public String fileName() {
        return "attendance-" + DATE.format(LocalDate.now(clock.withZone(rotationZone))) + ".csv";
    }

    /**
     * Route step: the body ({@link AttendancePunch}) becomes the text to append to the file named in
     * {@link Exchange#FILE_NAME}: the row, preceded by the header when the file is new, or nothing when the file
     * already ends with this punch.
     */
    public void toRow(Exchange exchange) throws IOException, InvalidPayloadException {
        AttendancePunch punch = exchange.getIn().getMandatoryBody(AttendancePunch.class);
        String name = fileName();
        Path file = dir.resolve(name);
        String text;
        if (!Files.exists(file) || Files.size(file) == 0) {
            text = line(COLUMNS) + row(punch);
        } else if (punch.eventId().equals(lastEventId(file))) {
            text = "";
        } else {
            text = row(punch);
        }
        exchange.getIn().getHeaders().clear();
        exchange.getIn().setHeader(Exchange.FILE_NAME, name);
        exchange.getIn().setBody(text);
    }

    /** The CSV row of a punch, with its line end. */
    public static String row(AttendancePunch p) {
        return line(List.of(DATE.format(p.localTime()), TIME.format(p.localTime()), p.occurredAt().toString(),
                p.employee(), p.direction() == null ? "" : p.direction(), nz(p.deviceId()), nz(p.site()), nz(p.door()),
                p.eventId()));
    }

    private static String line(List<String> values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(cell(values.get(i)));
        }
        return b.append("\r\n").toString();
    }

    /** One CSV cell: formula-like values defused, quoted when needed. */
    static String cell(String v) {
        String s = v;
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** The event id in the last row of a file (the last column), or null. */
    static String lastEventId(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            int tail = (int) Math.min(length, 4096);
            byte[] buf = new byte[tail];
            f.seek(length - tail);
            f.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8).stripTrailing();
            String last = text.substring(text.lastIndexOf('\n') + 1);
            int comma = last.lastIndexOf(',');
            return comma < 0 ? null : last.substring(comma + 1);
        }
    }
}
