package io.accessbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRateTest {

    private static final long T0 = Instant.parse("2026-01-01T10:00:00Z").toEpochMilli();

    @Test
    void countsPerMinuteOverTheLastHourOldestFirst() {
        EventRate rate = new EventRate();
        rate.add(3, T0 + 5_000);
        rate.add(2, T0 + 59_000);
        rate.add(7, T0 + 60_000);
        List<EventRate.Point> hour = rate.lastHour(T0 + 61_000);
        assertThat(hour).hasSize(60);
        assertThat(hour.get(59)).isEqualTo(new EventRate.Point(Instant.parse("2026-01-01T10:01:00Z"), 7));
        assertThat(hour.get(58)).isEqualTo(new EventRate.Point(Instant.parse("2026-01-01T10:00:00Z"), 5));
        assertThat(hour.get(0).start()).isEqualTo(Instant.parse("2026-01-01T09:02:00Z"));
    }

    @Test
    void aMinuteOlderThanAnHourIsForgottenWhenItsSlotComesRoundAgain() {
        EventRate rate = new EventRate();
        rate.add(4, T0);
        rate.add(1, T0 + 60 * 60_000);
        List<EventRate.Point> hour = rate.lastHour(T0 + 60 * 60_000);
        assertThat(hour.get(59).events()).isEqualTo(1);
        assertThat(hour.stream().mapToLong(EventRate.Point::events).sum()).isEqualTo(1);
        assertThat(rate.lastHour(T0 + 3 * 60 * 60_000).stream().mapToLong(EventRate.Point::events).sum()).isZero();
    }
}
