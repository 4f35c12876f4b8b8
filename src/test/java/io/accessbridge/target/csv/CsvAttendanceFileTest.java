package io.accessbridge.target.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.accessbridge.target.AttendancePunch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvAttendanceFileTest {

    @TempDir
    Path dir;

    private static AttendancePunch punch(String id, String door) {
        return new AttendancePunch(id, "23385", Instant.parse("2024-03-09T23:30:00Z"), ZoneId.of("Europe/Berlin"),
                "IN", "lobby-in", "hq", door);
    }

    /** Runs the route step and appends its output as the file endpoint would. */
    private String write(CsvAttendanceFile csv, AttendancePunch p) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange e = new DefaultExchange(camel);
            e.getIn().setBody(p);
            csv.toRow(e);
            String name = e.getIn().getHeader(Exchange.FILE_NAME, String.class);
            Path file = dir.resolve(name);
            Files.writeString(file, e.getIn().getBody(String.class), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            return name;
        }
    }

    @Test
    void aNewFileEachDayWithAHeaderAndOneRowPerPunch() throws Exception {
        CsvAttendanceFile day1 = new CsvAttendanceFile(dir, ZoneOffset.UTC,
                Clock.fixed(Instant.parse("2024-03-09T23:59:00Z"), ZoneOffset.UTC));
        CsvAttendanceFile day2 = new CsvAttendanceFile(dir, ZoneOffset.UTC,
                Clock.fixed(Instant.parse("2024-03-10T00:01:00Z"), ZoneOffset.UTC));
        assertThat(write(day1, punch("a", "Lobby"))).isEqualTo("attendance-2024-03-09.csv");
        write(day1, punch("b", "Lobby"));
        assertThat(write(day2, punch("c", "Lobby"))).isEqualTo("attendance-2024-03-10.csv");

        assertThat(Files.readAllLines(dir.resolve("attendance-2024-03-09.csv"))).containsExactly(
                "date,time,timestamp_utc,employee,direction,device,site,door,event_id",
                "2024-03-10,00:30:00,2024-03-09T23:30:00Z,23385,IN,lobby-in,hq,Lobby,a",
                "2024-03-10,00:30:00,2024-03-09T23:30:00Z,23385,IN,lobby-in,hq,Lobby,b");
        assertThat(Files.readAllLines(dir.resolve("attendance-2024-03-10.csv"))).hasSize(2).first()
                .asString().startsWith("date,");
    }

    @Test
    void aRedeliveredPunchIsNotWrittenTwice() throws Exception {
        CsvAttendanceFile csv = new CsvAttendanceFile(dir, ZoneOffset.UTC, Clock.systemUTC());
        String name = write(csv, punch("x", "Lobby"));
        write(csv, punch("x", "Lobby"));
        assertThat(Files.readAllLines(dir.resolve(name))).hasSize(2);
    }

    @Test
    void valuesAreQuotedAndFormulasDefused() {
        assertThat(CsvAttendanceFile.cell("Hall, east")).isEqualTo("\"Hall, east\"");
        assertThat(CsvAttendanceFile.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvAttendanceFile.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(CsvAttendanceFile.cell("@cmd")).isEqualTo("'@cmd");
        assertThat(CsvAttendanceFile.row(punch("e", "=1+1"))).contains(",'=1+1,e\r\n");
    }
}
