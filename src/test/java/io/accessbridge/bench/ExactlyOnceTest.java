package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExactlyOnceTest {

    @Test
    void everyEventOnceIsOk() {
        ExactlyOnce.Tally t = new ExactlyOnce.Tally();
        t.add("d1", "a");
        t.add("d1", "b");
        t.add("d2", "c");
        ExactlyOnce.Result r = t.check(Map.of("d1", 2L, "d2", 1L), Map.of("d1", Set.of("a", "b")));
        assertThat(r).isEqualTo(new ExactlyOnce.Result(3, 3, 3, 0, 0, 0));
        assertThat(r.ok()).isTrue();
        assertThat(r.toLine()).isEqualTo("expected=3 messages=3 distinct=3 lost=0 duplicated=0 unexpected=0");
    }

    @Test
    void aSecondCopyOfAnIdIsADuplicateNotAnExtraEvent() {
        ExactlyOnce.Tally t = new ExactlyOnce.Tally();
        t.add("d1", "a");
        t.add("d1", "a");
        t.add("d1", "b");
        ExactlyOnce.Result r = t.check(Map.of("d1", 2L), Map.of());
        assertThat(r.duplicated()).isEqualTo(1);
        assertThat(r.lost()).isZero();
        assertThat(r.unexpected()).isZero();
        assertThat(r.ok()).isFalse();
    }

    @Test
    void shortfallByCountIsLost() {
        ExactlyOnce.Tally t = new ExactlyOnce.Tally();
        t.add("d1", "a");
        ExactlyOnce.Result r = t.check(Map.of("d1", 3L, "d2", 2L), Map.of());
        assertThat(r.expected()).isEqualTo(5);
        assertThat(r.lost()).isEqualTo(4);
        assertThat(r.ok()).isFalse();
    }

    @Test
    void aKnownIdReplacedByAnotherIsLostAndUnexpectedEvenWhenCountsMatch() {
        ExactlyOnce.Tally t = new ExactlyOnce.Tally();
        t.add("d1", "a");
        t.add("d1", "x");
        ExactlyOnce.Result r = t.check(Map.of("d1", 2L), Map.of("d1", Set.of("a", "b")));
        assertThat(r.lost()).isEqualTo(1);
        assertThat(r.unexpected()).isZero(); // counts match; the stray id shows as the lost one
        assertThat(r.ok()).isFalse();
    }

    @Test
    void eventsOfUnknownDevicesOrBeyondTheCountAreUnexpected() {
        ExactlyOnce.Tally t = new ExactlyOnce.Tally();
        t.add("d1", "a");
        t.add("d1", "b");
        t.add("stranger", "s");
        ExactlyOnce.Result r = t.check(Map.of("d1", 1L), Map.of());
        assertThat(r.unexpected()).isEqualTo(2);
        assertThat(r.lost()).isZero();
        assertThat(r.duplicated()).isZero();
    }

    @Test
    void theSameIdUnderTwoDevicesCountsAsDuplicated() {
        ExactlyOnce.Tally t = new ExactlyOnce.Tally();
        t.add("d1", "a");
        t.add("d2", "a");
        ExactlyOnce.Result r = t.check(Map.of("d1", 1L, "d2", 1L), Map.of());
        assertThat(r.distinct()).isEqualTo(1);
        assertThat(r.duplicated()).isEqualTo(1);
    }
}
